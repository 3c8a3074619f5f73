"""The return policy's reasons and a playbook return's plan, worded by the wording layer
(`core.wording.return_words`) in each language, with money and moments through Babel;
and the English logs and the API read, unchanged."""

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest

from core.wording.return_words import (
    RETURN_WORDS,
    category_name,
    describe_eligibility,
    describe_plan,
    describe_reason,
    describe_reasons,
    policy_reasons,
)
from domain.complaints import OrderItem
from domain.money import Money
from domain.playbook_plans import PlaybookPlan, playbook_plan
from domain.return_policy import NON_RETURNABLE_CATEGORIES, assess_return
from domain.return_reasons import EligibilityReason, EligibilityReasonCode, ReturnReason
from domain.returns import Eligibility, EligibilityDecision
from domain.taxonomy import Locale
from tests.return_factories import (
    DELIVERED_AT,
    REQUESTED_AT,
    make_return_line,
    make_return_order,
    make_return_request,
    make_two_currency_request,
)

ZH = Locale.ZH_CN
EN = Locale.EN
CHINESE = re.compile(r"[\u4e00-\u9fff]")
NNBSP = "\u202f"  # CLDR's narrow no-break space before AM and PM

# Every param any reason carries, so each wording finds what it needs.
EVERY_PARAM = {
    "line": "1",
    "order_id": "ord-1",
    "sku": "sku-1",
    "category": "food",
    "days": "7",
    "delivered_at": DELIVERED_AT.isoformat(),
    "closed_at": (DELIVERED_AT + timedelta(days=7)).isoformat(),
    "lines": "1,2",
    "orders": "ord-1,ord-2",
    "currencies": "CNY,USD",
    "requested": "3",
    "ordered": "2",
    "customer_id": "cust-1",
    "returns": "5",
    "window_days": "90",
    "threshold": "5",
    "amount": "3000.01",
    "currency": "CNY",
    "limit": "3000.00",
    "reason": ReturnReason.DEFECTIVE.value,
}


def late_headphones() -> Eligibility:
    """Returns the verdict on headphones sent back a day after their 15-day window."""
    request = make_return_request(
        reason=ReturnReason.CHANGED_MIND,
        evidence_urls=[],
        lines=[make_return_line(product_category="electronics")],
    )
    return assess_return(request, requested_at=DELIVERED_AT + timedelta(days=16), prior_returns=0)


def three_rejections() -> Eligibility:
    """Returns a verdict rejecting food, a late case and a line of an unknown order."""
    request = make_return_request(
        reason=ReturnReason.CHANGED_MIND,
        lines=[
            make_return_line(product_category="food"),
            make_return_line(sku="sku-case-07", product_category="general"),
            make_return_line(order_id="ord-missing"),
        ],
    )
    return assess_return(request, requested_at=DELIVERED_AT + timedelta(days=8), prior_returns=0)


def too_many_cases() -> Eligibility:
    """Returns a verdict on three cases asked for on two lines, of two ordered."""
    request = make_return_request(
        lines=[
            make_return_line(sku="sku-case-07", quantity=1),
            make_return_line(sku="sku-case-07", quantity=2),
        ]
    )
    return assess_return(request, requested_at=REQUESTED_AT, prior_returns=0)


def two_currencies() -> Eligibility:
    """Returns a verdict on a return drawing on a CNY and a USD order."""
    request = make_two_currency_request()
    return assess_return(request, requested_at=REQUESTED_AT, prior_returns=0)


def every_risk() -> Eligibility:
    """Returns a review of expensive headphones, without photos, from a serial returner."""
    pricey = make_return_order(
        items=[OrderItem(sku="sku-hp-wh1000", price=Decimal("4999.00"), quantity=1)],
        paid_amount=Decimal("4999.00"),
    )
    request = make_return_request(orders=[pricey], evidence_urls=[])
    return assess_return(request, requested_at=REQUESTED_AT, prior_returns=9)


VERDICTS = [late_headphones, three_rejections, too_many_cases, two_currencies, every_risk]
# The reasons logs write with plain amounts ("4999.00 CNY") and times ("... 09:15 UTC").
WITH_MONEY_OR_MOMENTS = {EligibilityReasonCode.WINDOW_PASSED, EligibilityReasonCode.HIGH_VALUE}


def plan(reason: ReturnReason, amount: str = "20.00", currency: str = "CNY") -> PlaybookPlan:
    money = Money(amount=Decimal(amount), currency=currency)
    return playbook_plan(reason, coupon=money, refundable=money)


# --- Every reason and plan in every language --------------------------------------------


@pytest.mark.parametrize("locale", list(Locale))
@pytest.mark.parametrize("code", list(EligibilityReasonCode))
def test_every_reason_is_worded_in_every_language(
    code: EligibilityReasonCode, locale: Locale
) -> None:
    text = describe_reason(EligibilityReason(code=code, params=EVERY_PARAM), locale)

    assert text and "{" not in text and "}" not in text
    assert bool(CHINESE.search(text)) is (locale is ZH)


@pytest.mark.parametrize("category", sorted(NON_RETURNABLE_CATEGORIES))
def test_every_non_returnable_category_has_a_chinese_name(category: str) -> None:
    reason = EligibilityReason(
        code=EligibilityReasonCode.NOT_RETURNABLE, params=EVERY_PARAM | {"category": category}
    )

    assert category not in describe_reason(reason, ZH)


def test_a_category_without_a_chinese_name_is_quoted() -> None:
    reason = EligibilityReason(
        code=EligibilityReasonCode.NOT_RETURNABLE, params=EVERY_PARAM | {"category": "kites"}
    )

    assert "属于“kites”类商品" in describe_reason(reason, ZH)
    assert ": kites items cannot be returned" in describe_reason(reason, EN)


def test_both_languages_word_the_same_pieces() -> None:
    # Chinese names a line's order and SKU once, in its subject, and a missed window's
    # category not at all; everything else asks for the same values in both languages.
    assert RETURN_WORDS.mismatches() == [
        "zh-CN:order_not_in_request",
        "zh-CN:sku_not_in_order",
        "zh-CN:window_passed",
    ]


@pytest.mark.parametrize(
    ("reason", "locale", "text"),
    [
        (
            ReturnReason.WRONG_ITEM,
            EN,
            "We are sorry we sent the wrong item. We will collect it at our cost, ship the "
            "right one to you, and add an apology coupon worth CN¥20.00. If you would rather "
            "have a refund, decline this plan.",
        ),
        (
            ReturnReason.WRONG_ITEM,
            ZH,
            "非常抱歉发错了商品。我们将免费上门取回错发的商品，并为您重新发出正确的商品，"
            "另附一张 ¥20.00 道歉优惠券。如您更希望退款，也可以拒绝此方案。",
        ),
        (
            ReturnReason.DAMAGED_IN_TRANSIT,
            EN,
            "We are sorry your item was damaged in transit. We will collect it at our cost and "
            "compensate you CN¥20.00 as you chose; we claim the loss from the carrier "
            "ourselves.",
        ),
        (
            ReturnReason.DAMAGED_IN_TRANSIT,
            ZH,
            "很抱歉商品在运输途中受损。我们将免费取回受损商品，并按您的选择补偿 ¥20.00；"
            "运输损失由我们向承运商索赔。",
        ),
    ],
)
def test_each_plan_in_each_language(reason: ReturnReason, locale: Locale, text: str) -> None:
    assert describe_plan(plan(reason), locale) == text


def test_a_plan_shows_its_amount_in_its_currency_as_each_language_writes_it() -> None:
    damaged = plan(ReturnReason.DAMAGED_IN_TRANSIT, "1350.5", "USD")

    assert "compensate you $1,350.50 as you chose" in describe_plan(damaged, EN)
    assert "补偿 US$1,350.50；" in describe_plan(damaged, ZH)


def test_the_plan_offers_the_coupon_for_a_wrong_item_and_the_worth_for_damage() -> None:
    coupon = Money(amount=Decimal("20.00"), currency="CNY")
    worth = Money(amount=Decimal("499.00"), currency="CNY")

    wrong = playbook_plan(ReturnReason.WRONG_ITEM, coupon=coupon, refundable=worth)
    damaged = playbook_plan(ReturnReason.DAMAGED_IN_TRANSIT, coupon=coupon, refundable=worth)

    assert (wrong.amount, damaged.amount) == (coupon, worth)


@pytest.mark.parametrize("locale", list(Locale))
def test_a_plan_worded_before_plans_were_data_is_shown_as_it_came(locale: Locale) -> None:
    worded = "非常抱歉发错了商品。……另附一张 20 元道歉优惠券。"

    assert describe_plan(worded, locale) == worded


# --- The English of logs and the API ----------------------------------------------------


@pytest.mark.parametrize("verdict", VERDICTS, ids=lambda make: make.__name__)
def test_the_logged_english_is_the_english_sentence(verdict: Callable[[], Eligibility]) -> None:
    details = verdict().details
    logged = policy_reasons(details)

    assert len(logged) == len(details)
    for text, detail in zip(logged, details, strict=True):
        if detail.code in WITH_MONEY_OR_MOMENTS:
            assert "¥" not in text and NNBSP not in text
        else:
            assert text == describe_reason(detail, EN)


def test_the_logged_english_keeps_the_policys_plain_amounts_and_times() -> None:
    assert policy_reasons(late_headphones().details) == [
        "Line 1 (order ord-20261030-5521, SKU sku-hp-wh1000): the 15-day return window for "
        "electronics items closed on 2026-11-17 09:15 UTC (delivered 2026-11-02 09:15 UTC)."
    ]
    assert policy_reasons(every_risk().details)[1] == (
        "The refundable amount 4999.00 CNY is above the auto-approval limit of 3000.00 CNY."
    )


# --- Concrete texts ---------------------------------------------------------------------


