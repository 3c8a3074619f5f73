"""The notification outbox: every message Redress sends, written once, delivered later."""

from datetime import UTC, datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS
from store.types import UtcDateTime


def _utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(SQLModel, table=True):
    """One rendered message; a delivery relay sets `sent_at` once it has gone out."""

    __tablename__ = "outbox_messages"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS)
    complaint_id: str = Field(index=True, max_length=64)
    # `NotificationTemplate`, `Locale` and `RecipientKind` values.
    template: str = Field(max_length=64)
    locale: str = Field(max_length=16)
    recipient_kind: str = Field(max_length=16)
    recipient_id: str = Field(index=True, max_length=64)
    # None when the relay looks the recipient's address up itself.
    address: str | None = Field(default=None, max_length=254)
    subject: str = Field(max_length=500)
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
    # Indexed: the relay polls for unsent messages.
    sent_at: datetime | None = Field(default=None, index=True, sa_type=UtcDateTime)
