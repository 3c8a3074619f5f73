"""Mail the gateway took in: one row per Message-ID, whatever became of it."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.types import UtcDateTime

# Longer Message-IDs are replaced by one derived from the mail's bytes (`inbound.mail.parse`).
MAX_MESSAGE_ID_CHARS = 500


def _utcnow() -> datetime:
    return datetime.now(UTC)


class InboundOutcome(StrEnum):
    """What the gateway did with a mail; None on the row means stored, not acted on yet."""

    # A new complaint, or the customer's message on one.
    OPENED = "opened"
    REPLIED = "replied"
    # An auto-reply, list mail or a loop: recorded, nothing else.
    AUTOMATIC = "automatic"
    # A delivery report on Redress's own mail: that message is marked failed.
    BOUNCE = "bounce"
    # Not Redress's to take (a case address nobody was given, read from a mailbox).
    REFUSED = "refused"
    # Kept for a person: malformed MIME, a reply to a closed case, a case with no
    # messages from customers.
    NEEDS_PERSON = "needs_person"


class InboundMail(SQLModel, table=True):
    """A mail as received, where its raw bytes are kept, and what it led to."""

    __tablename__ = "inbound_mail"

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True, max_length=MAX_MESSAGE_ID_CHARS)
    received_at: datetime = Field(default_factory=_utcnow, index=True, sa_type=UtcDateTime)
    # The SMTP envelope (the mailbox it was read from, for mail polled over IMAP).
    envelope_from: str = Field(default="", max_length=254)
    envelope_to: str = Field(default="", sa_type=Text)
    sender: str = Field(default="", index=True, max_length=254)
    subject: str = Field(default="", max_length=500)
    # The customer's words: quoted history and signature stripped.
    text: str = Field(default="", sa_type=Text)
    # `[{"filename", "content_type", "size", "sha256"}, ...]`
    attachments_json: str = Field(default="[]", sa_type=Text)
    # The raw message: a file named by its SHA-256 under `mail_inbound_dir`.
    raw_sha256: str = Field(max_length=64)
    raw_size: int
    raw_path: str = Field(max_length=1000)
    # An `InboundOutcome` value, None until acted on; why, in words; the case it concerns.
    outcome: str | None = Field(default=None, index=True, max_length=16)
    detail: str = Field(default="", max_length=1000)
    case_id: str | None = Field(default=None, index=True, max_length=64)
    acted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
