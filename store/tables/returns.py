"""The returns read model: one row per return, its timeline, and the stock it put back.

Like the complaint tables, `returns` and `return_events` are a projection of the
workflow's `ReturnView`, kept for lists, filters, the courier webhook's lookups and the
serial-returner count. Enumerations are stored as their string values (plain VARCHAR).
`stock_movements` is not a projection: it is the sandbox stock ledger restocking writes.
"""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.returns import ReturnEvent, ReturnEventKind, ReturnView
from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS
from store.types import MONEY, UtcDateTime


class ReturnSummary(SQLModel):
    """Returns the columns of a return that lists and filters show (the public shape)."""

    return_id: str = Field(primary_key=True, max_length=64)
    status: str = Field(index=True, max_length=32)
    reason: str = Field(index=True, max_length=32)
    preferred_outcome: str = Field(max_length=16)
    outcome: str | None = Field(default=None, max_length=16)
    customer_id: str = Field(index=True, max_length=64)
    customer_tier: str = Field(max_length=16)
    complaint_id: str | None = Field(default=None, max_length=64)
    # The carrier of the return parcel (of the outbound one when there is no return parcel).
    courier: str | None = Field(default=None, max_length=64)
    # The webhook finds a return by either tracking number: both are indexed.
    return_tracking_number: str | None = Field(default=None, index=True, max_length=64)
    outbound_tracking_number: str | None = Field(default=None, index=True, max_length=64)
    overdue: bool = Field(default=False, index=True)
    # A settlement failed for good and waits for a person (`ReturnView.needs_person`).
    needs_person: bool = Field(default=False, index=True)
    refunded_total: Decimal = Field(default=Decimal("0"), sa_type=MONEY)
    store_credit_total: Decimal = Field(default=Decimal("0"), sa_type=MONEY)
    # The currency of the totals (the orders'), once eligibility was assessed.
    currency: str | None = Field(default=None, max_length=3)
    root_cause: str | None = Field(default=None, max_length=32)
    # Indexed together with return_id below.
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ReturnRecord(ReturnSummary, table=True):
    """One return in the read model, with its full view as JSON."""

    __tablename__ = "returns"
    __table_args__ = (
        # Lists are newest first, ties broken by return_id; the leading column also serves
        # "created since" counts (serial returners).
        Index("ix_returns_created_at_return_id", "created_at", "return_id"),
        # Each return queue is a status (or a flag) listed by deadline.
        Index("ix_returns_status_due_at", "status", "due_at"),
    )

    # The console's return queues read these two; the API's lists leave them out.
    # Who reviews the return while it is under review: "supervisor", or "manager" once
    # the supervisor let it pass.
    review_level: str | None = Field(default=None, max_length=16)
    # When what it waits on falls due (`domain.return_queues.waiting_due_at`); the return
    # queues list the nearest first (the index with status above).
    due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    view_json: str = Field(sa_type=Text)

    def as_view(self) -> ReturnView:
        """Returns the return's view as it was last projected."""
        return ReturnView.model_validate_json(self.view_json)


class ReturnEventRecord(SQLModel, table=True):
    """One timeline event of a return; (return_id, seq) is unique so replays add nothing."""

    __tablename__ = "return_events"
    __table_args__ = (UniqueConstraint("return_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    return_id: str = Field(
        foreign_key="returns.return_id", ondelete="CASCADE", index=True, max_length=64
    )
    seq: int
    # Indexed for the audit trail's date range.
    at: datetime = Field(sa_type=UtcDateTime, index=True)
    kind: str = Field(max_length=32)
    # "customer:" and a customer id of up to 64 characters, or a staff id.
    actor: str = Field(max_length=128)
    detail: str = Field(default="", sa_type=Text)

    def as_event(self) -> ReturnEvent:
        """Returns the stored event as the domain type the API and workflows share."""
        return ReturnEvent(
            seq=self.seq,
            at=self.at,
            kind=ReturnEventKind(self.kind),
            actor=self.actor,
            detail=self.detail,
        )


def _utcnow() -> datetime:
    return datetime.now(UTC)


class StockMovement(SQLModel, table=True):
    """Units of one SKU a return put back into stock, written once per idempotency key."""

    __tablename__ = "stock_movements"

    id: int | None = Field(default=None, primary_key=True)
    # "<restock request key>/<sku>": a retried restock finds its rows instead of adding.
    idempotency_key: str = Field(unique=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS + 65)
    # No foreign key: stock is real even if the return's projection has not landed yet.
    return_id: str = Field(index=True, max_length=64)
    sku: str = Field(index=True, max_length=64)
    quantity: int
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
