"""Public mentions the listening route took, one row per post, complaint or not, and the
labels staff gave them."""

from datetime import UTC, datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.types import UtcDateTime


def _utcnow() -> datetime:
    return datetime.now(UTC)


class MentionRecord(SQLModel, table=True):
    """A mention, the detector's verdict on it, and the complaint it opened, if any."""

    __tablename__ = "mentions"

    # Derived from the post's channel and id, or its link: the same post maps to one row.
    mention_id: str = Field(primary_key=True, max_length=16)
    channel: str = Field(index=True, max_length=32)
    author_handle: str = Field(max_length=100)
    external_id: str | None = Field(default=None, max_length=100)
    link: str = Field(max_length=2000)
    text: str = Field(sa_type=Text)
    posted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    is_complaint: bool = Field(index=True)
    score: float
    # Which detector decided ("mention-model" or "mention-rules").
    detector: str = Field(max_length=32)
    complaint_id: str | None = Field(default=None, index=True, max_length=64)
    # Indexed: the console lists mentions newest first.
    received_at: datetime = Field(default_factory=_utcnow, index=True, sa_type=UtcDateTime)


# `Principal.user_id` and the idempotency key's limits, with room for the route's prefix.
MAX_LABELLER_CHARS = 64
MAX_REQUEST_KEY_CHARS = 300


class MentionLabel(SQLModel, table=True):
    """Whether a mention is a complaint, as a person (or the platform) judged it; one per
    mention, kept as training data for the detector."""

    __tablename__ = "mention_labels"

    id: int | None = Field(default=None, primary_key=True)
    mention_id: str = Field(foreign_key="mentions.mention_id", unique=True, max_length=16)
    is_complaint: bool
    labelled_by: str = Field(max_length=MAX_LABELLER_CHARS)
    labelled_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
    # The request that recorded it (a console form's key, an API client's Idempotency-Key,
    # prefixed by route and caller): the same request again finds its label here.
    request_key: str | None = Field(default=None, unique=True, max_length=MAX_REQUEST_KEY_CHARS)
