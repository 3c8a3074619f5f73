"""Idempotency keys of complaint and return creation: a retried request maps to what it made."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.types import UtcDateTime

MAX_IDEMPOTENCY_KEY_CHARS = 200


class IdempotencyKey(SQLModel, table=True):
    """One `Idempotency-Key` a client sent, the hash of its request and the complaint it made.

    A return's key is stored as `"returns:<key>"`, with the return's id in `complaint_id`.
    """

    __tablename__ = "idempotency_keys"

    key: str = Field(primary_key=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS)
    # SHA-256 of the canonical request body: a reused key with another body is refused.
    request_hash: str = Field(max_length=64)
    complaint_id: str = Field(index=True, max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)
