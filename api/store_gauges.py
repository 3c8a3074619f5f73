"""Counts read from the store while `/metrics` is written: on a thread of their own, with
a time limit, so a slow or unreachable store costs a scrape its counts, never the scrape.
"""

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

from prometheus_client import Counter
from sqlmodel import Session

from store.db import SessionFactory

logger = logging.getLogger("redress.api")
T = TypeVar("T")


class TimedStoreRead(Generic[T]):
    """One read (`read`, given a session) made for each scrape, given up after
    `timeout_seconds`; each failure is counted in `failures` by reason (`error`: the store
    refused the query; `timeout`: it did not answer in time)."""

    def __init__(
        self,
        read: Callable[[Session], T],
        *,
        failures: Counter,
        timeout_seconds: float,
        what: str,
    ) -> None:
        self.failures = failures
        self.timeout_seconds = timeout_seconds
        self._read = read
        self._what = what
        self._sessions: SessionFactory | None = None
        self._lock = threading.Lock()
        self._late: Future[T] | None = None

    def read_from(self, sessions: SessionFactory) -> None:
        """Reads from the store `sessions` opens (the app's, known once its lifespan ran)."""
        self._sessions = sessions

    def read_in_time(self) -> T | None:
        """Returns what the read found, or None when it failed or took too long.

        A scrape must not fail because the store is slow or down: the request metrics
        would go with it, and Prometheus would report the replica down instead of the
        store. So the counts are skipped (their series go absent, which alerts over them
        read as "nothing to say") and the failure is counted, which an alert watches.
        """
        sessions = self._sessions
        if sessions is None:
            return None  # no scrape has named the store yet
        if not self._lock.acquire(timeout=self.timeout_seconds):
            self.failures.labels("timeout").inc()
            return None
        try:
            if self._late is not None and not self._late.done():
                # The read that timed out earlier is still running: another would only
                # pile up on a store that is already struggling.
                self.failures.labels("timeout").inc()
                return None
            reading: Future[T] = Future()
            threading.Thread(target=self._run, args=(sessions, reading), daemon=True).start()
            try:
                return reading.result(timeout=self.timeout_seconds)
            except TimeoutError:
                self._late = reading
                self.failures.labels("timeout").inc()
                logger.warning("%s not counted within %ss", self._what, self.timeout_seconds)
            except Exception:
                self.failures.labels("error").inc()
                logger.warning("%s not counted", self._what, exc_info=True)
            return None
        finally:
            self._lock.release()

    def _run(self, sessions: SessionFactory, result: Future[T]) -> None:
        """Runs in a thread of its own, so a query that hangs holds no scrape."""
        try:
            with sessions() as session:
                found = self._read(session)
        except Exception as error:
            result.set_exception(error)
            return
        result.set_result(found)
