"""The complaints read model: one row per complaint, its order lines and its timeline.

Workflows own the truth; these tables are a projection of `ComplaintView` kept for lists,
filters and reports, and for showing closed complaints without asking Temporal.
Enumerations are stored as their string values (plain VARCHAR, no database enum types), so
adding a member to a `domain.taxonomy` enum never needs a migration.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.complaints import ComplaintView, TimelineEvent, TimelineKind
from store.types import MONEY, UtcDateTime


class ComplaintSummary(SQLModel):
    """Returns the columns of a complaint that lists and filters show (the public shape)."""

    complaint_id: str = Field(primary_key=True, max_length=64)
    status: str = Field(index=True, max_length=32)
    close_reason: str | None = Field(default=None, max_length=32)
    category: str | None = Field(default=None, index=True, max_length=32)
    sub_category: str | None = Field(default=None, max_length=32)
    tier: str | None = Field(default=None, index=True, max_length=16)
    channel: str = Field(max_length=16)
    customer_id: str = Field(index=True, max_length=64)
    customer_tier: str = Field(max_length=16)
    locale: str = Field(max_length=16)
    order_id: str | None = Field(default=None, max_length=64)
    # The first order line's SKU; every line is in `complaint_items`.
    primary_sku: str | None = Field(default=None, max_length=64)
    paid_amount: Decimal | None = Field(default=None, sa_type=MONEY)
    currency: str | None = Field(default=None, max_length=3)
    # The customer's region as the platform sent it (`customer.region`).
    region: str | None = Field(default=None, max_length=64)
    team: str | None = Field(default=None, max_length=64)
    assignee: str | None = Field(default=None, index=True, max_length=64)
    escalation_level: str = Field(max_length=16)
    sla_breached: bool = Field(default=False, index=True)
    # Something only a person can put right (`ComplaintView.needs_person`).
    needs_person: bool = False
    first_response_due: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolution_due: datetime | None = Field(default=None, sa_type=UtcDateTime)
    first_responded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Wall-clock seconds from opening to each clock being met, and whether it broke its
    # SLA: stored so reports take medians and rates without date arithmetic per database.
    first_response_seconds: int | None = None
    resolution_seconds: int | None = None
    first_response_breached: bool = False
    resolution_breached: bool = False
    refunded_total: Decimal = Field(default=Decimal("0"), sa_type=MONEY)
    auto_resolved: bool = False
    root_cause: str | None = Field(default=None, max_length=32)
    # Indexed together with complaint_id below.
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ComplaintRecord(ComplaintSummary, table=True):
    """One complaint in the read model, with its full view as JSON."""

    __tablename__ = "complaints"
    __table_args__ = (
        # Lists are newest first and page by (created_at, complaint_id); the leading column
        # also serves "created since" filters.
        Index("ix_complaints_created_at_complaint_id", "created_at", "complaint_id"),
        # A team's queue: its open complaints (`store.complaint_queue`).
        Index("ix_complaints_team_status", "team", "status"),
    )

    description: str = Field(sa_type=Text)
    view_json: str = Field(sa_type=Text)

    def as_view(self) -> ComplaintView:
        """Returns the complaint's view as it was last projected."""
        return ComplaintView.model_validate_json(self.view_json)


class ComplaintItemRecord(SQLModel, table=True):
    """One line of the order a complaint is about, for questions like "complaints per SKU"."""

    __tablename__ = "complaint_items"
    __table_args__ = (UniqueConstraint("complaint_id", "line"),)

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: str = Field(
        foreign_key="complaints.complaint_id", ondelete="CASCADE", max_length=64
    )
    line: int
    sku: str = Field(index=True, max_length=64)
    name: str | None = Field(default=None, max_length=200)
    price: Decimal = Field(sa_type=MONEY)
    quantity: int


class TimelineEventRecord(SQLModel, table=True):
    """One timeline event of a complaint; (complaint_id, seq) is unique so replays add nothing."""

    __tablename__ = "timeline_events"
    __table_args__ = (UniqueConstraint("complaint_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: str = Field(
        foreign_key="complaints.complaint_id", ondelete="CASCADE", index=True, max_length=64
    )
    seq: int
    # Indexed for the audit trail's date range.
    at: datetime = Field(sa_type=UtcDateTime, index=True)
    kind: str = Field(max_length=32)
    # "customer:" and a customer id of up to 64 characters, or a staff id.
    actor: str = Field(max_length=128)
    detail: str = Field(default="", sa_type=Text)

    def as_event(self) -> TimelineEvent:
        """Returns the stored event as the domain type the API and workflows share."""
        return TimelineEvent(
            seq=self.seq,
            at=self.at,
            kind=TimelineKind(self.kind),
            actor=self.actor,
            detail=self.detail,
        )
