"""A return from request to refund with nobody sending signals by hand: the API served over
real HTTP, real workers with the sandbox courier, and the courier's simulator moving the
parcel and posting every tracking event to the API's signed webhook."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select
from temporalio.testing import WorkflowEnvironment

from activities.couriers.factory import courier_provider, courier_simulator
from activities.couriers.plan import CourierPlan
from domain.access import Role
from store.db import SessionFactory
from store.tables.couriers import SandboxParcelEvent
from store.tables.ledger import LedgerEntry
from store.tables.webhooks import ReceivedCourierEvent
from store.teams import seed_default_teams
from tests.api.conftest import api_test_settings
from tests.api.returns_support import (
    open_return,
    return_request,
    tracking_statuses,
    wait_for_label,
    wait_for_status,
)
from tests.api.support import Api, signed_in_api
from tests.served import bound_socket, serve_api
from worker import build_workers

# Each parcel step takes this long, so the whole journey takes about a second.
COURIER_STEP = timedelta(seconds=0.3)
SIMULATOR_TICK_SECONDS = 0.1


@pytest.fixture
async def served_api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    """Yields the API served by uvicorn on a free port (with its real lifespan), the
    workers, and the sandbox courier's simulator posting to the API's webhook."""
    client = dev_server_env.client
    plan = CourierPlan.every(COURIER_STEP)  # no loss or exception: every parcel is delivered
    stop = asyncio.Event()
    async with AsyncExitStack() as stack:
        sock = bound_socket(stack)
        settings = api_test_settings(
            client, database_url, tmp_path, queue="api-e2e",
            api_port=sock.getsockname()[1],
            courier_webhook_secret=f"e2e-{uuid.uuid4().hex}",
        )  # fmt: skip
        with sessions() as session:
            seed_default_teams(session)
        courier = courier_provider(settings, sessions, plan=plan)
        workers = build_workers(client, sessions=sessions, settings=settings, courier=courier)
        for worker in workers:
            await stack.enter_async_context(worker)
        base_url = await serve_api(stack, settings, sock)
        # The simulator finds the webhook where the settings say: this API's /webhooks/courier.
        simulator = await stack.enter_async_context(
            courier_simulator(settings, sessions, plan=plan)
        )
        moving = asyncio.create_task(simulator.run(stop, interval=SIMULATOR_TICK_SECONDS))
        stack.push_async_callback(lambda: moving)
        stack.callback(stop.set)
        api = await signed_in_api(
            stack,
            transport=await stack.enter_async_context(httpx.AsyncHTTPTransport()),
            base_url=base_url,
            temporal=client,
            sessions=sessions,
            settings=settings,
        )
        yield api


@pytest.mark.both_stores
async def test_a_return_travels_by_courier_webhooks_and_is_refunded(served_api: Api) -> None:
    api = served_api
    return_id = await open_return(api, return_request())

    labelled = await wait_for_label(api, return_id)
    parcel_id = labelled["return_parcel"]["parcel_id"]
    view = await wait_for_status(api, return_id, "awaiting_inspection")
    # The label's own event comes first, then the parcel's journey, each through the webhook.
    assert tracking_statuses(view) == ["label_created", "picked_up", "in_transit", "delivered"]
    assert view["last_tracking"] == "delivered"
    with api.sessions() as session:
        posted = session.exec(
            select(SandboxParcelEvent).where(col(SandboxParcelEvent.parcel_id) == parcel_id)
        ).all()
        received = session.exec(
            select(ReceivedCourierEvent).where(col(ReceivedCourierEvent.return_id) == return_id)
        ).all()
    assert all(event.delivered_to_webhook for event in posted)
    assert {event.event_id for event in received} == {event.event_id for event in posted}

    warehouse = api.client_as("wh-7", Role.WAREHOUSE)
    inspected = await warehouse.post(
        f"/returns/{return_id}/inspection",
        json={"verdict": "accepted", "note": "unworn, in its box"},
    )
    assert inspected.status_code == 200, inspected.text

    done = await wait_for_status(api, return_id, "completed")
    assert done["outcome"] == "refund"
    assert Decimal(done["refunded_total"]) == Decimal("80.00")
    kinds = [event["kind"] for event in done["timeline"]]
    assert kinds.index("inspected") < kinds.index("refunded") < kinds.index("completed")

    with api.sessions() as session:
        entries = session.exec(
            select(LedgerEntry).where(col(LedgerEntry.complaint_id) == f"return-{return_id}")
        ).all()
    assert [(entry.kind, entry.amount) for entry in entries] == [("refund", Decimal("80.00"))]
