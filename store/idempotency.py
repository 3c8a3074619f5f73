"""Idempotency keys: remember which complaint a client's key created, exactly once."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from store.tables.idempotency import IdempotencyKey


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