def test_a_missed_window_in_both_languages_at_the_readers_local_time() -> None:
    verdict = late_headphones()

    assert describe_eligibility(verdict, ZH) == (
        "第1行（订单 ord-20261030-5521 的商品 sku-hp-wh1000）已超过 15 天退货期"
        "（2026年11月2日 17:15 +0800 签收，退货期已于 2026年11月17日 17:15 +0800 截止）。"
    )
    assert describe_eligibility(verdict, EN) == (
        "Line 1 (order ord-20261030-5521, SKU sku-hp-wh1000): the 15-day return window for "
        f"electronics items closed on November 17, 2026, 9:15{NNBSP}AM +0000 (delivered "
        f"November 2, 2026, 9:15{NNBSP}AM +0000)."
    )


def test_several_reasons_are_joined_in_the_readers_language() -> None:
    verdict = three_rejections()

    assert describe_eligibility(verdict, ZH) == (
        "第1行（订单 ord-20261030-5521 的商品 sku-hp-wh1000）属于食品类商品，"
        "除发错货、运输损坏或质量问题外不支持退货；"
        "第2行（订单 ord-20261030-5521 的商品 sku-case-07）已超过 7 天退货期"
        "（2026年11月2日 17:15 +0800 签收，退货期已于 2026年11月9日 17:15 +0800 截止）；"
        "第3行（订单 ord-missing 的商品 sku-hp-wh1000）所属的订单不在本次退货申请中。"
    )
    english = describe_eligibility(verdict, EN)
    assert english.startswith(
        "Line 1 (order ord-20261030-5521, SKU sku-hp-wh1000): food items cannot be returned "
        "unless they arrived wrong, damaged or defective.; Line 2 "
    )
    assert english.endswith(
        "; Line 3 (order ord-missing, SKU sku-hp-wh1000): order ord-missing is not among the "
        "orders of this return."
    )


def test_too_many_items_across_lines() -> None:
    verdict = too_many_cases()

    assert describe_eligibility(verdict, ZH) == (
        "订单 ord-20261030-5521 的商品 sku-case-07 申请退货 3 件（第1、2行），但只购买了 2 件。"
    )
    assert describe_eligibility(verdict, EN) == (
        "Order ord-20261030-5521, SKU sku-case-07: 3 to return (lines 1, 2) but only 2 ordered."
    )


def test_orders_in_two_currencies() -> None:
    assert describe_eligibility(two_currencies(), ZH) == (
        "这些订单使用了不同币种支付（订单 ord-20261030-5521：CNY，订单 ord-us-9：USD），"
        "请按币种分别提交退货申请。"
    )
    assert describe_eligibility(two_currencies(), EN) == (
        "The orders were paid in different currencies (ord-20261030-5521 in CNY, ord-us-9 in "
        "USD); open one return per currency."
    )


def test_the_reasons_for_a_review_in_both_languages_with_money_through_babel() -> None:
    verdict = every_risk()

    assert describe_eligibility(verdict, ZH) == (
        "顾客 cust-10086 近 90 天内已有 9 次其他退货（满 5 次需人工审核）；"
        "可退金额 ¥4,999.00 超过自动审批上限 ¥3,000.00；"
        "以“商品质量问题”为由退货需要提供照片或视频，但未上传任何凭证。"
    )
    assert describe_eligibility(verdict, EN) == (
        "Customer cust-10086 has made 9 other returns in the last 90 days (review from 5).; "
        "The refundable amount CN¥4,999.00 is above the auto-approval limit of CN¥3,000.00.; "
        'The reason "defective" needs photos or video, but none were attached.'
    )


# --- Verdicts without reasons, from before reasons were data, and a person's words ------


@pytest.mark.parametrize("locale", list(Locale))
def test_an_approval_has_nothing_to_say(locale: Locale) -> None:
    verdict = assess_return(make_return_request(), requested_at=REQUESTED_AT, prior_returns=0)

    assert describe_eligibility(verdict, locale) == ""
    assert describe_reasons([], locale) == ""


@pytest.mark.parametrize("locale", list(Locale))
def test_a_verdict_from_before_details_falls_back_to_its_english_reasons(locale: Locale) -> None:
    # As an Eligibility stored in a history before `details` existed decodes.
    verdict = Eligibility.model_validate(
        {
            "decision": EligibilityDecision.REJECTED,
            "reasons": ["Order ord-1 is listed more than once; list each order once.", "Late."],
        }
    )

    assert verdict.details == []
    assert describe_eligibility(verdict, locale) == (
        "Order ord-1 is listed more than once; list each order once.; Late."
    )


@pytest.mark.parametrize("locale", list(Locale))
def test_reasons_given_as_text_are_shown_as_they_came(locale: Locale) -> None:
    # A reviewer's own words, or reasons a running workflow worded before they were data.
    assert describe_reasons("Item shows heavy wear.", locale) == "Item shows heavy wear."


def test_a_product_category_is_named_as_the_return_windows_match_it() -> None:
    assert category_name("apparel", Locale.ZH_CN) == "服装类"
    assert category_name(" Apparel ", Locale.ZH_CN) == "服装类"
    assert category_name("apparel", Locale.EN) == "apparel"
    assert category_name("garden", Locale.ZH_CN) == "“garden”类"
