"""Complaint and return ids: `C` or `R` and 12 base32 characters, random or derived from an
idempotency key (a complaint's own returns add `-R` and a number to its id)."""

import base64
import hashlib
import secrets
import uuid

COMPLAINT_ID_PATTERN = r"^C[A-Z2-7]{12}$"
# A return is opened with an `R` id; one a complaint's resolution starts is named after the
# complaint and the resolution (`domain.complaint_returns.return_id_for`).
RETURN_ID_PATTERN = r"^(R[A-Z2-7]{12}|C[A-Z2-7]{12}-R[0-9]{1,4})$"

# Fixed namespace for ids derived from `Idempotency-Key`s; changing it would remap keys.
_IDEMPOTENT_ID_NAMESPACE = uuid.UUID("6f0d3c1e-5b7a-4f55-9a52-3c2f9e1b7d40")


def _encode(prefix: str, raw: bytes) -> str:
    return prefix + base64.b32encode(raw).decode("ascii")[:12]


def new_complaint_id() -> str:
    """Returns a fresh random complaint id (60 random bits)."""
    return _encode("C", secrets.token_bytes(8))


def complaint_id_for_key(idempotency_key: str) -> str:
    """Returns the complaint id a key always maps to, so concurrent retries share one id."""
    return _encode("C", uuid.uuid5(_IDEMPOTENT_ID_NAMESPACE, idempotency_key).bytes)


def new_return_id() -> str:
    """Returns a fresh random return id (60 random bits)."""
    return _encode("R", secrets.token_bytes(8))


def return_id_for_key(idempotency_key: str) -> str:
    """Returns the return id a key always maps to, so concurrent retries share one id."""
    # Scoped, so that one key sent to both routes does not give a complaint and a return
    # the same characters.
    scoped = f"returns:{idempotency_key}"
    return _encode("R", uuid.uuid5(_IDEMPOTENT_ID_NAMESPACE, scoped).bytes)


def request_hash(body: str) -> str:
    """Returns the SHA-256 hex digest of a canonical request body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
