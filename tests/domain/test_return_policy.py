from datetime import timedelta
from decimal import Decimal

import pytest

from core.wording.return_words import policy_reasons
from domain.complaints import OrderItem
from domain.return_policy import (
    MERCHANT_FAULT_WINDOW_DAYS,
    RETURN_RISK,
    RETURN_WINDOW_DAYS,
    assess_return,
)
from domain.return_reasons import EligibilityReasonCode
from domain.returns import Eligibility, EligibilityDecision, ReturnReason, ReturnRequest
from tests.return_factories import (
    DELIVERED_AT,
    REQUESTED_AT,
    make_return_line,
    make_return_order,
    make_return_request,
    make_two_currency_request,
)

APPROVED = EligibilityDecision.APPROVED
REVIEW = EligibilityDecision.MANUAL_REVIEW
REJECTED = EligibilityDecision.REJECTED
HEADPHONES = "Line 1 (order ord-20261030-5521, SKU sku-hp-wh1000)"
Code = EligibilityReasonCode


def codes(verdict: Eligibility) -> list[EligibilityReasonCode]:
    """Returns the codes of the verdict's reasons."""
    return [detail.code for detail in verdict.details]


def english(verdict: Eligibility) -> list[str]:
    """Returns the verdict's reasons in English, as the eligibility activity logs them."""
    return policy_reasons(verdict.details)


def change_of_mind(category: str, **overrides: object) -> ReturnRequest:
    return make_return_request(
        reason=ReturnReason.CHANGED_MIND,
        evidence_urls=[],
        lines=[make_return_line(product_category=category)],
        **overrides,
    )


# --- Clean requests ---------------------------------------------------------------------


def test_a_clean_request_is_approved_for_what_its_lines_are_worth() -> None:
    request = make_return_request(
        lines=[make_return_line(), make_return_line(sku="sku-case-07", quantity=2)]
    )

    verdict = assess_return(request, requested_at=REQUESTED_AT, prior_returns=0)

    assert verdict.decision is APPROVED
    assert english(verdict) == [] and verdict.details == []
    assert (verdict.refundable_amount, verdict.currency) == (Decimal("1477.00"), "CNY")


def test_an_order_not_yet_delivered_is_inside_the_window() -> None:
    request = change_of_mind("general", orders=[make_return_order(delivered_at=None)])

    verdict = assess_return(
        request, requested_at=REQUESTED_AT + timedelta(days=60), prior_returns=0
    )

    assert verdict.decision is APPROVED


# --- Return windows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "days"),
    [("general", 7), ("apparel", 15), ("electronics", 15), ("cosmetics", 7), ("garden", 7)],
)
def test_the_window_runs_from_delivery_for_the_lines_category(category: str, days: int) -> None:
    closes = DELIVERED_AT + timedelta(days=days)

    on_the_last_moment = assess_return(
        change_of_mind(category), requested_at=closes, prior_returns=0
    )
    a_second_late = assess_return(
        change_of_mind(category), requested_at=closes + timedelta(seconds=1), prior_returns=0
    )

    assert RETURN_WINDOW_DAYS.get(category, 7) == days
    assert on_the_last_moment.decision is APPROVED
    assert a_second_late.decision is REJECTED
    assert a_second_late.refundable_amount == 0
    assert english(a_second_late) == [
        f"{HEADPHONES}: the {days}-day return window for {category} items closed on "
        f"{closes:%Y-%m-%d %H:%M} UTC (delivered {DELIVERED_AT:%Y-%m-%d %H:%M} UTC)."
    ]
    assert codes(a_second_late) == [Code.WINDOW_PASSED]
    assert a_second_late.details[0].params == {
        "line": "1",
        "order_id": "ord-20261030-5521",
        "sku": "sku-hp-wh1000",
        "category": category,
        "days": str(days),
        "delivered_at": DELIVERED_AT.isoformat(),
        "closed_at": closes.isoformat(),
    }


def test_categories_are_matched_whatever_their_case() -> None:
    verdict = assess_return(
        change_of_mind(" Apparel "), requested_at=DELIVERED_AT + timedelta(days=10), prior_returns=0
    )

    assert verdict.decision is APPROVED


