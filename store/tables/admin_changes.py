"""The administration audit trail: every change made to staff, keys, teams, agents and
calendars, who made it, when and why (cases keep their own trail on their timelines)."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

from store.types import UtcDateTime

MAX_REASON_CHARS = 500


def _utcnow() -> datetime:
    return datetime.now(UTC)


class AdminChange(SQLModel, table=True):
    """One change an admin (or the `redress` command line) made."""

    __tablename__ = "admin_changes"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
    # A staff user's id, or `cli:<login>` for the command line.
    actor: str = Field(max_length=64)
    # What was changed: a staff user ("user", keys included), an agent, or a team.
    subject_kind: str = Field(index=True, max_length=16)
    subject: str = Field(index=True, max_length=64)
    # `store.admin_changes.ChangeAction` values.
    action: str = Field(max_length=32)
    # The change's values as `name=value` pairs (never a secret: a key shows its id only).
    detail: str = Field(default="", max_length=500)
    reason: str = Field(default="", max_length=MAX_REASON_CHARS)
    # The console form that made the change: a form sent twice finds its key here and
    # changes nothing the second time.
    form_key: str | None = Field(default=None, unique=True, max_length=64)
