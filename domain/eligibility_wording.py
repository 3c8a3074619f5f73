"""The return policy's reasons in the reader's language, for notifications and logs.

Pure and deterministic: the return workflow calls it inside its sandbox. The English
wording is also the text of `Eligibility.reasons`, so logs, the API and English messages
say the same thing.
"""

from dataclasses import dataclass
from datetime import datetime

from domain.policy import CUSTOMER_TIMEZONE
from domain.returns import Eligibility, EligibilityReason, EligibilityReasonCode, ReturnReason
from domain.taxonomy import Locale
from domain.wording import format_deadline


@dataclass(frozen=True)
class _Language:
    """How one language words the reasons, and the pieces they are built from."""

    # Fields are the reason's params and the pieces below.
    reasons: dict[EligibilityReasonCode, str]
    # `{subject}`: the line a reason is about.
    line_subject: str
    # `{where}`: the lines of a quantity reason, one or several.
    one_line: str
    several_lines: str
    line_number_separator: str
    # `{paid_in}`: each order with its currency.
    order_currency: str
    order_currency_separator: str
    # `{category_name}`: a product category's name, or `unknown_category` for one not named.
    categories: dict[str, str]
    unknown_category: str
    # `{reason_name}`: a return reason's name, or its value when not named.
    return_reasons: dict[str, str]
    # Between reasons, and after the last one.
    separator: str
    ending: str


_ENGLISH = _Language(
    reasons={
        EligibilityReasonCode.MIXED_CURRENCIES: (
            "The orders were paid in different currencies ({paid_in}); open one return per "
            "currency."
        ),
        EligibilityReasonCode.DUPLICATE_ORDER: (
            "Order {order_id} is listed more than once; list each order once."
        ),
        EligibilityReasonCode.ORDER_NOT_IN_REQUEST: (
            "{subject}: order {order_id} is not among the orders of this return."
        ),
        EligibilityReasonCode.SKU_NOT_IN_ORDER: "{subject}: order {order_id} has no item {sku}.",
        EligibilityReasonCode.NOT_RETURNABLE: (
            "{subject}: {category_name} items cannot be returned unless they arrived wrong, "
            "damaged or defective."
        ),
        EligibilityReasonCode.WINDOW_PASSED: (
            "{subject}: the {days}-day return window for {category_name} items closed on "
            "{closed_at} (delivered {delivered_at})."
        ),
        EligibilityReasonCode.QUANTITY_ABOVE_ORDERED: (
            "Order {order_id}, SKU {sku}: {requested} to return ({where}) but only {ordered} "
            "ordered."
        ),
        EligibilityReasonCode.SERIAL_RETURNER: (
            "Customer {customer_id} has made {returns} other returns in the last "
            "{window_days} days (review from {threshold})."
        ),
        EligibilityReasonCode.HIGH_VALUE: (
            "The refundable amount {amount} {currency} is above the auto-approval limit of "
            "{limit} {currency}."
        ),
        EligibilityReasonCode.EVIDENCE_MISSING: (
            'The reason "{reason_name}" needs photos or video, but none were attached.'
        ),
    },
    line_subject="Line {line} (order {order_id}, SKU {sku})",
    one_line="line {numbers}",
    several_lines="lines {numbers}",
    line_number_separator=", ",
    order_currency="{order_id} in {currency}",
    order_currency_separator=", ",
    categories={},
    unknown_category="{category}",
    return_reasons={},
    separator="; ",
    ending="",
)

