"""The administration audit trail: each change to staff, keys, agents, teams, calendars
and the policy is written in the same transaction as the change itself, so neither is ever
kept without the other.

A change made from a console form carries the form's key. The key is unique in the trail,
so the same form sent twice (a double click, a reload of the answer) finds its key there
and changes nothing the second time: `FormAlreadySent`.
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.tables.admin_changes import MAX_REASON_CHARS, AdminChange

RECENT_CHANGES = 25


class SubjectKind(StrEnum):
    USER = "user"
    AGENT = "agent"
    TEAM = "team"
    POLICY = "policy"
    WEBHOOK = "webhook"


class ChangeAction(StrEnum):
    USER_CREATED = "user_created"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    PASSWORD_SET = "password_set"
    EMAIL_SET = "email_set"
    EMAIL_CLEARED = "email_cleared"
    KEY_ISSUED = "key_issued"
    KEY_REVOKED = "key_revoked"
    AGENT_ADDED = "agent_added"
    AGENT_MOVED = "agent_moved"
    AGENT_AWAY = "agent_away"
    AGENT_BACK = "agent_back"
    CAPACITY_SET = "capacity_set"
    CALENDAR_SET = "calendar_set"
    POLICY_CHANGED = "policy_changed"
    SECRET_ROTATED = "secret_rotated"
    REDELIVERED = "redelivered"
    REDELIVERED_SINCE = "redelivered_since"


class FormAlreadySent(Exception):
    """The console form that asked for this change already made one; nothing was changed."""


@dataclass(frozen=True)
class ChangeNote:
    """Who asks for a change and why, and the key of the console form that asks (None
    from the command line)."""

    actor: str
    reason: str = ""
    form_key: str | None = None


def form_already_sent(session: Session, form_key: str | None) -> bool:
    """Returns whether the console form with this key made a change already."""
    if form_key is None:
        return False
    found = session.exec(select(AdminChange.id).where(AdminChange.form_key == form_key))
    return found.first() is not None


def commit_change(
    session: Session,
    note: ChangeNote | None,
    *,
    subject_kind: SubjectKind,
    subject: str,
    action: ChangeAction,
    detail: str = "",
) -> None:
    """Commits the session's pending change together with its audit entry (none without
    a note: seeding and tests); raises `FormAlreadySent`, with nothing changed, when the
    note's form already made a change."""
    if note is not None:
        if form_already_sent(session, note.form_key):
            session.rollback()
            raise FormAlreadySent(note.form_key)
        session.add(
            AdminChange(
                actor=note.actor,
                subject_kind=subject_kind.value,
                subject=subject,
                action=action.value,
                detail=detail[:500],
                reason=note.reason.strip()[:MAX_REASON_CHARS],
                form_key=note.form_key,
            )
        )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        # Two sends of one form at the same moment: the other one's entry won the key.
        if note is not None and form_already_sent(session, note.form_key):
            raise FormAlreadySent(note.form_key) from None
        raise


def details(**values: object) -> str:
    """Returns a change's values as the trail keeps them: `name=value` pairs, in order."""
    return " ".join(f"{name}={'-' if value is None else value}" for name, value in values.items())


def recent_changes(
    session: Session,
    *,
    kinds: tuple[SubjectKind, ...] = tuple(SubjectKind),
    subject: str | None = None,
    limit: int = RECENT_CHANGES,
) -> list[AdminChange]:
    """Returns the newest changes to subjects of `kinds` (to `subject` alone if given)."""
    query = select(AdminChange).where(
        col(AdminChange.subject_kind).in_([kind.value for kind in kinds])
    )
    if subject is not None:
        query = query.where(AdminChange.subject == subject)
    return list(session.exec(query.order_by(col(AdminChange.id).desc()).limit(limit)))
