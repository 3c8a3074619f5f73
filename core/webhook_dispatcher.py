"""Sends the events platforms subscribe to: the loop that runs in each worker process.

It takes due deliveries from the outbox (`store.webhook_deliveries`) with a lease, POSTs
each event's stored body signed the Standard Webhooks way, and logs the attempt. A 2xx is
delivered; anything else (another status, a timeout, no connection) is retried with
exponential backoff and jitter until the retry window, counted from when the delivery
was queued, has passed; then it is dead, and later events of its case go on without it.
"""

import asyncio
import logging
import os
import random
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from standardwebhooks import Webhook

from core.settings import Settings
from store.db import SessionFactory
from store.tables.webhook_subscriptions import DeliveryState
from store.webhook_deliveries import (
    AttemptOutcome,
    DeliveryJob,
    claim_delivery,
    due_delivery_ids,
    record_attempt,
)

log = logging.getLogger("redress.webhooks")

# Deliveries sent at once by one dispatcher (each to a different case or subscription).
BATCH_SIZE = 20
# The longest wait between two attempts, however many failed before.
MAX_RETRY_DELAY = timedelta(hours=6)
# What an endpoint's answer shows in the log when it is not a 2xx.
_ANSWER_CHARS = 200
USER_AGENT = "Redress-Webhooks/1"


def retry_after(
    job: DeliveryJob, failed_at: datetime, settings: Settings, rng: random.Random
) -> datetime | None:
    """Returns when to try a failed delivery again, or None when its window has passed.

    The delay doubles with each failure from `webhook_retry_base_seconds`, capped at six
    hours; each is drawn between half and all of that (jitter), so endpoints that come back
    are not hit by every waiting delivery at once. The last try falls on the window's end.
    """
    deadline = job.queued_at + timedelta(hours=settings.webhook_retry_hours)
    if failed_at >= deadline:
        return None
    delay = min(
        timedelta(seconds=settings.webhook_retry_base_seconds * 2**job.failures), MAX_RETRY_DELAY
    )
    jittered = delay * (0.5 + rng.random() / 2)
    return min(failed_at + jittered, deadline)


def signed_headers(job: DeliveryJob, sent_at: datetime) -> dict[str, str]:
    """Returns the headers of one attempt: `webhook-id` is the event's (the same on every
    retry, so receivers drop duplicates), the timestamp and signature are this attempt's.

    While a rotated-out secret is still in its grace, the signature header carries two
    signatures, the new secret's first, separated by a space (as Standard Webhooks
    allows): a receiver verifying with either secret accepts the request.
    """
    secrets = [job.secret] + ([job.previous_secret] if job.previous_secret else [])
    signatures = [Webhook(secret).sign(job.event_id, sent_at, job.body) for secret in secrets]
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": job.event_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


class WebhookDispatcher:
    """Sends due deliveries until told to stop; several may run (one per worker process)."""

    def __init__(
        self,
        sessions: SessionFactory,
        settings: Settings,
        *,
        http: httpx.AsyncClient,
        rng: random.Random | None = None,
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._http = http
        self._rng = rng or random.Random()
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        # Long enough to cover a send that uses its whole timeout, and the writes around it.
        self._lease = timedelta(seconds=settings.webhook_timeout_seconds + 60)

    async def run(self, stop: asyncio.Event) -> None:
        """Sends what is due, again and again, until `stop` is set; between passes that
        found nothing it waits `webhook_poll_seconds`."""
        while not stop.is_set():
            try:
                sent = await self.dispatch_due()
            except Exception:
                # The store being away for a moment must not end the loop: log and go on.
                log.exception("webhook dispatch pass failed; trying again")
                sent = 0
            if sent:
                continue
            try:
                await asyncio.wait_for(stop.wait(), self._settings.webhook_poll_seconds)
            except TimeoutError:
                pass

    async def dispatch_due(self) -> int:
        """Sends the deliveries due now, in parallel; returns how many it sent."""
        now = datetime.now(UTC)
        ids = await asyncio.to_thread(self._due, now)
        jobs = [job for job in [await asyncio.to_thread(self._claim, i) for i in ids] if job]
        await asyncio.gather(*(self._deliver(job) for job in jobs))
        return len(jobs)

    def _due(self, now: datetime) -> list[int]:
        with self._sessions() as session:
            return due_delivery_ids(session, now=now, limit=BATCH_SIZE)

    def _claim(self, delivery_id: int) -> DeliveryJob | None:
        with self._sessions() as session:
            return claim_delivery(
                session,
                delivery_id=delivery_id,
                owner=self.owner,
                now=datetime.now(UTC),
                lease=self._lease,
            )

    async def _deliver(self, job: DeliveryJob) -> None:
        outcome = await self._send(job)
        if outcome.error is None:
            status, next_at = DeliveryState.DELIVERED, None
        else:
            next_at = retry_after(job, outcome.attempted_at, self._settings, self._rng)
            status = DeliveryState.PENDING if next_at else DeliveryState.DEAD
            log.info("event %s not delivered (%s); %s", job.event_id, outcome.error, status)
        await asyncio.to_thread(self._record, job, outcome, status, next_at)

    def _record(
        self,
        job: DeliveryJob,
        outcome: AttemptOutcome,
        status: DeliveryState,
        next_at: datetime | None,
    ) -> None:
        with self._sessions() as session:
            record_attempt(
                session,
                job=job,
                owner=self.owner,
                outcome=outcome,
                status=status,
                next_attempt_at=next_at,
            )

    async def _send(self, job: DeliveryJob) -> AttemptOutcome:
        sent_at = datetime.now(UTC)
        started = time.monotonic()
        code: int | None = None
        try:
            response = await self._http.post(
                job.url,
                content=job.body.encode(),
                headers=signed_headers(job, sent_at),
                timeout=self._settings.webhook_timeout_seconds,
            )
            code = response.status_code
            error = None if response.is_success else f"HTTP {code}: {response.text[:_ANSWER_CHARS]}"
        except httpx.TimeoutException:
            error = f"no answer within {self._settings.webhook_timeout_seconds:g} s"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"
        duration_ms = round((time.monotonic() - started) * 1000)
        return AttemptOutcome(
            attempted_at=sent_at, duration_ms=duration_ms, response_code=code, error=error
        )