_CHINESE = _Language(
    reasons={
        EligibilityReasonCode.MIXED_CURRENCIES: (
            "这些订单使用了不同币种支付（{paid_in}），请按币种分别提交退货申请"
        ),
        EligibilityReasonCode.DUPLICATE_ORDER: "订单 {order_id} 被重复列出，每个订单只需列出一次",
        EligibilityReasonCode.ORDER_NOT_IN_REQUEST: "{subject}所属的订单不在本次退货申请中",
        EligibilityReasonCode.SKU_NOT_IN_ORDER: "{subject}：该订单中没有这件商品",
        EligibilityReasonCode.NOT_RETURNABLE: (
            "{subject}属于{category_name}商品，除发错货、运输损坏或质量问题外不支持退货"
        ),
        EligibilityReasonCode.WINDOW_PASSED: (
            "{subject}已超过 {days} 天退货期（{delivered_at} 签收，退货期已于 {closed_at} 截止）"
        ),
        EligibilityReasonCode.QUANTITY_ABOVE_ORDERED: (
            "订单 {order_id} 的商品 {sku} 申请退货 {requested} 件（{where}），"
            "但只购买了 {ordered} 件"
        ),
        EligibilityReasonCode.SERIAL_RETURNER: (
            "顾客 {customer_id} 近 {window_days} 天内已有 {returns} 次其他退货"
            "（满 {threshold} 次需人工审核）"
        ),
        EligibilityReasonCode.HIGH_VALUE: (
            "可退金额 {amount} {currency} 超过自动审批上限 {limit} {currency}"
        ),
        EligibilityReasonCode.EVIDENCE_MISSING: (
            "以“{reason_name}”为由退货需要提供照片或视频，但未上传任何凭证"
        ),
    },
    line_subject="第{line}行（订单 {order_id} 的商品 {sku}）",
    one_line="第{numbers}行",
    several_lines="第{numbers}行",
    line_number_separator="、",
    order_currency="订单 {order_id}：{currency}",
    order_currency_separator="，",
    categories={
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
    unknown_category="“{category}”类",
    return_reasons={
        ReturnReason.WRONG_ITEM: "发错商品",
        ReturnReason.DAMAGED_IN_TRANSIT: "运输途中损坏",
        ReturnReason.DEFECTIVE: "商品质量问题",
        ReturnReason.NOT_AS_DESCRIBED: "商品与描述不符",
        ReturnReason.CHANGED_MIND: "不想要了",
    },
    separator="；",
    ending="。",
)

_LANGUAGES: dict[Locale, _Language] = {Locale.ZH_CN: _CHINESE, Locale.EN: _ENGLISH}


def describe_eligibility(eligibility: Eligibility, locale: Locale) -> str:
    """Returns the verdict's reasons as one text in `locale`, or "" when there are none.

    A verdict from before reasons were kept as data has only its English `reasons`,
    which are returned as they are, whatever the locale.
    """
    if not eligibility.details:
        return _ENGLISH.separator.join(eligibility.reasons)
    language = _LANGUAGES[locale]
    sentences = [describe_reason(detail, locale) for detail in eligibility.details]
    return language.separator.join(sentences) + language.ending


def describe_reason(reason: EligibilityReason, locale: Locale) -> str:
    """Returns one reason of a verdict in `locale`."""
    language = _LANGUAGES[locale]
    return language.reasons[reason.code].format_map(_fields(reason, locale))


def _fields(reason: EligibilityReason, locale: Locale) -> dict[str, str]:
    language = _LANGUAGES[locale]
    params = reason.params
    fields = dict(params)
    if "line" in params:
        fields["subject"] = language.line_subject.format_map(params)
    if "lines" in params:
        numbers = params["lines"].split(",")
        pattern = language.one_line if len(numbers) == 1 else language.several_lines
        fields["where"] = pattern.format(numbers=language.line_number_separator.join(numbers))
    for moment in ("delivered_at", "closed_at"):
        if moment in params:
            fields[moment] = _local_time(params[moment], locale)
    if "orders" in params:
        pairs = zip(params["orders"].split(","), params["currencies"].split(","), strict=True)
        fields["paid_in"] = language.order_currency_separator.join(
            language.order_currency.format(order_id=order_id, currency=currency)
            for order_id, currency in pairs
        )
    if "category" in params:
        category = params["category"]
        fields["category_name"] = language.categories.get(
            category, language.unknown_category.format(category=category)
        )
    if "reason" in params:
        fields["reason_name"] = language.return_reasons.get(params["reason"], params["reason"])
    return fields


def _local_time(iso_moment: str, locale: Locale) -> str:
    return format_deadline(datetime.fromisoformat(iso_moment), CUSTOMER_TIMEZONE[locale])