def test_merchant_fault_gets_the_longer_defect_window() -> None:
    request = make_return_request(lines=[make_return_line(product_category="general")])
    within = DELIVERED_AT + timedelta(days=MERCHANT_FAULT_WINDOW_DAYS)

    assert assess_return(request, requested_at=within, prior_returns=0).decision is APPROVED
    late = assess_return(request, requested_at=within + timedelta(hours=1), prior_returns=0)
    assert late.decision is REJECTED
    assert f"the {MERCHANT_FAULT_WINDOW_DAYS}-day return window" in english(late)[0]
    assert codes(late) == [Code.WINDOW_PASSED]
    assert late.details[0].params["days"] == str(MERCHANT_FAULT_WINDOW_DAYS)


# --- Non-returnable goods ---------------------------------------------------------------


@pytest.mark.parametrize("category", ["food", "perishables", "underwear", "custom_made", "digital"])
def test_non_returnable_goods_are_refused_for_a_change_of_mind(category: str) -> None:
    verdict = assess_return(change_of_mind(category), requested_at=REQUESTED_AT, prior_returns=0)

    assert verdict.decision is REJECTED
    assert english(verdict) == [
        f"{HEADPHONES}: {category} items cannot be returned unless they arrived wrong, "
        "damaged or defective."
    ]
    assert codes(verdict) == [Code.NOT_RETURNABLE]
    assert verdict.details[0].params["category"] == category


@pytest.mark.parametrize(
    "reason",
    [ReturnReason.WRONG_ITEM, ReturnReason.DAMAGED_IN_TRANSIT, ReturnReason.DEFECTIVE],
)
def test_non_returnable_goods_are_taken_back_when_the_merchant_is_at_fault(
    reason: ReturnReason,
) -> None:
    request = make_return_request(reason=reason, lines=[make_return_line(product_category="food")])

    verdict = assess_return(
        request, requested_at=DELIVERED_AT + timedelta(days=20), prior_returns=0
    )

    assert verdict.decision is APPROVED


def test_not_as_described_is_no_merchant_fault_for_non_returnable_goods() -> None:
    request = make_return_request(
        reason=ReturnReason.NOT_AS_DESCRIBED,
        lines=[make_return_line(product_category="underwear")],
    )

    verdict = assess_return(request, requested_at=REQUESTED_AT, prior_returns=0)

    assert verdict.decision is REJECTED
    assert codes(verdict) == [Code.NOT_RETURNABLE]


# --- Lines that do not match the orders -------------------------------------------------


def test_a_line_whose_order_is_not_in_the_request_is_rejected() -> None:
    request = make_return_request(
        lines=[make_return_line(), make_return_line(order_id="ord-elsewhere", sku="sku-x")]
    )

    verdict = assess_return(request, requested_at=REQUESTED_AT, prior_returns=0)

    assert verdict.decision is REJECTED
    assert english(verdict) == [
        "Line 2 (order ord-elsewhere, SKU sku-x): order ord-elsewhere is not among the orders "
        "of this return."
    ]
    assert codes(verdict) == [Code.ORDER_NOT_IN_REQUEST]
    assert verdict.details[0].params == {"line": "2", "order_id": "ord-elsewhere", "sku": "sku-x"}


def test_a_sku_the_order_does_not_hold_is_rejected() -> None:
    request = make_return_request(lines=[make_return_line(sku="sku-tv-55")])

    verdict = assess_return(request, requested_at=REQUESTED_AT, prior_returns=0)

    assert verdict.decision is REJECTED
    assert english(verdict) == [
        "Line 1 (order ord-20261030-5521, SKU sku-tv-55): order ord-20261030-5521 has no "
        "item sku-tv-55."
    ]
    assert codes(verdict) == [Code.SKU_NOT_IN_ORDER]


def test_quantities_of_one_sku_are_summed_across_lines() -> None:
    one_case = make_return_line(sku="sku-case-07", quantity=1)
    two_cases = make_return_line(sku="sku-case-07", quantity=2)

    fits = assess_return(
        make_return_request(lines=[one_case, one_case]), requested_at=REQUESTED_AT, prior_returns=0
    )
    too_many = assess_return(
        make_return_request(lines=[make_return_line(), one_case, two_cases]),
        requested_at=REQUESTED_AT,
        prior_returns=0,
    )

    assert fits.decision is APPROVED
    assert too_many.decision is REJECTED
    assert english(too_many) == [
        "Order ord-20261030-5521, SKU sku-case-07: 3 to return (lines 2, 3) but only 2 ordered."
    ]
    assert codes(too_many) == [Code.QUANTITY_ABOVE_ORDERED]
    assert too_many.details[0].params == {
        "order_id": "ord-20261030-5521",
        "sku": "sku-case-07",
        "lines": "2,3",
        "requested": "3",
        "ordered": "2",
    }


def test_more_than_ordered_on_one_line_is_rejected() -> None:
    verdict = assess_return(
        make_return_request(lines=[make_return_line(quantity=2)]),
        requested_at=REQUESTED_AT,
        prior_returns=0,
    )

    assert english(verdict) == [
        "Order ord-20261030-5521, SKU sku-hp-wh1000: 2 to return (line 1) but only 1 ordered."
    ]
    assert codes(verdict) == [Code.QUANTITY_ABOVE_ORDERED]


def test_every_rejection_reason_is_listed() -> None:
    request = make_return_request(
        reason=ReturnReason.CHANGED_MIND,
        lines=[
            make_return_line(product_category="food"),
            make_return_line(sku="sku-case-07", product_category="general"),
            make_return_line(order_id="ord-missing"),
        ],
    )

    verdict = assess_return(request, requested_at=DELIVERED_AT + timedelta(days=8), prior_returns=0)

    assert verdict.decision is REJECTED
    assert [reason.split(":")[0] for reason in english(verdict)] == [
        HEADPHONES,
        "Line 2 (order ord-20261030-5521, SKU sku-case-07)",
        "Line 3 (order ord-missing, SKU sku-hp-wh1000)",
    ]
    assert codes(verdict) == [Code.NOT_RETURNABLE, Code.WINDOW_PASSED, Code.ORDER_NOT_IN_REQUEST]
    assert [detail.params["line"] for detail in verdict.details] == ["1", "2", "3"]


# --- Amounts and currencies -------------------------------------------------------------


def test_the_refundable_amount_is_capped_per_order_by_what_it_was_paid() -> None:
    discounted = make_return_order(
        order_id="ord-sale-1",
        items=[OrderItem(sku="sku-mug", price=Decimal("100.00"), quantity=3)],
        paid_amount=Decimal("250.00"),
    )
    request = make_return_request(
        orders=[make_return_order(), discounted],
        lines=[
            make_return_line(),
            make_return_line(order_id="ord-sale-1", sku="sku-mug", quantity=3),
        ],
    )

    verdict = assess_return(request, requested_at=REQUESTED_AT, prior_returns=0)

    # 1299.00 from the first order (under its cap) + 250.00, the second order's cap.
    assert verdict.decision is APPROVED
    assert verdict.refundable_amount == Decimal("1549.00")


def test_orders_in_different_currencies_are_rejected() -> None:
    request = make_two_currency_request()

    verdict = assess_return(request, requested_at=REQUESTED_AT, prior_returns=0)

    assert verdict.decision is REJECTED
    assert english(verdict) == [
        "The orders were paid in different currencies (ord-20261030-5521 in CNY, ord-us-9 in "
        "USD); open one return per currency."
    ]
    assert codes(verdict) == [Code.MIXED_CURRENCIES]
    assert verdict.details[0].params == {
        "orders": "ord-20261030-5521,ord-us-9",
        "currencies": "CNY,USD",
    }


def test_an_order_listed_twice_is_rejected() -> None:
    request = make_return_request(orders=[make_return_order(), make_return_order()])

    verdict = assess_return(request, requested_at=REQUESTED_AT, prior_returns=0)

    assert verdict.decision is REJECTED
    assert english(verdict) == [
        "Order ord-20261030-5521 is listed more than once; list each order once."
    ]
    assert codes(verdict) == [Code.DUPLICATE_ORDER]
    assert verdict.details[0].params == {"order_id": "ord-20261030-5521"}


def test_the_currency_is_the_orders() -> None:
    order = make_return_order(currency="USD")

    verdict = assess_return(
        make_return_request(orders=[order]), requested_at=REQUESTED_AT, prior_returns=0
    )

    assert (verdict.decision, verdict.currency) == (APPROVED, "USD")


