"""The policy store: every version of the policy complaints and returns run under, each
kept whole and never edited (a change is a new version)."""

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables.admin_changes import MAX_REASON_CHARS
from store.types import UtcDateTime


class PolicyVersionRecord(SQLModel, table=True):
    """One version of the policy; the highest number is the one new cases take."""

    __tablename__ = "policy_versions"

    # 1 is the policy Redress ships with, written at the first read of an empty store.
    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    # `domain.policy_document.PolicyDocument` as JSON.
    document_json: str = Field(sa_type=Text)
    # A staff user's id, or `redress` for the shipped version.
    changed_by: str = Field(max_length=64)
    changed_at: datetime = Field(sa_type=UtcDateTime)
    reason: str = Field(max_length=MAX_REASON_CHARS)
    # The Idempotency-Key (`api/<user>/<key>`) or console form key (`console/<key>`) that
    # saved it: the same request sent twice saves one version.
    change_key: str | None = Field(default=None, max_length=300, unique=True)
