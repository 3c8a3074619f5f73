"""The webhook dispatcher against a real HTTP receiver that verifies signatures and fails
at random: every event delivered, in order per case, each attempt logged; dead after the
(shrunk) retry window without holding up the case's later events; redelivery."""

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import TypeVar

import httpx
import pytest
from sqlmodel import Session, col, select

from core.settings import Settings
from core.webhook_dispatcher import WebhookDispatcher, signed_headers
from domain.case_events import CaseEventType
from store.complaints import project_complaint
from store.db import SessionFactory
from store.returns import project_return
from store.tables.webhook_subscriptions import WebhookDelivery
from store.webhook_deliveries import DeliveryJob, delivery_log, redeliver, redeliver_since
from store.webhook_subscriptions import create_subscription
from tests.factories import make_projection
from tests.live_server import serve
from tests.return_factories import make_return_projection
from tests.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.both_stores

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
T = TypeVar("T")
WAIT_SECONDS = 60.0


def fast_settings(**overrides: float) -> Settings:
    values = {
        "webhook_timeout_seconds": 0.5,
        "webhook_retry_base_seconds": 0.05,
        "webhook_poll_seconds": 0.05,
        "webhook_retry_hours": 1.0,
    }
    return Settings(**(values | overrides))


async def eventually(check: Callable[[], Awaitable[T | None]]) -> T:
    """Returns the first non-None result of `check`, polling until WAIT_SECONDS pass."""
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while (result := await check()) is None:
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)
    return result


@asynccontextmanager
async def dispatching(sessions: SessionFactory, settings: Settings) -> AsyncIterator[None]:
    """Runs a dispatcher (two, as two worker processes would) until the block ends."""
    stop = asyncio.Event()
    async with httpx.AsyncClient() as http:
        runs = [
            asyncio.create_task(WebhookDispatcher(sessions, settings, http=http).run(stop))
            for _ in range(2)
        ]
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*runs)


def subscribe(session: Session, url: str) -> None:
    create_subscription(
        session,
        subscription_id="sub-platform",
        url=url,
        event_types=[event_type.value for event_type in CaseEventType],
        description="",
        secret=SECRET,
        created_by="admin",
    )


def statuses(sessions: SessionFactory) -> dict[str, str]:
    with sessions() as session:
        rows = session.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all()
        return {row.event_id: row.status for row in rows}


async def all_in(sessions: SessionFactory, wanted: set[str]) -> dict[str, str] | None:
    found = statuses(sessions)
    return found if found and set(found.values()) <= wanted else None


async def test_every_event_arrives_once_in_case_order_through_timeouts_and_errors(
    sessions: SessionFactory,
) -> None:
    receiver = WebhookReceiver(SECRET, failure_rate=0.4)
    complaints = [make_projection() for _ in range(4)]
    with serve(receiver.app) as base_url, sessions() as session:
        subscribe(session, f"{base_url}/events")
        for projection in complaints:
            project_complaint(session, projection=projection)
        project_return(session, projection=make_return_projection())

        async with dispatching(sessions, fast_settings()):
            delivered = await eventually(lambda: all_in(sessions, {"delivered"}))

    assert len(delivered) == 4 * 3 + 1
    # Each event accepted exactly once (a failed attempt never counted as received), with
    # the body and id the outbox holds.
    assert sorted(receiver.ids_accepted()) == sorted(delivered)
    for event in receiver.accepted():
        assert event["type"] in {t.value for t in CaseEventType}
    # In order per case.
    seqs: dict[str, list[int]] = {}
    for event in receiver.accepted():
        seqs.setdefault(event["data"]["case_id"], []).append(event["data"]["seq"])
    assert all(a < b for case in seqs.values() for a, b in pairwise(case))
    assert {len(case) for case in seqs.values()} == {3, 1}
    # Every attempt logged as the receiver saw it; both kinds of failure happened.
    with sessions() as session:
        log, _ = delivery_log(session, subscription_id="sub-platform", limit=50)
    errors = []
    for entry in log:
        seen = receiver.requests_for(entry.delivery.event_id)
        assert len(entry.attempts) == len(seen)
        assert entry.attempts[-1].response_code == 204
        errors += [a.error or "" for a in entry.attempts[:-1]]
    assert any(e.startswith("no answer within") for e in errors)
    assert any(e.startswith("HTTP 500") for e in errors)
    # A request replayed later than the receiver's tolerance (5 minutes) is refused even
    # with a valid signature, and a fresh timestamp on an old signature does not verify.
    first = receiver.requests_for(receiver.ids_accepted()[0])[-1]
    async with httpx.AsyncClient() as http, asyncio.timeout(WAIT_SECONDS):
        with serve(receiver.app) as base_url:
            job = DeliveryJob(
                0,
                "",
                SECRET,
                first.headers["webhook-id"],
                first.body.decode(),
                datetime.now(UTC),
                0,
            )
            stale = signed_headers(job, datetime.now(UTC) - timedelta(minutes=10))
            refused = await http.post(f"{base_url}/events", content=first.body, headers=stale)
            assert refused.status_code == 400
            assert "too old" in refused.json()["refused"]
            retimed = first.headers | {"webhook-timestamp": str(int(datetime.now(UTC).timestamp()))}
            forged = await http.post(f"{base_url}/events", content=first.body, headers=retimed)
            assert forged.status_code == 400
            assert "No matching signature" in forged.json()["refused"]


async def test_a_dead_event_stops_holding_up_its_case_and_can_be_redelivered(
    sessions: SessionFactory,
) -> None:
    projection = make_projection()
    complaint_id = projection.view.complaint_id
    first, second, third = (f"evt_{complaint_id}_{seq}" for seq in (1, 2, 3))
    receiver = WebhookReceiver(SECRET, refuse={first})
    # A window of about a second: the first event is tried a few times, then dead.
    settings = fast_settings(webhook_retry_hours=1 / 3600)
    with serve(receiver.app) as base_url, sessions() as session:
        subscribe(session, f"{base_url}/events")
        project_complaint(session, projection=projection)
        async with dispatching(sessions, settings):
            done = await eventually(lambda: all_in(sessions, {"delivered", "dead"}))
            assert done == {first: "dead", second: "delivered", third: "delivered"}
            assert len(receiver.requests_for(first)) >= 2
            # Its later events waited until it was dead.
            first_refusal_last = receiver.requests_for(first)[-1]
            assert receiver.requests.index(first_refusal_last) < receiver.requests.index(
                receiver.requests_for(second)[0]
            )

            # Fixed on the platform's side: one redelivery, then everything since a time.
            receiver.refuse.clear()
            with sessions() as again:
                delivery_id = again.exec(
                    select(WebhookDelivery.id).where(WebhookDelivery.event_id == first)
                ).one()
                assert delivery_id is not None
                redeliver(
                    again,
                    subscription_id="sub-platform",
                    delivery_id=delivery_id,
                    now=datetime.now(UTC),
                )
            await eventually(lambda: all_in(sessions, {"delivered"}))
            assert receiver.ids_accepted() == [second, third, first]

            with sessions() as again:
                queued = redeliver_since(
                    again,
                    subscription_id="sub-platform",
                    event_types=["complaint.opened", "complaint.assigned"],
                    since=projection.view.created_at,
                    now=datetime.now(UTC),
                )
            assert queued == 2
            await eventually(lambda: asyncio.sleep(0, len(receiver.ids_accepted()) == 5 or None))
    # Sent again in case order, under the ids they had: receivers drop them as seen.
    assert receiver.ids_accepted()[3:] == [first, third]
    assert json.loads(receiver.requests_for(first)[-1].body)["type"] == "complaint.opened"
