"""The policy store: versions of the policy, newest last, never edited in place.

Version 1 is the policy Redress ships with (`domain.policy_document.shipped_policy`),
written by the first read of a store that has none, so a fresh install and one upgraded
from before the store behave alike. A change writes the next version with who made it,
when and why, and its entry on the administration audit trail, in one transaction.

A change names the version it was made on (`based_on`): if another admin saved since,
nothing is saved (`PolicyStale`), so nobody undoes a colleague's change unknowingly. The
same request sent twice (its Idempotency-Key or console form key, `change_key`) saves one
version and answers the first one the second time.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from domain.policy_diff import change_summary, policy_changes
from domain.policy_document import (
    PolicyDocument,
    PolicyProblem,
    PolicyVersion,
    policy_problems,
    reason_problems,
    shipped_policy,
)
from store.admin_changes import ChangeAction, ChangeNote, SubjectKind, commit_change
from store.tables.policies import PolicyVersionRecord

SHIPPED_BY = "redress"
SHIPPED_REASON = "The policy Redress ships with"
# The audit trail keeps a change's values in this many characters (`AdminChange.detail`).
TRAIL_DETAIL_CHARS = 500


class PolicyRefused(Exception):
    """The change cannot be saved as it is; `problems` name each value at fault."""

    def __init__(self, problems: list[PolicyProblem]) -> None:
        super().__init__("; ".join(f"{p.path}: {p.sentence()}" for p in problems))
        self.problems = problems


class PolicyUnchanged(Exception):
    """The document is the newest version's: there is nothing to save."""


class PolicyStale(Exception):
    """Another version was saved since the one the change was made on."""

    def __init__(self, current: PolicyVersion) -> None:
        super().__init__(f"version {current.version} was saved since")
        self.current = current


class PolicyChangeKeyReused(Exception):
    """The change's key saved a different change before."""


@dataclass(frozen=True)
class SavedPolicy:
    """The version a change saved, and whether an earlier request with its key did."""

    version: PolicyVersion
    replayed: bool


def _version_of(record: PolicyVersionRecord) -> PolicyVersion:
    return PolicyVersion(
        version=record.version,
        document=PolicyDocument.model_validate_json(record.document_json),
        changed_by=record.changed_by,
        changed_at=record.changed_at,
        reason=record.reason,
    )


def _newest(session: Session) -> PolicyVersionRecord | None:
    query = select(PolicyVersionRecord).order_by(col(PolicyVersionRecord.version).desc())
    return session.exec(query.limit(1)).first()


def current_policy(session: Session) -> PolicyVersion:
    """Returns the newest version, the one new cases take; writes version 1 (the shipped
    policy) when the store has none yet."""
    newest = _newest(session)
    if newest is not None:
        return _version_of(newest)
    first = PolicyVersionRecord(
        version=1,
        document_json=shipped_policy().model_dump_json(),
        changed_by=SHIPPED_BY,
        changed_at=datetime.now(UTC),
        reason=SHIPPED_REASON,
    )
    session.add(first)
    try:
        session.commit()
    except IntegrityError:
        # Another first read wrote it at the same moment.
        session.rollback()
    newest = _newest(session)
    assert newest is not None, "version 1 was just written"
    return _version_of(newest)


def policy_version(session: Session, version: int) -> PolicyVersion | None:
    """Returns version `version`, or None when there is none (version 1 is written first
    if the store has no version yet)."""
    if version == 1:
        current_policy(session)
    record = session.get(PolicyVersionRecord, version)
    return _version_of(record) if record is not None else None


def policy_versions(session: Session, *, limit: int, offset: int = 0) -> list[PolicyVersion]:
    """Returns versions newest first, `limit` of them from `offset` (version 1 is written
    first if the store has none)."""
    current_policy(session)
    query = select(PolicyVersionRecord).order_by(col(PolicyVersionRecord.version).desc())
    return [_version_of(r) for r in session.exec(query.offset(offset).limit(limit))]


def count_policy_versions(session: Session) -> int:
    """Returns how many versions there are (at least 1: the shipped policy)."""
    current_policy(session)
    return session.exec(select(func.count()).select_from(PolicyVersionRecord)).one()


def _by_change_key(session: Session, change_key: str) -> PolicyVersionRecord | None:
    query = select(PolicyVersionRecord).where(col(PolicyVersionRecord.change_key) == change_key)
    return session.exec(query).first()


def _replay(record: PolicyVersionRecord, document: PolicyDocument, reason: str) -> SavedPolicy:
    earlier = _version_of(record)
    if earlier.document != document or earlier.reason != reason:
        raise PolicyChangeKeyReused(record.change_key)
    return SavedPolicy(earlier, replayed=True)


def save_policy(
    session: Session,
    document: PolicyDocument,
    *,
    reason: str,
    note: ChangeNote,
    based_on: int | None = None,
    change_key: str | None = None,
) -> SavedPolicy:
    """Saves `document` as the next version, with its audit entry, and returns it (the
    version `change_key` saved before, for a repeat).

    Raises `PolicyRefused` naming each value at fault (the reason is required),
    `PolicyUnchanged` when it is the newest version's document, `PolicyStale` when
    `based_on` is not the newest version, `PolicyChangeKeyReused` when the key saved
    another change, and `FormAlreadySent` when the note's console form made a change.
    """
    reason = reason.strip()
    if change_key is not None and (earlier := _by_change_key(session, change_key)):
        return _replay(earlier, document, reason)
    problems = reason_problems(reason) + policy_problems(document)
    if problems:
        raise PolicyRefused(problems)
    current = current_policy(session)
    stale = based_on is not None and based_on != current.version
    changes = policy_changes(current.document, document)
    if stale or not changes:
        # A request with this key may have saved this very change a moment ago.
        if change_key is not None and (earlier := _by_change_key(session, change_key)):
            return _replay(earlier, document, reason)
        raise PolicyStale(current) if stale else PolicyUnchanged()
    record = PolicyVersionRecord(
        version=current.version + 1,
        document_json=document.model_dump_json(),
        changed_by=note.actor,
        changed_at=datetime.now(UTC),
        reason=reason,
        change_key=change_key,
    )
    session.add(record)
    try:
        commit_change(
            session,
            ChangeNote(actor=note.actor, reason=reason, form_key=note.form_key),
            subject_kind=SubjectKind.POLICY,
            subject=f"v{record.version}",
            action=ChangeAction.POLICY_CHANGED,
            detail=change_summary(changes, TRAIL_DETAIL_CHARS),
        )
    except IntegrityError:
        # Another change took this version number, or this key, at the same moment.
        if change_key is not None and (earlier := _by_change_key(session, change_key)):
            return _replay(earlier, document, reason)
        raise PolicyStale(current_policy(session)) from None
    return SavedPolicy(_version_of(record), replayed=False)
