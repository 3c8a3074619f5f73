"""The notification outbox: every message Redress sends, written once, delivered later."""

from datetime import UTC, datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel


def _utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(SQLModel, table=True):
    """One rendered message; a delivery relay sets `sent_at` once it has gone out."""

    __tablename__ = "outbox_messages"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True)
    complaint_id: str = Field(index=True)
    # A `NotificationTemplate`, `Locale` and `RecipientKind` value.
    template: str = Field(max_length=64)
    locale: str = Field(max_length=16)
    recipient_kind: str = Field(max_length=16)
    recipient_id: str = Field(index=True)
    # None when the relay must look the recipient's address up itself.
    address: str | None = None
    subject: str
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=_utcnow)
    sent_at: datetime | None = Field(default=None, index=True)
