"""The sandbox courier's simulator: parcels move on by themselves, and their events reach
a real webhook server, signed, at least once."""

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import store.tables.couriers  # noqa: F401  (registers the courier tables on the metadata)
from activities.couriers.plan import CourierPlan
from activities.couriers.sandbox import SandboxCourier
from activities.couriers.simulator import CourierSimulator
from core.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, InvalidSignature, verify
from domain.returns import (
    Address,
    LabelRequest,
    Parcel,
    ParcelItem,
    TrackingEvent,
    TrackingStatus,
)
from store.db import SessionFactory
from store.tables.couriers import SandboxParcel, SandboxParcelEvent
from tests.live_server import closed_port_url, serve

SECRET = "simulator-test-secret"
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
STEP = timedelta(seconds=10)
HOME = Address(name="Li Wei", phone="+86 138 0000 0000", line1="1 Jade Road", city="Hangzhou")
S = TrackingStatus


@dataclass
class WebhookReceiver:
    """A courier webhook like the API's: it verifies every request with `core.webhooks`."""

    secret: str
    # Statuses to answer the next verified requests with, in order; then 200.
    script: list[int] = field(default_factory=list)
    # Every verified request, with the status it was answered with.
    received: list[tuple[TrackingEvent, int]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    async def webhook(self, request: Request) -> Response:
        body = await request.body()
        try:
            verify(
                self.secret,
                request.headers.get(TIMESTAMP_HEADER),
                request.headers.get(SIGNATURE_HEADER),
                body,
                datetime.now(UTC),
            )
        except InvalidSignature as err:
            self.refused.append(err.reason)
            return JSONResponse({"detail": err.reason}, status_code=401)
        event = TrackingEvent.model_validate_json(body)
        status = self.script.pop(0) if self.script else 200
        self.received.append((event, status))
        return Response(status_code=status)

    @property
    def accepted(self) -> list[TrackingEvent]:
        return [event for event, status in self.received if 200 <= status < 300]


@pytest.fixture
def receiver() -> WebhookReceiver:
    return WebhookReceiver(SECRET)


@pytest.fixture
def webhook_url(receiver: WebhookReceiver) -> Iterator[str]:
    app = Starlette(routes=[Route("/webhooks/courier", receiver.webhook, methods=["POST"])])
    with serve(app) as base_url:
        yield f"{base_url}/webhooks/courier"


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def label(return_id: str = "r-1", *, pickup: Address | None = None) -> LabelRequest:
    return LabelRequest(
        idempotency_key=f"{return_id}:label",
        return_id=return_id,
        customer_id="cust-1",
        pickup_address=pickup,
        items=[ParcelItem(sku="SKU-MUG", quantity=1)],
        ship_by=T0 + timedelta(days=14),
    )


def new_parcel(
    sessions: SessionFactory, plan: CourierPlan, return_id: str = "r-1", **kwargs: Address
) -> Parcel:
    courier = SandboxCourier(sessions, plan=plan, clock=lambda: T0)
    return courier.create_return_label(label(return_id, **kwargs))


def simulator(
    sessions: SessionFactory,
    plan: CourierPlan,
    url: str,
    http: httpx.AsyncClient,
    secret: str = SECRET,
) -> CourierSimulator:
    return CourierSimulator(sessions, plan, url, secret, http)


def status_of(sessions: SessionFactory, parcel_id: str) -> str:
    with sessions() as session:
        parcel = session.get(SandboxParcel, parcel_id)
    assert parcel is not None
    return parcel.status


def events(sessions: SessionFactory) -> list[SandboxParcelEvent]:
    with sessions() as session:
        return list(
            session.exec(
                select(SandboxParcelEvent).order_by(
                    col(SandboxParcelEvent.parcel_id), col(SandboxParcelEvent.seq)
                )
            )
        )


# --- Parcels move on by themselves ----------------------------------------------------------


async def test_a_parcel_moves_from_label_to_delivered_one_step_a_tick(
    sessions: SessionFactory,
    receiver: WebhookReceiver,
    webhook_url: str,
    http: httpx.AsyncClient,
) -> None:
    plan = CourierPlan.every(STEP)
    parcel = new_parcel(sessions, plan, pickup=HOME)
    sim = simulator(sessions, plan, webhook_url, http)

    assert await sim.tick(T0 + STEP - timedelta(seconds=1)) == 0
    assert status_of(sessions, parcel.parcel_id) == S.LABEL_CREATED
    seen = []
    for step in (1, 2, 3):
        assert await sim.tick(T0 + step * STEP) == 1
        seen.append(status_of(sessions, parcel.parcel_id))
    assert await sim.tick(T0 + 100 * STEP) == 0

    assert seen == [S.PICKED_UP, S.IN_TRANSIT, S.DELIVERED]
    assert [event.status for event in receiver.accepted] == [
        S.LABEL_CREATED,
        S.PICKED_UP,
        S.IN_TRANSIT,
        S.DELIVERED,
    ]
    assert {event.tracking_number for event in receiver.accepted} == {parcel.tracking_number}
    assert receiver.accepted[1].detail == "collected from the customer's door"
    assert receiver.accepted[3].at == T0 + 3 * STEP
    assert all(event.delivered_to_webhook for event in events(sessions))


async def test_a_lost_parcel_stops_in_transit_and_is_later_reported_lost(
    sessions: SessionFactory, receiver: WebhookReceiver, webhook_url: str, http: httpx.AsyncClient
) -> None:
    plan = CourierPlan.every(STEP, loss_rate=1.0)
    parcel = new_parcel(sessions, plan)
    sim = simulator(sessions, plan, webhook_url, http)

    await sim.tick(T0 + STEP)
    await sim.tick(T0 + 2 * STEP)
    assert await sim.tick(T0 + 3 * STEP) == 0  # no delivery: it lies somewhere in transit
    assert status_of(sessions, parcel.parcel_id) == S.IN_TRANSIT
    assert await sim.tick(T0 + 4 * STEP) == 1
    assert await sim.tick(T0 + 100 * STEP) == 0

    assert status_of(sessions, parcel.parcel_id) == S.LOST
    assert [event.status for event in receiver.accepted] == [
        S.LABEL_CREATED,
        S.PICKED_UP,
        S.IN_TRANSIT,
        S.LOST,
    ]


async def test_an_exception_comes_before_a_late_delivery(
    sessions: SessionFactory, receiver: WebhookReceiver, webhook_url: str, http: httpx.AsyncClient
) -> None:
    plan = CourierPlan.every(STEP, exception_rate=1.0)
    parcel = new_parcel(sessions, plan)
    sim = simulator(sessions, plan, webhook_url, http)

    for step in range(1, 10):
        await sim.tick(T0 + step * STEP)

    assert status_of(sessions, parcel.parcel_id) == S.DELIVERED
    assert [event.status for event in receiver.accepted] == [
        S.LABEL_CREATED,
        S.PICKED_UP,
        S.IN_TRANSIT,
        S.EXCEPTION,
        S.DELIVERED,
    ]


async def test_a_return_that_never_ships_stays_a_label(
    sessions: SessionFactory, receiver: WebhookReceiver, webhook_url: str, http: httpx.AsyncClient
) -> None:
    plan = CourierPlan.every(STEP, never_shipped_return_ids={"r-lazy"})
    parcel = new_parcel(sessions, plan, "r-lazy")
    sim = simulator(sessions, plan, webhook_url, http)

    for step in range(1, 10):
        assert await sim.tick(T0 + step * STEP) == 0

    assert status_of(sessions, parcel.parcel_id) == S.LABEL_CREATED
    assert [event.status for event in receiver.accepted] == [S.LABEL_CREATED]


# --- Webhook delivery -----------------------------------------------------------------------


async def test_events_are_signed_and_not_sent_again_after_a_2xx(
    sessions: SessionFactory, receiver: WebhookReceiver, webhook_url: str, http: httpx.AsyncClient
) -> None:
    plan = CourierPlan.every(STEP)
    first = new_parcel(sessions, plan, "r-1")
    second = new_parcel(sessions, plan, "r-2")
    sim = simulator(sessions, plan, webhook_url, http)

    await sim.tick(T0)
    await sim.tick(T0)
    await sim.tick(T0)

    assert receiver.refused == []
    assert sorted(event.parcel_id for event, _ in receiver.received) == [
        first.parcel_id,
        second.parcel_id,
    ]
    stored = {event.event_id for event in events(sessions)}
    assert {event.event_id for event in receiver.accepted} == stored


async def test_an_event_answered_with_500_is_sent_again_on_the_next_tick(
    sessions: SessionFactory, receiver: WebhookReceiver, webhook_url: str, http: httpx.AsyncClient
) -> None:
    plan = CourierPlan.every(STEP)
    new_parcel(sessions, plan)
    sim = simulator(sessions, plan, webhook_url, http)
    receiver.script = [500]

    await sim.tick(T0)
    [pending] = events(sessions)
    assert (pending.delivered_to_webhook, pending.failed_deliveries) == (False, 1)
    assert pending.last_delivery_error is not None and "500" in pending.last_delivery_error
    await sim.tick(T0)
    await sim.tick(T0)

    assert [status for _, status in receiver.received] == [500, 200]
    assert receiver.received[0][0] == receiver.received[1][0]
    [delivered] = events(sessions)
    assert delivered.delivered_to_webhook


async def test_a_failed_event_holds_back_the_later_events_of_its_parcel(
    sessions: SessionFactory, receiver: WebhookReceiver, webhook_url: str, http: httpx.AsyncClient
) -> None:
    plan = CourierPlan.every(STEP)
    parcel = new_parcel(sessions, plan)
    sim = simulator(sessions, plan, webhook_url, http)
    sim.advance(T0 + STEP)  # PICKED_UP recorded, not yet posted
    receiver.script = [404]

    await sim.tick(T0 + STEP)
    assert len(receiver.received) == 1
    await sim.tick(T0 + STEP)

    assert [(event.status, status) for event, status in receiver.received] == [
        (S.LABEL_CREATED, 404),
        (S.LABEL_CREATED, 200),
        (S.PICKED_UP, 200),
    ]
    assert status_of(sessions, parcel.parcel_id) == S.PICKED_UP


async def test_a_webhook_with_another_secret_refuses_and_it_is_logged_loudly(
    sessions: SessionFactory,
    receiver: WebhookReceiver,
    webhook_url: str,
    http: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    plan = CourierPlan.every(STEP)
    new_parcel(sessions, plan)
    sim = simulator(sessions, plan, webhook_url, http, secret="not-the-api-secret")

    with caplog.at_level(logging.ERROR, logger="redress.couriers.simulator"):
        await sim.tick(T0)

    assert receiver.received == []
    assert receiver.refused and "does not match" in receiver.refused[0]
    assert any("refused the signature" in record.message for record in caplog.records)
    [pending] = events(sessions)
    assert not pending.delivered_to_webhook


async def test_an_unreachable_webhook_leaves_events_for_later(
    sessions: SessionFactory, http: httpx.AsyncClient
) -> None:
    plan = CourierPlan.every(STEP)
    new_parcel(sessions, plan, "r-1")
    new_parcel(sessions, plan, "r-2")
    sim = simulator(sessions, plan, f"{closed_port_url()}/webhooks/courier", http)

    assert await sim.tick(T0 + STEP) == 2

    assert [event.delivered_to_webhook for event in events(sessions)] == [False] * 4
    # The first failure says the webhook is down; the others are not tried this tick.
    assert sum(event.failed_deliveries for event in events(sessions)) == 1


async def test_run_carries_a_return_to_the_warehouse_with_nobody_helping(
    sessions: SessionFactory, receiver: WebhookReceiver, webhook_url: str
) -> None:
    plan = CourierPlan.every(timedelta(0))
    SandboxCourier(sessions, plan=plan).create_return_label(label())
    stop = asyncio.Event()

    async with CourierSimulator(sessions, plan, webhook_url, SECRET) as sim:
        running = asyncio.create_task(sim.run(stop, interval=0.01))
        async with asyncio.timeout(10):
            while S.DELIVERED not in [event.status for event in receiver.accepted]:
                await asyncio.sleep(0.01)
        stop.set()
        await running

    assert [event.status for event in receiver.accepted] == [
        S.LABEL_CREATED,
        S.PICKED_UP,
        S.IN_TRANSIT,
        S.DELIVERED,
    ]
    assert "handed in at a drop-off point" in receiver.accepted[1].detail
