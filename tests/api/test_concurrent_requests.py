"""Duplicate requests sent at the same moment change things once: a burst of identical
returns opens one, a key reused with other bodies in a burst is refused for all but one,
and a courier's event delivered many times at once moves the return once.

(The same burst for complaints is in test_open_complaint.py.)
"""

import asyncio
import uuid

import pytest
from sqlmodel import col, select

from store.tables.webhooks import ReceivedCourierEvent
from tests.api.returns_support import (
    courier_event,
    create_return,
    open_return,
    post_courier_event,
    return_request,
    tracking_statuses,
    wait_for_label,
    wait_for_return,
)
from tests.api.support import Api, eventually

# Racing writers meet the store's own locking and unique keys, which differ by store.
pytestmark = pytest.mark.both_stores

BURST = 10


async def _executions(api: Api, workflow_id: str) -> int | None:
    found = [wf async for wf in api.temporal.list_workflows(f"WorkflowId = '{workflow_id}'")]
    return len(found) or None


async def test_a_burst_of_identical_returns_opens_one(api: Api) -> None:
    body, key = return_request(), f"burst-{uuid.uuid4()}"

    responses = await asyncio.gather(*(create_return(api, body, key=key) for _ in range(BURST)))

    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [200] * (BURST - 1) + [201], [r.text for r in responses]
    assert len({r.json()["return_id"] for r in responses}) == 1
    replays = [r for r in responses if r.status_code == 200]
    assert all(r.headers["Idempotent-Replayed"] == "true" for r in replays)
    workflow_id = responses[0].json()["workflow_id"]
    assert await eventually(lambda: _executions(api, workflow_id)) == 1


async def test_one_key_with_different_bodies_at_once_opens_one_and_refuses_the_rest(
    api: Api,
) -> None:
    key = f"contested-{uuid.uuid4()}"
    bodies = [return_request(description=f"Return number {n}.") for n in range(BURST)]

    responses = await asyncio.gather(*(create_return(api, body, key=key) for body in bodies))

    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [201] + [422] * (BURST - 1), [r.text for r in responses]
    for refused in (r for r in responses if r.status_code == 422):
        assert refused.json()["error"] == "idempotency_key_reused"
        assert "different request body" in refused.json()["message"]


async def test_a_courier_event_delivered_many_times_at_once_moves_the_return_once(
    api: Api,
) -> None:
    view = await wait_for_label(api, await open_return(api))
    picked_up = courier_event(view, "picked_up")

    responses = await asyncio.gather(*(post_courier_event(api, picked_up) for _ in range(BURST)))

    answers = sorted((r.status_code, tuple(r.json())) for r in responses)
    assert answers == [(200, ("duplicate",))] * (BURST - 1) + [(202, ("accepted",))], answers
    # A later event is handled after the earlier ones: once it shows, any repeat would have.
    moved = await post_courier_event(api, courier_event(view, "in_transit"))
    assert moved.status_code == 202, moved.text
    view = await wait_for_return(api, view["return_id"], lambda v: len(tracking_statuses(v)) == 2)
    assert tracking_statuses(view) == ["picked_up", "in_transit"]
    assert view["seen_events"].count(picked_up["event_id"]) == 1
    with api.sessions() as session:
        rows = session.exec(
            select(ReceivedCourierEvent).where(
                col(ReceivedCourierEvent.event_id) == picked_up["event_id"]
            )
        ).all()
    assert len(rows) == 1
