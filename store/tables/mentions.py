"""Public mentions the listening route took, one row per post, complaint or not."""

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
    received_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
