"""Courier tracking events the webhook took, one row per courier event id.

Couriers deliver at least once: a repeated `event_id` is answered without reaching the
return's workflow again. The status is stored as its string value (plain VARCHAR).
"""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

from store.types import UtcDateTime


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ReceivedCourierEvent(SQLModel, table=True):
    """One tracking event a courier posted, the return it reached and when it arrived."""

    __tablename__ = "received_courier_events"

    # The courier's own id of the event (`TrackingEvent.event_id`).
    event_id: str = Field(primary_key=True, max_length=100)
    parcel_id: str = Field(index=True, max_length=64)
    return_id: str = Field(index=True, max_length=64)
    # A `domain.returns.TrackingStatus` value.
    status: str = Field(max_length=16)
    received_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
