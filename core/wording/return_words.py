"""The return policy's reasons and a playbook return's plan, in the reader's language: for
the customer's and staff's messages (`core.wording.mail`), the customer's page and the
console, and, in English, for logs and the API (`policy_reasons`).

Workflows hand over codes and facts (`domain.return_reasons.EligibilityReason`,
`domain.playbook_plans.PlaybookPlan`); each sentence is a Jinja2 template in the plain-text
environment e-mail uses (`catalogue.Catalogue`), so money goes through the `money` filter
and moments through `moment`, in the reader's time zone. Reasons and plans made before
they were data arrive as finished text, which is shown as it came.

The English for logs and the API is the same English sentence with its money and moments
written as the policy always logged them ("4999.00 CNY", "2026-11-17 09:15 UTC"): the
filters show text as it is.
"""

from datetime import datetime
from decimal import Decimal

from core.wording.catalogue import Catalogue
from domain.notifications import Moment, Money
from domain.playbook_plans import PlaybookPlan
from domain.policy import CUSTOMER_TIMEZONE
from domain.return_reasons import EligibilityReason, EligibilityReasonCode, ReturnReason
from domain.return_windows import category_key
from domain.returns import Eligibility
from domain.taxonomy import Locale
from domain.wording import format_deadline

Code = EligibilityReasonCode

# Per code, a reason's sentence; the other keys are the pieces sentences are built from:
# `subject` (the line a reason is about), `where` (a quantity reason's lines), `paid_in`
# (each order with its currency), the separators between reasons and the ending after
# the last; and the plans, `plan_<return reason>`.
_ENGLISH = {
    Code.MIXED_CURRENCIES: (
        "The orders were paid in different currencies ({{ paid_in }}); open one return per "
        "currency."
    ),
    Code.DUPLICATE_ORDER: "Order {{ order_id }} is listed more than once; list each order once.",
    Code.ORDER_NOT_IN_REQUEST: (
        "{{ subject }}: order {{ order_id }} is not among the orders of this return."
    ),
    Code.SKU_NOT_IN_ORDER: "{{ subject }}: order {{ order_id }} has no item {{ sku }}.",
    Code.NOT_RETURNABLE: (
        "{{ subject }}: {{ category_name }} items cannot be returned unless they arrived "
        "wrong, damaged or defective."
    ),
    Code.WINDOW_PASSED: (
        "{{ subject }}: the {{ days }}-day return window for {{ category_name }} items closed "
        "on {{ closed_at|moment }} (delivered {{ delivered_at|moment }})."
    ),
    Code.QUANTITY_ABOVE_ORDERED: (
        "Order {{ order_id }}, SKU {{ sku }}: {{ requested }} to return ({{ where }}) but only "
        "{{ ordered }} ordered."
    ),
    Code.SERIAL_RETURNER: (
        "Customer {{ customer_id }} has made {{ returns }} other returns in the last "
        "{{ window_days }} days (review from {{ threshold }})."
    ),
    Code.HIGH_VALUE: (
        "The refundable amount {{ amount|money }} is above the auto-approval limit of "
        "{{ limit|money }}."
    ),
    Code.EVIDENCE_MISSING: (
        'The reason "{{ reason_name }}" needs photos or video, but none were attached.'
    ),
    "line_subject": "Line {{ line }} (order {{ order_id }}, SKU {{ sku }})",
    "one_line": "line {{ numbers }}",
    "several_lines": "lines {{ numbers }}",
    "line_number_separator": ", ",
    "order_currency": "{{ order_id }} in {{ currency }}",
    "order_currency_separator": ", ",
    "unknown_category": "{{ category }}",
    "separator": "; ",
    "ending": "",
    "plan_wrong_item": (
        "We are sorry we sent the wrong item. We will collect it at our cost, ship the right "
        "one to you, and add an apology coupon worth {{ amount|money }}. If you would rather "
        "have a refund, decline this plan."
    ),
    "plan_damaged_in_transit": (
        "We are sorry your item was damaged in transit. We will collect it at our cost and "
        "compensate you {{ amount|money }} as you chose; we claim the loss from the carrier "
        "ourselves."
    ),
}

