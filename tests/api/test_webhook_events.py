"""End to end: a complaint opened through the API reaches a platform's real endpoint as
signed events, in the order they happened, from the worker's own dispatcher."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tests.api.support import Api, eventually, intake
from tests.live_server import serve
from tests.webhook_receiver import WebhookReceiver
from worker import dispatch_webhooks

EVENTS = ["complaint.opened", "complaint.classified", "complaint.assigned"]


@asynccontextmanager
async def worker_dispatching(api: Api, **settings_changed: object) -> AsyncIterator[None]:
    """Runs the worker's dispatcher, polling often, under the API's settings changed by
    `settings_changed`."""
    stop = asyncio.Event()
    changes = {"webhook_poll_seconds": 0.05} | settings_changed
    settings = api.settings.model_copy(update=changes)
    run = asyncio.create_task(dispatch_webhooks(api.sessions, settings, stop))
    try:
        yield
    finally:
        stop.set()
        await run


async def test_a_complaint_reaches_the_platform_as_signed_events_in_order(api: Api) -> None:
    receiver = WebhookReceiver(secret="")
    with serve(receiver.app) as base_url:
        created = await api.http.post(
            "/webhook-subscriptions",
            json={"url": f"{base_url}/events", "event_types": EVENTS},
        )
        assert created.status_code == 201, created.text
        subscription = created.json()
        # The receiver verifies with the secret the creation answer showed.
        receiver.secret = subscription["secret"]

        async with worker_dispatching(api):
            opened = await api.create(intake(), key="webhook-e2e")
            complaint_id = opened.json()["complaint_id"]

            async def arrived() -> list[str] | None:
                types = [
                    event["type"]
                    for event in receiver.accepted()
                    if event["data"]["case_id"] == complaint_id
                ]
                return types if len(types) >= len(EVENTS) else None

            assert await eventually(arrived) == EVENTS

    first = receiver.accepted()[0]
    assert first["data"]["channel"] == "web"
    assert first["data"]["seq"] == 1
    classified = receiver.accepted()[1]["data"]
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert classified["category"] == view["classification"]["category"]
    log = await api.http.get(f"/webhook-subscriptions/{subscription['subscription_id']}/deliveries")
    items = log.json()["items"]
    assert [item["event_type"] for item in reversed(items)] == EVENTS
    assert all(item["status"] == "delivered" for item in items)
    assert all(item["attempts"][-1]["response_code"] == 204 for item in items)
