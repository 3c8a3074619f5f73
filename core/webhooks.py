"""Signed webhooks: how a courier proves that a tracking event posted to Redress is its own.

The sender signs `f"{timestamp}.{body}"` with HMAC-SHA256 under a shared secret and sends

    X-Redress-Timestamp: <unix seconds>
    X-Redress-Signature: sha256=<hex digest>

The receiver recomputes the digest over the raw body it got (before any JSON parsing) and
refuses a request whose timestamp is too far from its own clock, so a captured request
cannot be replayed later.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

TIMESTAMP_HEADER = "X-Redress-Timestamp"
SIGNATURE_HEADER = "X-Redress-Signature"
DEFAULT_TOLERANCE = timedelta(seconds=300)

_SCHEME = "sha256="
_HEX_DIGEST_CHARS = 64


class InvalidSignature(Exception):
    """The request is not provably from the holder of the secret; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Returns the `X-Redress-Signature` value for `body` sent at `timestamp` (unix seconds)."""
    digest = hmac.new(_key(secret), _signed_payload(timestamp, body), hashlib.sha256)
    return _SCHEME + digest.hexdigest()


def signed_headers(secret: str, body: bytes, now: datetime) -> dict[str, str]:
    """Returns the timestamp and signature headers for sending `body` at `now`."""
    timestamp = int(now.timestamp())
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def verify(
    secret: str,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes,
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> None:
    """Returns when `signature_header` signs `body` at a timestamp within `tolerance` of `now`.

    Raises `InvalidSignature` for a missing or malformed header, a stale (or future)
    timestamp, or a signature that does not match.
    """
    _key(secret)  # a misconfigured receiver fails loudly, whatever the request
    if not timestamp_header:
        raise InvalidSignature(f"the {TIMESTAMP_HEADER} header is missing")
    if not signature_header:
        raise InvalidSignature(f"the {SIGNATURE_HEADER} header is missing")
    timestamp_text = timestamp_header.strip()
    if not timestamp_text.isascii() or not timestamp_text.isdigit():
        raise InvalidSignature(
            f"the {TIMESTAMP_HEADER} header must be whole unix seconds, got {timestamp_header!r}"
        )
    signature = signature_header.strip()
    hex_digest = signature.removeprefix(_SCHEME)
    if (
        hex_digest == signature
        or len(hex_digest) != _HEX_DIGEST_CHARS
        or any(char not in "0123456789abcdefABCDEF" for char in hex_digest)
    ):
        raise InvalidSignature(f"the {SIGNATURE_HEADER} header must be 'sha256=' and 64 hex digits")
    timestamp = int(timestamp_text)
    skew = abs(now.timestamp() - timestamp)
    if skew > tolerance.total_seconds():
        raise InvalidSignature(
            f"the timestamp {timestamp} is {skew:.0f}s away from this server's clock "
            f"(at most {tolerance.total_seconds():.0f}s allowed); sign each request when "
            "sending it, and check the sender's clock"
        )
    expected = sign(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), (_SCHEME + hex_digest.lower()).encode()):
        raise InvalidSignature(
            "the signature does not match the body: the secret differs, or the body was "
            "changed after signing"
        )


def _key(secret: str) -> bytes:
    if not secret:
        # An empty key would let anyone sign: refuse rather than accept every request.
        raise ValueError("the webhook secret is empty; set REDRESS_COURIER_WEBHOOK_SECRET")
    return secret.encode()


def _signed_payload(timestamp: int, body: bytes) -> bytes:
    return str(timestamp).encode() + b"." + body
