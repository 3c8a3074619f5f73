"""Fault injection for sandbox providers: outages, lost responses and declines on demand."""

import random
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from domain.compensation import CompensationKind

if TYPE_CHECKING:
    from core.settings import Settings


class FaultPlan(BaseModel):
    """Which calls a sandbox provider fails, and how; the default plan fails nothing.

    - `transient_failure_rate`: share of calls that fail retryably before doing any work.
    - `fail_first_attempts`: the first N calls for each idempotency key fail the same way
      (deterministic, for tests of retries).
    - `fail_after_commit_rate`: share of calls that do the work, commit it, and then fail
      retryably, as if the response were lost; the idempotency key must absorb the retry.
    - `decline_kinds`: compensation kinds the provider refuses permanently.
    - `irreversible_kinds`: compensation kinds the provider refuses to reverse (a refund
      already settled to the customer's bank, a coupon already spent): an undo fails for
      good, and the case needs a person.
    - `response_delay_seconds`: how long a call that did its work takes to answer, as a
      real gateway's does; a worker killed meanwhile leaves the work done but unreported,
      and its retry must be absorbed by the idempotency key.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    transient_failure_rate: float = Field(default=0.0, ge=0, le=1)
    fail_first_attempts: int = Field(default=0, ge=0)
    fail_after_commit_rate: float = Field(default=0.0, ge=0, le=1)
    decline_kinds: set[CompensationKind] = Field(default_factory=set)
    irreversible_kinds: set[CompensationKind] = Field(default_factory=set)
    response_delay_seconds: float = Field(default=0.0, ge=0)
    # Seed it (`random.Random(7)`) for reproducible runs.
    rng: random.Random = Field(default_factory=random.Random, exclude=True)

    _attempts: Counter[str] = PrivateAttr(default_factory=Counter)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def from_settings(cls, settings: "Settings") -> "FaultPlan":
        """Returns the plan configured by `REDRESS_SANDBOX_PAYMENTS_*` settings."""
        known = {kind.value for kind in CompensationKind}
        unknown = sorted(set(settings.sandbox_payments_decline) - known)
        if unknown:
            raise ValueError(
                f"sandbox_payments_decline has unknown kinds {unknown}; use some of {sorted(known)}"
            )
        return cls(
            transient_failure_rate=settings.sandbox_payments_transient_failure_rate,
            fail_after_commit_rate=settings.sandbox_payments_lost_response_rate,
            decline_kinds={CompensationKind(kind) for kind in settings.sandbox_payments_decline},
            response_delay_seconds=settings.sandbox_payments_response_delay_seconds,
        )

    def fails_before_work(self, key: str) -> bool:
        """Returns whether this call (one attempt for `key`) should fail before any work."""
        with self._lock:
            self._attempts[key] += 1
            if self._attempts[key] <= self.fail_first_attempts:
                return True
            return self._roll(self.transient_failure_rate)

    def loses_response(self) -> bool:
        """Returns whether the work just committed should be reported as a failure.

        Waits `response_delay_seconds` first: the answer takes that long either way.
        """
        if self.response_delay_seconds > 0:
            time.sleep(self.response_delay_seconds)
        with self._lock:
            return self._roll(self.fail_after_commit_rate)

    def declines(self, kind: CompensationKind) -> bool:
        """Returns whether the provider refuses compensation of `kind` outright."""
        return kind in self.decline_kinds

    def refuses_reversal(self, kind: CompensationKind) -> bool:
        """Returns whether the provider refuses to reverse compensation of `kind`."""
        return kind in self.irreversible_kinds

    def _roll(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate
