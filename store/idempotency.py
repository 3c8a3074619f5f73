"""Idempotency keys: remember which complaint (or return) a client's key created, exactly once.

Complaints and returns share one table: a return's key is stored as `"returns:<key>"`, so a
client may send the same key to both routes without the two colliding.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS, IdempotencyKey

RETURN_KEY_PREFIX = "returns:"
# The longest `Idempotency-Key` a return accepts: the prefixed key must fit the column.
MAX_RETURN_KEY_CHARS = MAX_IDEMPOTENCY_KEY_CHARS - len(RETURN_KEY_PREFIX)


@dataclass(frozen=True)
class KeyClaim:
    """Returns the stored key and whether this call stored it (False: an earlier request did)."""

    record: IdempotencyKey
    created: bool


def get_idempotency_key(session: Session, *, key: str) -> IdempotencyKey | None:
    """Returns the stored key, or None when no request used it yet."""
    return session.get(IdempotencyKey, key)


def claim_idempotency_key(
    session: Session, *, key: str, request_hash: str, complaint_id: str, now: datetime
) -> KeyClaim:
    """Stores `key` for `complaint_id` unless it exists; returns the row that won.

    Concurrent requests with one key race on the primary key: exactly one insert commits,
    the others read the winner's row.
    """
    existing = session.get(IdempotencyKey, key)
    if existing is not None:
        return KeyClaim(record=existing, created=False)
    record = IdempotencyKey(
        key=key, request_hash=request_hash, complaint_id=complaint_id, created_at=now
    )
    session.add(record)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        winner = session.get(IdempotencyKey, key)
        if winner is None:  # the insert failed for another reason than the key existing
            raise
        return KeyClaim(record=winner, created=False)
    return KeyClaim(record=record, created=True)


def claim_return_key(
    session: Session, *, key: str, request_hash: str, return_id: str, now: datetime
) -> KeyClaim:
    """Stores a return's `key` for `return_id` unless it exists; returns the row that won.

    The row's `complaint_id` column holds the return's id.
    """
    return claim_idempotency_key(
        session,
        key=RETURN_KEY_PREFIX + key,
        request_hash=request_hash,
        complaint_id=return_id,
        now=now,
    )
