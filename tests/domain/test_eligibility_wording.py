import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.complaints import OrderItem
from domain.eligibility_wording import describe_eligibility, describe_reason
from domain.return_policy import NON_RETURNABLE_CATEGORIES, assess_return
from domain.returns import (
    Eligibility,
    EligibilityDecision,
    EligibilityReason,
    EligibilityReasonCode,
    ReturnReason,
)
from domain.taxonomy import Locale
from tests.return_factories import (
    DELIVERED_AT,
    REQUESTED_AT,
    make_return_line,
    make_return_order,
    make_return_request,
)

ZH = Locale.ZH_CN
EN = Locale.EN
CHINESE = re.compile(r"[\u4e00-\u9fff]")

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
    dollars = make_return_order(
        order_id="ord-us-9",
        items=[OrderItem(sku="sku-cable", price=Decimal("12.00"), quantity=1)],
        paid_amount=Decimal("12.00"),
        currency="USD",
    )
    request = make_return_request(
        orders=[make_return_order(), dollars],
        lines=[make_return_line(), make_return_line(order_id="ord-us-9", sku="sku-cable")],
    )
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


# --- Every reason in every language -----------------------------------------------------


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


@pytest.mark.parametrize("verdict", VERDICTS, ids=lambda make: make.__name__)
def test_the_english_wording_is_the_policys_own_reasons(
    verdict: Callable[[], Eligibility],
) -> None:
    eligibility = verdict()

    assert describe_eligibility(eligibility, EN) == "; ".join(eligibility.reasons)


# --- Concrete texts ---------------------------------------------------------------------


def test_a_missed_window_in_both_languages_at_the_readers_local_time() -> None:
    verdict = late_headphones()

    assert describe_eligibility(verdict, ZH) == (
        "第1行（订单 ord-20261030-5521 的商品 sku-hp-wh1000）已超过 15 天退货期"
        "（2026-11-02 17:15 CST 签收，退货期已于 2026-11-17 17:15 CST 截止）。"
    )
    assert describe_eligibility(verdict, EN) == (
        "Line 1 (order ord-20261030-5521, SKU sku-hp-wh1000): the 15-day return window for "
        "electronics items closed on 2026-11-17 09:15 UTC (delivered 2026-11-02 09:15 UTC)."
    )


def test_several_reasons_are_joined_in_the_readers_language() -> None:
    verdict = three_rejections()

    assert describe_eligibility(verdict, ZH) == (
        "第1行（订单 ord-20261030-5521 的商品 sku-hp-wh1000）属于食品类商品，"
        "除发错货、运输损坏或质量问题外不支持退货；"
        "第2行（订单 ord-20261030-5521 的商品 sku-case-07）已超过 7 天退货期"
        "（2026-11-02 17:15 CST 签收，退货期已于 2026-11-09 17:15 CST 截止）；"
        "第3行（订单 ord-missing 的商品 sku-hp-wh1000）所属的订单不在本次退货申请中。"
    )
    assert describe_eligibility(verdict, EN) == (
        "Line 1 (order ord-20261030-5521, SKU sku-hp-wh1000): food items cannot be returned "
        "unless they arrived wrong, damaged or defective.; "
        "Line 2 (order ord-20261030-5521, SKU sku-case-07): the 7-day return window for "
        "general items closed on 2026-11-09 09:15 UTC (delivered 2026-11-02 09:15 UTC).; "
        "Line 3 (order ord-missing, SKU sku-hp-wh1000): order ord-missing is not among the "
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


def test_the_reasons_for_a_review_in_both_languages() -> None:
    verdict = every_risk()

    assert describe_eligibility(verdict, ZH) == (
        "顾客 cust-10086 近 90 天内已有 9 次其他退货（满 5 次需人工审核）；"
        "可退金额 4999.00 CNY 超过自动审批上限 3000.00 CNY；"
        "以“商品质量问题”为由退货需要提供照片或视频，但未上传任何凭证。"
    )
    assert describe_eligibility(verdict, EN) == (
        "Customer cust-10086 has made 9 other returns in the last 90 days (review from 5).; "
        "The refundable amount 4999.00 CNY is above the auto-approval limit of 3000.00 CNY.; "
        'The reason "defective" needs photos or video, but none were attached.'
    )


# --- Verdicts without reasons, or from before reasons were data -------------------------


@pytest.mark.parametrize("locale", list(Locale))
def test_an_approval_has_nothing_to_say(locale: Locale) -> None:
    verdict = assess_return(make_return_request(), requested_at=REQUESTED_AT, prior_returns=0)

    assert describe_eligibility(verdict, locale) == ""


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