_CHINESE = {
    Code.MIXED_CURRENCIES: "这些订单使用了不同币种支付（{{ paid_in }}），请按币种分别提交退货申请",
    Code.DUPLICATE_ORDER: "订单 {{ order_id }} 被重复列出，每个订单只需列出一次",
    Code.ORDER_NOT_IN_REQUEST: "{{ subject }}所属的订单不在本次退货申请中",
    Code.SKU_NOT_IN_ORDER: "{{ subject }}：该订单中没有这件商品",
    Code.NOT_RETURNABLE: (
        "{{ subject }}属于{{ category_name }}商品，除发错货、运输损坏或质量问题外不支持退货"
    ),
    Code.WINDOW_PASSED: (
        "{{ subject }}已超过 {{ days }} 天退货期（{{ delivered_at|moment }} 签收，"
        "退货期已于 {{ closed_at|moment }} 截止）"
    ),
    Code.QUANTITY_ABOVE_ORDERED: (
        "订单 {{ order_id }} 的商品 {{ sku }} 申请退货 {{ requested }} 件（{{ where }}），"
        "但只购买了 {{ ordered }} 件"
    ),
    Code.SERIAL_RETURNER: (
        "顾客 {{ customer_id }} 近 {{ window_days }} 天内已有 {{ returns }} 次其他退货"
        "（满 {{ threshold }} 次需人工审核）"
    ),
    Code.HIGH_VALUE: "可退金额 {{ amount|money }} 超过自动审批上限 {{ limit|money }}",
    Code.EVIDENCE_MISSING: "以“{{ reason_name }}”为由退货需要提供照片或视频，但未上传任何凭证",
    "line_subject": "第{{ line }}行（订单 {{ order_id }} 的商品 {{ sku }}）",
    "one_line": "第{{ numbers }}行",
    "several_lines": "第{{ numbers }}行",
    "line_number_separator": "、",
    "order_currency": "订单 {{ order_id }}：{{ currency }}",
    "order_currency_separator": "，",
    "unknown_category": "“{{ category }}”类",
    "separator": "；",
    "ending": "。",
    "plan_wrong_item": (
        "非常抱歉发错了商品。我们将免费上门取回错发的商品，并为您重新发出正确的商品，"
        "另附一张 {{ amount|money }} 道歉优惠券。如您更希望退款，也可以拒绝此方案。"
    ),
    "plan_damaged_in_transit": (
        "很抱歉商品在运输途中受损。我们将免费取回受损商品，并按您的选择补偿 "
        "{{ amount|money }}；运输损失由我们向承运商索赔。"
    ),
}

RETURN_WORDS = Catalogue({Locale.EN: _ENGLISH, Locale.ZH_CN: _CHINESE})

# Names of product categories and return reasons; English shows the code itself.
_CATEGORY_NAMES: dict[Locale, dict[str, str]] = {
    Locale.ZH_CN: {
        "general": "普通",
        "apparel": "服装类",
        "shoes": "鞋靴类",
        "electronics": "数码电子类",
        "appliances": "家电类",
        "home": "家居类",
        "books": "图书类",
        "toys": "玩具类",
        "cosmetics": "美妆类",
        "jewelry": "珠宝首饰类",
        "food": "食品类",
        "perishables": "生鲜类",
        "underwear": "贴身衣物类",
        "custom_made": "定制类",
        "digital": "虚拟类",
    },
    Locale.EN: {},
}
_REASON_NAMES: dict[Locale, dict[str, str]] = {
    Locale.ZH_CN: {
        ReturnReason.WRONG_ITEM: "发错商品",
        ReturnReason.DAMAGED_IN_TRANSIT: "运输途中损坏",
        ReturnReason.DEFECTIVE: "商品质量问题",
        ReturnReason.NOT_AS_DESCRIBED: "商品与描述不符",
        ReturnReason.CHANGED_MIND: "不想要了",
    },
    Locale.EN: {},
}


