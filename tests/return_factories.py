"""Realistic return objects for tests: call a factory, override only what the test is about.

    make_return_request(reason=ReturnReason.CHANGED_MIND, evidence_urls=[])
    make_return_view(status=ReturnStatus.COMPLETED, outcome=ReturnOutcome.REFUND)

The default order was delivered on a fixed Monday morning (UTC) and the default request
comes three days later, inside every return window.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from domain.complaints import OrderItem
from domain.returns import (
    Eligibility,
    EligibilityDecision,
    ReturnEvent,
    ReturnEventKind,
    ReturnLine,
    ReturnOrder,
    ReturnProjection,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
    ReturnView,
)
from tests.factories import OPENED_AT, make_customer

DELIVERED_AT = OPENED_AT
REQUESTED_AT = DELIVERED_AT + timedelta(days=3)

_return_numbers = count(1)


def next_return_id() -> str:
    """Returns a return id no other factory call has returned in this test run."""
    return f"rma-{next(_return_numbers):06d}"


def make_return_order(**overrides: Any) -> ReturnOrder:
    """Returns a delivered, paid order of headphones and two cases in CNY."""
    values: dict[str, Any] = {
        "order_id": "ord-20261030-5521",
        "items": [
            OrderItem(
                sku="sku-hp-wh1000",
                name="Wireless headphones",
                price=Decimal("1299.00"),
                quantity=1,
            ),
            OrderItem(sku="sku-case-07", name="Headphone case", price=Decimal("89.00"), quantity=2),
        ],
        "paid_amount": Decimal("1477.00"),
        "currency": "CNY",
        "payment_id": "pay-7f3a91",
        "delivered_at": DELIVERED_AT,
    }
    return ReturnOrder(**(values | overrides))


def make_return_line(**overrides: Any) -> ReturnLine:
    """Returns one pair of the default order's headphones."""
    values: dict[str, Any] = {
        "order_id": "ord-20261030-5521",
        "sku": "sku-hp-wh1000",
        "quantity": 1,
        "product_category": "electronics",
    }
    return ReturnLine(**(values | overrides))


def make_return_request(**overrides: Any) -> ReturnRequest:
    """Returns a request to send back defective headphones, with a photo, for a refund."""
    values: dict[str, Any] = {
        "customer": make_customer(),
        "orders": [make_return_order()],
        "lines": [make_return_line()],
        "reason": ReturnReason.DEFECTIVE,
        "description": "左耳没有声音。",
        "evidence_urls": ["https://cdn.example.com/evidence/hp-left-silent.jpg"],
    }
    return ReturnRequest(**(values | overrides))


def make_two_currency_request() -> ReturnRequest:
    """Returns a request drawing on the default CNY order and a USD order of a cable."""
    dollars = make_return_order(
        order_id="ord-us-9",
        items=[OrderItem(sku="sku-cable", price=Decimal("12.00"), quantity=1)],
        paid_amount=Decimal("12.00"),
        currency="USD",
    )
    return make_return_request(
        orders=[make_return_order(), dollars],
        lines=[make_return_line(), make_return_line(order_id="ord-us-9", sku="sku-cable")],
    )


def make_return_view(**overrides: Any) -> ReturnView:
    """Returns a return just approved by the policy, awaiting its parcel."""
    created_at: datetime = overrides.get("created_at", REQUESTED_AT)
    values: dict[str, Any] = {
        "return_id": next_return_id(),
        "status": ReturnStatus.AWAITING_SHIPMENT,
        "created_at": created_at,
        "updated_at": created_at + timedelta(seconds=2),
        "request": make_return_request(),
        "eligibility": Eligibility(
            decision=EligibilityDecision.APPROVED, refundable_amount=Decimal("1299.00")
        ),
        "timeline": [
            ReturnEvent(seq=1, at=created_at, kind=ReturnEventKind.RECEIVED, actor="system"),
            ReturnEvent(
                seq=2,
                at=created_at + timedelta(seconds=1),
                kind=ReturnEventKind.ELIGIBILITY,
                actor="system",
                detail="approved",
            ),
        ],
        "timeline_total": 2,
    }
    return ReturnView(**(values | overrides))


def make_return_projection(view: ReturnView | None = None) -> ReturnProjection:
    """Returns a projection of `view` (a fresh one by default) carrying its whole timeline."""
    view = view or make_return_view()
    return ReturnProjection(view=view, new_events=list(view.timeline))
