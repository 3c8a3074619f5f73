"""A short-lived memory of API keys already verified, so a busy client's every request
does not cost a database read.

Only keys that verified are remembered, by their SHA-256 (never the key itself), for
`ttl_seconds`: revoking a key or disabling its user takes effect within that time (5 s by
default, `REDRESS_API_KEY_CACHE_SECONDS`; 0 turns the cache off).
"""

import hashlib
import time
from collections.abc import Callable
from typing import Generic, TypeVar

Value = TypeVar("Value")
MAX_ENTRIES = 10_000


class VerifiedKeys(Generic[Value]):
    """What each recently verified key resolved to, until it expires."""

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._entries: dict[str, tuple[Value, float]] = {}

    @staticmethod
    def _digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def get(self, token: str) -> Value | None:
        """Returns what `token` verified as, if that was less than the TTL ago."""
        if self.ttl_seconds <= 0:
            return None
        entry = self._entries.get(self._digest(token))
        if entry is None:
            return None
        value, expires_at = entry
        if self._clock() >= expires_at:
            self._entries.pop(self._digest(token), None)
            return None
        return value

    def remember(self, token: str, value: Value) -> None:
        """Keeps `value` for `token` for the TTL; the oldest entry goes when full."""
        if self.ttl_seconds <= 0:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.pop(next(iter(self._entries)))
        self._entries[self._digest(token)] = (value, self._clock() + self.ttl_seconds)