# --- Risk rules -------------------------------------------------------------------------


def test_a_serial_returner_goes_to_manual_review() -> None:
    request = make_return_request()
    limit = RETURN_RISK.serial_returner_returns

    below = assess_return(request, requested_at=REQUESTED_AT, prior_returns=limit - 1)
    at_limit = assess_return(request, requested_at=REQUESTED_AT, prior_returns=limit)

    assert below.decision is APPROVED
    assert at_limit.decision is REVIEW
    assert at_limit.refundable_amount == Decimal("1299.00")
    assert english(at_limit) == [
        f"Customer cust-10086 has made {limit} other returns in the last 90 days "
        f"(review from {limit})."
    ]
    assert codes(at_limit) == [Code.SERIAL_RETURNER]
    assert at_limit.details[0].params == {
        "customer_id": "cust-10086",
        "returns": str(limit),
        "window_days": "90",
        "threshold": str(limit),
    }
    assert codes(below) == []


@pytest.mark.parametrize(
    ("price", "decision"), [(Decimal("3000.00"), APPROVED), (Decimal("3000.01"), REVIEW)]
)
def test_a_high_value_return_goes_to_manual_review(
    price: Decimal, decision: EligibilityDecision
) -> None:
    order = make_return_order(
        items=[OrderItem(sku="sku-hp-wh1000", price=price, quantity=1)], paid_amount=price
    )

    verdict = assess_return(
        make_return_request(orders=[order]), requested_at=REQUESTED_AT, prior_returns=0
    )

    assert verdict.decision is decision
    if decision is REVIEW:
        assert english(verdict) == [
            "The refundable amount 3000.01 CNY is above the auto-approval limit of 3000.00 CNY."
        ]
        assert codes(verdict) == [Code.HIGH_VALUE]
        assert verdict.details[0].params == {
            "amount": "3000.01",
            "currency": "CNY",
            "limit": "3000.00",
        }


@pytest.mark.parametrize(
    "reason",
    [
        ReturnReason.DAMAGED_IN_TRANSIT,
        ReturnReason.DEFECTIVE,
        ReturnReason.NOT_AS_DESCRIBED,
        ReturnReason.WRONG_ITEM,
    ],
)
def test_a_fault_claimed_without_evidence_goes_to_manual_review(reason: ReturnReason) -> None:
    verdict = assess_return(
        make_return_request(reason=reason, evidence_urls=[]),
        requested_at=REQUESTED_AT,
        prior_returns=0,
    )

    assert verdict.decision is REVIEW
    assert english(verdict) == [
        f'The reason "{reason.value}" needs photos or video, but none were attached.'
    ]
    assert codes(verdict) == [Code.EVIDENCE_MISSING]
    assert verdict.details[0].params == {"reason": reason.value}


def test_a_change_of_mind_needs_no_evidence() -> None:
    verdict = assess_return(
        change_of_mind("electronics"), requested_at=REQUESTED_AT, prior_returns=0
    )

    assert verdict.decision is APPROVED


def test_every_risk_is_listed_and_rejection_outranks_review() -> None:
    pricey = make_return_order(
        items=[OrderItem(sku="sku-hp-wh1000", price=Decimal("4999.00"), quantity=1)],
        paid_amount=Decimal("4999.00"),
    )
    risky = make_return_request(orders=[pricey], evidence_urls=[])

    review = assess_return(risky, requested_at=REQUESTED_AT, prior_returns=9)
    rejected = assess_return(risky, requested_at=DELIVERED_AT + timedelta(days=90), prior_returns=9)

    assert review.decision is REVIEW and len(english(review)) == 3
    assert codes(review) == [Code.SERIAL_RETURNER, Code.HIGH_VALUE, Code.EVIDENCE_MISSING]
    assert rejected.decision is REJECTED and len(english(rejected)) == 1
    assert codes(rejected) == [Code.WINDOW_PASSED]


def test_the_verdict_depends_only_on_its_inputs() -> None:
    request = make_return_request()

    first = assess_return(request, requested_at=REQUESTED_AT, prior_returns=2)
    again = assess_return(request, requested_at=REQUESTED_AT, prior_returns=2)

    assert first == again
