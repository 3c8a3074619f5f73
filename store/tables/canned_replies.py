"""Canned replies: reply templates admins write per sub-category and language, and each
reply sent from one (their usage).

Templates are never deleted: a retired one stays, with its uses, for the history of the
replies sent from it, and is no longer suggested.
"""

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.types import UtcDateTime


class CannedReply(SQLModel, table=True):
    """A reply template; `version` counts its edits, so an edit made from a stale form is
    refused instead of overwriting a colleague's."""

    __tablename__ = "canned_replies"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    # `domain.taxonomy.Locale` values.
    language: str = Field(max_length=8, index=True)
    # A `domain.taxonomy.SubCategory` value; None suits every sub-category.
    sub_category: str | None = Field(default=None, max_length=32, index=True)
    body: str = Field(sa_type=Text)
    version: int = 1
    # "<language>/<title, case-folded>" while the template is active, None once retired:
    # unique, so two active templates of one language never share a title (NULLs are
    # distinct on SQLite and PostgreSQL alike), while retired ones keep theirs.
    active_title: str | None = Field(default=None, max_length=140, unique=True)
    # The form key or Idempotency-Key that created it: the same request sent twice
    # creates one template.
    creation_key: str | None = Field(default=None, max_length=300, unique=True)
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_by: str = Field(max_length=64)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    retired_by: str | None = Field(default=None, max_length=64)
    retired_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class CannedReplyUse(SQLModel, table=True):
    """One reply that reached a complaint from a template (counted once per reply)."""

    __tablename__ = "canned_reply_uses"

    id: int | None = Field(default=None, primary_key=True)
    canned_reply_id: int = Field(foreign_key="canned_replies.id", index=True)
    # The template's version the reply started from.
    version: int
    complaint_id: str = Field(max_length=64, index=True)
    used_by: str = Field(max_length=64)
    used_at: datetime = Field(sa_type=UtcDateTime)
    # The reply's update id: a retried or doubly submitted reply counts once.
    use_key: str = Field(max_length=300, unique=True)