def category_name(category: str, locale: Locale) -> str:
    """Returns a product category's name in `locale` ("服装类"; English shows the code),
    matched as the return windows match it."""
    return _CATEGORY_NAMES[locale].get(category_key(category)) or RETURN_WORDS.say(
        locale, "unknown_category", category=category
    )


def describe_reason(reason: EligibilityReason, locale: Locale) -> str:
    """Returns one reason of a verdict in `locale`."""
    return RETURN_WORDS.say(locale, reason.code, **_values(reason, locale, logged=False))


def describe_reasons(reasons: list[EligibilityReason] | str, locale: Locale) -> str:
    """Returns a verdict's reasons as one text in `locale`; text (a verdict worded before
    reasons were data, or a person's own words) as it came."""
    if isinstance(reasons, str):
        return reasons
    if not reasons:
        return ""
    sentences = [describe_reason(reason, locale) for reason in reasons]
    return RETURN_WORDS.say(locale, "separator").join(sentences) + RETURN_WORDS.say(
        locale, "ending"
    )


def describe_eligibility(eligibility: Eligibility, locale: Locale) -> str:
    """Returns the verdict's reasons as one text in `locale`, or "" when there are none; a
    verdict from before reasons were data has only its English `reasons`, shown as they
    are whatever the locale."""
    if not eligibility.details:
        return RETURN_WORDS.say(Locale.EN, "separator").join(eligibility.reasons)
    return describe_reasons(eligibility.details, locale)


def describe_plan(plan: PlaybookPlan | str, locale: Locale) -> str:
    """Returns the plan put to the customer in `locale`; a plan worded before plans were
    data (in the customer's language) as it came."""
    if isinstance(plan, str):
        return plan
    return RETURN_WORDS.say(locale, f"plan_{plan.reason.value}", amount=plan.amount)


def policy_reasons(details: list[EligibilityReason]) -> list[str]:
    """Returns each reason in English as logs and the API have always read it
    (`Eligibility.reasons`)."""
    return [
        RETURN_WORDS.say(Locale.EN, reason.code, **_values(reason, Locale.EN, logged=True))
        for reason in details
    ]


def _values(reason: EligibilityReason, locale: Locale, *, logged: bool) -> dict[str, object]:
    """Returns what `reason`'s sentence asks for: its params, the pieces built from them,
    and its moments and amounts typed (or, `logged`, written as the policy logs them)."""
    params = reason.params
    values: dict[str, object] = dict(params)
    if "line" in params:
        values["subject"] = RETURN_WORDS.say(locale, "line_subject", **params)
    if "lines" in params:
        numbers = params["lines"].split(",")
        joined = RETURN_WORDS.say(locale, "line_number_separator").join(numbers)
        key = "one_line" if len(numbers) == 1 else "several_lines"
        values["where"] = RETURN_WORDS.say(locale, key, numbers=joined)
    zone = CUSTOMER_TIMEZONE[locale]
    for name in ("delivered_at", "closed_at"):
        if name in params:
            at = datetime.fromisoformat(params[name])
            values[name] = format_deadline(at, zone) if logged else Moment(at=at, timezone=zone)
    for name in ("amount", "limit"):
        if name in params:
            amount, currency = params[name], params["currency"]
            values[name] = (
                f"{amount} {currency}"
                if logged
                else Money(amount=Decimal(amount), currency=currency)
            )
    if "orders" in params:
        pairs = zip(params["orders"].split(","), params["currencies"].split(","), strict=True)
        values["paid_in"] = RETURN_WORDS.say(locale, "order_currency_separator").join(
            RETURN_WORDS.say(locale, "order_currency", order_id=order_id, currency=currency)
            for order_id, currency in pairs
        )
    if "category" in params:
        values["category_name"] = category_name(params["category"], locale)
    if "reason" in params:
        values["reason_name"] = _REASON_NAMES[locale].get(params["reason"], params["reason"])
    return values
