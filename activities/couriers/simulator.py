"""The sandbox courier's outside world: parcels move on by themselves, and every tracking
event reaches Redress through its signed courier webhook, as a real courier's would.

Delivery is at least once: an event is marked delivered only after a 2xx, so a receiver
must recognise a repeated `event_id`. A parcel's events go out in order: when one fails,
its later events wait for the next tick.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import httpx
from sqlalchemy import ColumnElement
from sqlmodel import col, select

from activities.couriers.parcels import advance, to_tracking_event
from activities.couriers.plan import CourierPlan
from activities.idempotency import lock_for_write
from core.webhooks import signed_headers
from domain.returns import TrackingEvent
from store.db import SessionFactory
from store.tables.couriers import SandboxParcel, SandboxParcelEvent

log = logging.getLogger("redress.couriers.simulator")

DEFAULT_BATCH_SIZE = 200
DEFAULT_TIMEOUT = httpx.Timeout(10.0)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _Attempt:
    event_id: str
    error: str | None  # None: the webhook took it


class CourierSimulator:
    """Moves sandbox parcels along their routes and posts their events to the webhook."""

    def __init__(
        self,
        sessions: SessionFactory,
        plan: CourierPlan,
        webhook_url: str,
        secret: str,
        http: httpx.AsyncClient | None = None,
        *,
        clock: Callable[[], datetime] = _utcnow,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        if not secret:
            raise ValueError("the courier webhook secret is empty; set it in the settings")
        self._sessions = sessions
        self._plan = plan
        self._webhook_url = webhook_url
        self._secret = secret
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=DEFAULT_TIMEOUT)
        self._clock = clock
        self._batch_size = batch_size
        self._reachable = True

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the HTTP client, if the simulator made it."""
        if self._owns_http:
            await self._http.aclose()

    async def tick(self, now: datetime) -> int:
        """Returns how many parcels moved on at `now`, after posting every pending event."""
        moved = await asyncio.to_thread(self.advance, now)
        await self.deliver()
        return moved

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Ticks every `interval` seconds until `stop` is set."""
        log.info("sandbox courier posting tracking events to %s", self._webhook_url)
        while not stop.is_set():
            try:
                await self.tick(self._clock())
            except Exception:
                # A background loop must outlive a locked database or a bad row: log, go on.
                log.exception("sandbox courier tick failed; trying again in %.1fs", interval)
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except TimeoutError:
                pass

    def advance(self, now: datetime) -> int:
        """Returns how many parcels due by `now` moved one step (events not yet posted)."""
        # Most ticks find nothing due: look before taking the store's write lock.
        if not self._anything_due(now):
            return 0
        with self._sessions() as session:
            lock_for_write(session)
            due = session.exec(
                select(SandboxParcel)
                .where(_due(now))
                .order_by(col(SandboxParcel.next_event_at))
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            ).all()
            moved = sum(advance(session, parcel, self._plan, now) is not None for parcel in due)
            session.commit()
        return moved

    def _anything_due(self, now: datetime) -> bool:
        with self._sessions() as session:
            query = select(SandboxParcel.parcel_id).where(_due(now)).limit(1)
            return session.exec(query).first() is not None

    async def deliver(self) -> int:
        """Returns how many pending events the webhook took (with a 2xx) this time."""
        pending = await asyncio.to_thread(self._pending)
        attempts: list[_Attempt] = []
        held_back: set[str] = set()
        for event in pending:
            if event.parcel_id in held_back:
                continue
            try:
                error = await self._post(event)
            except httpx.HTTPError as err:
                self._log_unreachable(err)
                attempts.append(_Attempt(event.event_id, f"{type(err).__name__}: {err}"))
                break  # the webhook is down: the rest can wait for the next tick
            if error is not None:
                held_back.add(event.parcel_id)
            attempts.append(_Attempt(event.event_id, error))
        if attempts:
            await asyncio.to_thread(self._record, attempts)
        return sum(attempt.error is None for attempt in attempts)

    async def _post(self, event: TrackingEvent) -> str | None:
        body = event.model_dump_json().encode()
        headers = signed_headers(self._secret, body, self._clock())
        headers["Content-Type"] = "application/json"
        response = await self._http.post(self._webhook_url, content=body, headers=headers)
        if not self._reachable:
            log.info("courier webhook %s is reachable again", self._webhook_url)
            self._reachable = True
        if response.is_success:
            return None
        error = f"HTTP {response.status_code}: {response.text[:200]}"
        if response.status_code == 401:
            log.error(
                "courier webhook %s refused the signature of event %s (%s): the API and "
                "the worker must share REDRESS_COURIER_WEBHOOK_SECRET, and their clocks "
                "must agree",
                self._webhook_url,
                event.event_id,
                error,
            )
        else:
            log.warning(
                "courier webhook %s did not take event %s of parcel %s (%s); it is retried "
                "on the next tick",
                self._webhook_url,
                event.event_id,
                event.parcel_id,
                error,
            )
        return error

    def _log_unreachable(self, err: httpx.HTTPError) -> None:
        # Said once per outage, not once a second while the API is down.
        if self._reachable:
            log.warning(
                "courier webhook %s is unreachable (%s: %s); events wait until it answers",
                self._webhook_url,
                type(err).__name__,
                err,
            )
            self._reachable = False

    def _pending(self) -> list[TrackingEvent]:
        with self._sessions() as session:
            rows = session.exec(
                select(SandboxParcelEvent, SandboxParcel.tracking_number)
                .join(
                    SandboxParcel,
                    col(SandboxParcel.parcel_id) == col(SandboxParcelEvent.parcel_id),
                )
                .where(col(SandboxParcelEvent.delivered_to_webhook).is_(False))
                .order_by(col(SandboxParcelEvent.at), col(SandboxParcelEvent.seq))
                .limit(self._batch_size)
            ).all()
        return [to_tracking_event(event, tracking_number) for event, tracking_number in rows]

    def _record(self, attempts: list[_Attempt]) -> None:
        with self._sessions() as session:
            for attempt in attempts:
                event = session.get(SandboxParcelEvent, attempt.event_id)
                if event is None:
                    continue
                if attempt.error is None:
                    event.delivered_to_webhook = True
                    event.last_delivery_error = None
                else:
                    event.failed_deliveries += 1
                    event.last_delivery_error = attempt.error[:500]
                session.add(event)
            session.commit()


def _due(now: datetime) -> ColumnElement[bool]:
    return col(SandboxParcel.next_event_at) <= now
