"""Helpers for the tests of goods in a resolution: an order with two items, and the
replacement orders the sandbox warehouse holds for a complaint."""

from typing import Any

from sqlmodel import select

from store.tables.fulfillment import ReplacementOrder
from tests.api.support import Api

ITEMS = [
    {"sku": "BLEND-200", "name": "Blender", "price": "99.00", "quantity": 2},
    {"sku": "LID-01", "name": "Spare lid", "price": "9.00", "quantity": 1},
]


def with_items(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Returns an order for the default intake holding `items`."""
    return {
        "order_id": "ord-goods-1",
        "items": items,
        "paid_amount": "207.00",
        "currency": "CNY",
        "payment_id": "pay-goods-1",
    }


def replacement_orders(api: Api, complaint_id: str) -> list[ReplacementOrder]:
    """Returns the replacements the sandbox warehouse holds for the complaint."""
    with api.sessions() as session:
        found = select(ReplacementOrder).where(ReplacementOrder.complaint_id == complaint_id)
        return list(session.exec(found).all())
