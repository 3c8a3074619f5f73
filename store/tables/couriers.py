"""The sandbox courier's parcels and their tracking events, and the traces and claims
Redress opened with it.

Statuses and fates are stored as their string values (plain VARCHAR), like every
enumeration in the store, so a new one needs no migration.
"""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS
from store.types import MONEY, UtcDateTime


class ParcelFate(StrEnum):
    """What the sandbox will do with a parcel, drawn once when it is created."""

    DELIVER = "deliver"
    # Picked up and in transit, then never seen again: later reported LOST.
    LOSE = "lose"
    # A failed delivery attempt (EXCEPTION) before it is delivered after all.
    EXCEPTION_THEN_DELIVER = "exception_then_deliver"
    # A return label the customer never uses: it stays LABEL_CREATED for good.
    NEVER_SHIPPED = "never_shipped"


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SandboxParcel(SQLModel, table=True):
    """One parcel the sandbox courier carries (or waits for), moved on by its simulator."""

    __tablename__ = "sandbox_parcels"

    # "PCL-000123"
    parcel_id: str = Field(primary_key=True, max_length=40)
    idempotency_key: str = Field(unique=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS)
    # "SBX000000123"
    tracking_number: str = Field(unique=True, max_length=40)
    carrier: str = Field(default="sandbox", max_length=32)
    # A `domain.returns.ParcelDirection` value.
    direction: str = Field(max_length=16)
    return_id: str = Field(index=True, max_length=64)
    customer_id: str = Field(max_length=64)
    # The items as JSON: [{"quantity": 1, "sku": "..."}, ...].
    items_json: str = Field(sa_type=Text)
    label_url: str | None = Field(default=None, max_length=300)
    pickup_booked: bool = False
    ship_by: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # A `domain.returns.TrackingStatus` value: the latest event.
    status: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
    # When the simulator moves the parcel on next; None once it has nowhere left to go.
    next_event_at: datetime | None = Field(default=None, index=True, sa_type=UtcDateTime)
    # How many events of the parcel's route (LABEL_CREATED first) were recorded so far.
    events_sent: int = Field(default=0, ge=0)
    # A `ParcelFate` value.
    fate: str = Field(max_length=32)
    cancelled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The key of the cancellation: a repeated cancel is recognised, a reused key refused.
    cancel_idempotency_key: str | None = Field(
        default=None, unique=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS
    )


class SandboxParcelEvent(SQLModel, table=True):
    """One tracking event of a sandbox parcel, and whether the webhook has taken it."""

    __tablename__ = "sandbox_parcel_events"

    # "EVT-<32 hex digits>": the id a webhook receiver de-duplicates repeated deliveries by.
    event_id: str = Field(primary_key=True, max_length=64)
    parcel_id: str = Field(index=True, max_length=40)
    # The event's place among its parcel's events (0 first).
    seq: int = Field(ge=0)
    # A `domain.returns.TrackingStatus` value.
    status: str = Field(max_length=16)
    at: datetime = Field(sa_type=UtcDateTime)
    detail: str = Field(default="", max_length=500)
    delivered_to_webhook: bool = Field(default=False, index=True)
    # Webhook deliveries that failed so far, and what the last one ran into.
    failed_deliveries: int = Field(default=0, ge=0)
    last_delivery_error: str | None = Field(default=None, max_length=500)


class CarrierClaim(SQLModel, table=True):
    """A claim on the carrier for a parcel it lost or damaged."""

    __tablename__ = "carrier_claims"

    # "CLM-000123"
    claim_id: str = Field(primary_key=True, max_length=40)
    idempotency_key: str = Field(unique=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS)
    return_id: str = Field(index=True, max_length=64)
    parcel_id: str | None = Field(default=None, index=True, max_length=40)
    amount: Decimal = Field(sa_type=MONEY)
    currency: str = Field(max_length=3)
    reason: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)


class CourierTrace(SQLModel, table=True):
    """A trace (a search for a parcel that stopped moving) opened with the carrier."""

    __tablename__ = "courier_traces"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS)
    parcel_id: str = Field(index=True, max_length=40)
    reason: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
