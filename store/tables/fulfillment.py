"""Replacement orders the sandbox fulfillment provider created (and cancelled)."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS
from store.types import UtcDateTime


class ReplacementStatus(StrEnum):
    CREATED = "created"
    CANCELLED = "cancelled"


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ReplacementOrder(SQLModel, table=True):
    """A replacement shipment for a complaint; cancelling it keeps the row."""

    __tablename__ = "replacement_orders"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS)
    complaint_id: str = Field(index=True, max_length=64)
    customer_id: str = Field(index=True, max_length=64)
    order_id: str | None = Field(default=None, index=True, max_length=64)
    # The items to ship as JSON: [{"quantity": 1, "sku": "..."}, ...].
    items_json: str = Field(sa_type=Text)
    # "RP-000123"
    reference: str = Field(unique=True, max_length=40)
    # A `ReplacementStatus` value.
    status: str = Field(default=ReplacementStatus.CREATED, max_length=16)
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The key of the undo that cancelled it: a repeated cancel returns the same receipt.
    cancel_idempotency_key: str | None = Field(
        default=None, unique=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS
    )
