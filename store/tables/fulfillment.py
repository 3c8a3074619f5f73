"""Replacement orders the sandbox fulfillment provider created (and cancelled)."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Enum as SqlEnum
from sqlmodel import Field, SQLModel


class ReplacementStatus(StrEnum):
    CREATED = "created"
    CANCELLED = "cancelled"


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ReplacementOrder(SQLModel, table=True):
    """A replacement shipment for a complaint; cancelling it keeps the row."""

    __tablename__ = "replacement_orders"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True)
    complaint_id: str = Field(index=True)
    customer_id: str = Field(index=True)
    order_id: str | None = Field(default=None, index=True)
    # The replaced items as JSON: [{"sku": "...", "quantity": 1}, ...].
    items_json: str
    # "RP-000123"
    reference: str = Field(unique=True)
    status: ReplacementStatus = Field(
        default=ReplacementStatus.CREATED,
        sa_type=SqlEnum(
            ReplacementStatus,
            native_enum=False,
            length=16,
            values_callable=lambda statuses: [status.value for status in statuses],
        ),
    )
    created_at: datetime = Field(default_factory=_utcnow)
    cancelled_at: datetime | None = None
    # The key of the undo that cancelled it: a repeated cancel returns the same receipt.
    cancel_idempotency_key: str | None = Field(default=None, unique=True)
