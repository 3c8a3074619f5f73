"""The notification outbox: every message Redress sends, written once, delivered later."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS
from store.types import UtcDateTime


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DeliveryStatus(StrEnum):
    """Where the delivery of an outbox message ended; None on the row means not yet (or,
    with the `outbox` provider or for a customer without an e-mail, never)."""

    SENT = "sent"
    FAILED = "failed"
    # Not e-mailed on purpose: a staff recipient with no address (`outbox_only_reason`
    # says which); the console shows staff their work, so nothing failed.
    OUTBOX_ONLY = "outbox_only"


class OutboxMessage(SQLModel, table=True):
    """One rendered message; a delivering provider (`smtp`) records each attempt on it."""

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
    # Indexed: the console and the checks look for unsent messages.
    sent_at: datetime | None = Field(default=None, index=True, sa_type=UtcDateTime)
    # A `DeliveryStatus` value once delivery ended. Indexed: the console's Mail page
    # filters by it.
    delivery_status: str | None = Field(default=None, index=True, max_length=16)
    # Tries to hand the message to the mail server, a crashed one included.
    delivery_attempts: int = Field(default=0)
    # What the last failed try met (the server's answer, or why no server answered).
    last_delivery_error: str | None = Field(default=None, max_length=1000)
    # The e-mail's `Message-ID`, derived from `idempotency_key` (the same on every try).
    # Indexed: the inbound gateway finds the message a reply or a bounce names by it.
    mail_message_id: str | None = Field(default=None, index=True, max_length=254)
    # Why the message stayed in the outbox (`DeliveryStatus.OUTBOX_ONLY`), in words an
    # operator can act on ("user supervisor-x has no e-mail address").
    outbox_only_reason: str | None = Field(default=None, max_length=500)
    # How the message left (a `domain.customer_contact.CustomerChannel` value): `email`
    # once the mail server took it, or `platform` (a `notification.requested` event
    # written with the row); None while it only sits in the outbox.
    delivery_channel: str | None = Field(default=None, max_length=16)
