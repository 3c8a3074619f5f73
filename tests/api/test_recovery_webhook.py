"""A failure of service reaches a platform's real endpoint: the recovery task a complaint
opens when its resolution is undone publishes `recovery.started`, signed, after the
`compensation.undone` that caused it, naming the failure, the task and when it is due."""

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from store.db import SessionFactory
from tests.api.conftest import api_test_settings, running_api
from tests.api.service_recovery_support import DECLINED, undo_a_resolution
from tests.api.support import Api, eventually
from tests.api.test_webhook_events import worker_dispatching
from tests.live_server import serve
from tests.webhook_receiver import WebhookReceiver

EVENTS = ["compensation.undone", "recovery.started"]


@pytest.fixture
async def api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    client = dev_server_env.client
    settings = api_test_settings(client, database_url, tmp_path, queue="failure-hooks", **DECLINED)
    async with running_api(client, sessions, settings) as api:
        yield api


@pytest.mark.both_stores
async def test_a_failures_recovery_task_is_published_as_recovery_started(api: Api) -> None:
    receiver = WebhookReceiver(secret="")
    with serve(receiver.app) as base_url:
        created = await api.http.post(
            "/webhook-subscriptions", json={"url": f"{base_url}/events", "event_types": EVENTS}
        )
        assert created.status_code == 201, created.text
        receiver.secret = created.json()["secret"]

        async with worker_dispatching(api):
            complaint_id, task_id = await undo_a_resolution(api)

            async def arrived() -> list[dict[str, Any]] | None:
                events = [e for e in receiver.accepted() if e["data"]["case_id"] == complaint_id]
                return events if "recovery.started" in [e["type"] for e in events] else None

            events = await eventually(arrived)

    assert [event["type"] for event in events] == EVENTS, "in the order they happened"
    started = events[1]["data"]
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    entry = next(e for e in view["timeline"] if e["kind"] == "recovery_started")
    assert (started["case_kind"], started["seq"]) == ("complaint", entry["seq"])
    assert (started["actor"], started["detail"]) == (entry["actor"], entry["detail"])
    assert (started["failure"], started["task_id"]) == ("compensation_undone", task_id)
    assert started["survey_id"] is None
    task = (await api.http.get(f"/recovery-tasks/{task_id}")).json()
    assert datetime.fromisoformat(started["due_at"]) == datetime.fromisoformat(task["due_at"])
    request = receiver.requests_for(f"evt_{complaint_id}_{entry['seq']}")
    assert [r.status for r in request] == [204], "verified by the receiver, delivered once"
