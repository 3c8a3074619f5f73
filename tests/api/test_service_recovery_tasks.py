"""Recovery tasks a failure of service opened, through the API: a resolution undone by a
declined step opens one for the complaint's supervisor; it is listed with the survey's
tasks with what failed, filtered by team, read, and completed with what was done, and the
complaint (still open) shows it done on its timeline. Agents may not; a retried
completion records nothing twice; a second report is refused."""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.access import Role
from domain.survey_timeline import SURVEY_SEQ_BASE
from store.db import SessionFactory
from tests.api.conftest import api_test_settings, running_api
from tests.api.service_recovery_support import DECLINED, undo_a_resolution
from tests.api.support import Api, eventually

SUPERVISOR = "sup-failures"
REPORT = {
    "note": "Called the customer, apologised, and refunded the 20.00 by hand.",
    "customer_response": "Relieved; thanks for calling.",
}


@pytest.fixture
async def api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    client = dev_server_env.client
    settings = api_test_settings(client, database_url, tmp_path, queue="failures", **DECLINED)
    async with running_api(client, sessions, settings) as api:
        yield api


def _listed(page: dict[str, Any], task_id: str) -> dict[str, Any] | None:
    return next((item for item in page["items"] if item["task_id"] == task_id), None)


async def test_a_supervisor_completes_a_failures_task_and_the_open_complaint_shows_it(
    api: Api,
) -> None:
    complaint_id, task_id = await undo_a_resolution(api)
    supervisor = api.client_as(SUPERVISOR, Role.SUPERVISOR)
    complaint = (await api.http.get(f"/complaints/{complaint_id}")).json()
    team = complaint["routing"]["team"]

    async def listed() -> dict[str, Any] | None:
        page = await supervisor.get("/recovery-tasks", params={"status": "open", "team": team})
        return _listed(page.json(), task_id)

    item = await eventually(listed)
    assert item["failure"] == "compensation_undone" and "refund" in item["reason"]
    assert (item["case_kind"], item["case_id"], item["team"]) == ("complaint", complaint_id, team)
    assert item["assignee"] == complaint["routing"]["supervisor_id"]
    assert item["coupon_amount"] is None and item["completed_at"] is None
    other_team = await supervisor.get("/recovery-tasks", params={"team": "no-such-team"})
    assert _listed(other_team.json(), task_id) is None

    read = await supervisor.get(f"/recovery-tasks/{task_id}")
    assert read.status_code == 200, read.text
    detail = read.json()
    assert detail["failure"] == "compensation_undone" and detail["answer"] is None
    assert detail["status"] == "open" and detail["due_at"] > detail["opened_at"]

    key = f"recovery-{uuid.uuid4()}"
    completed = await supervisor.post(
        f"/recovery-tasks/{task_id}/complete", json=REPORT, headers={"Idempotency-Key": key}
    )
    assert completed.status_code == 200, completed.text
    done = completed.json()
    assert (done["status"], done["completed_by"]) == ("done", SUPERVISOR)
    assert done["note"] == REPORT["note"]
    assert done["customer_response"] == REPORT["customer_response"]
    # The same request again (its answer lost) returns the same and records nothing.
    retried = await supervisor.post(
        f"/recovery-tasks/{task_id}/complete", json=REPORT, headers={"Idempotency-Key": key}
    )
    assert retried.status_code == 200, retried.text
    assert retried.json()["completed_at"] == done["completed_at"]
    again = await supervisor.post(
        f"/recovery-tasks/{task_id}/complete",
        json=REPORT,
        headers={"Idempotency-Key": f"recovery-{uuid.uuid4()}"},
    )
    assert again.status_code == 409, again.text
    assert again.json()["error"] == "recovery_task_closed"

    # The complaint is still open, and its timeline shows the task started and done.
    view = await api.wait_for_view(
        complaint_id, lambda view: any(e["kind"] == "recovery_done" for e in view["timeline"])
    )
    assert view["status"] == "open"
    kinds = [event["kind"] for event in view["timeline"]]
    assert kinds.count("recovery_started") == 1 and kinds.count("recovery_done") == 1
    assert kinds.index("compensation_undone") < kinds.index("recovery_started")
    assert kinds.index("recovery_started") < kinds.index("recovery_done")
    done_event = next(e for e in view["timeline"] if e["kind"] == "recovery_done")
    assert done_event["seq"] > SURVEY_SEQ_BASE
    assert (done_event["actor"], done_event["detail"]) == (SUPERVISOR, REPORT["note"])
    listed_done = (await supervisor.get("/recovery-tasks", params={"status": "done"})).json()
    assert _listed(listed_done, task_id) is not None


async def test_agents_may_not_see_or_complete_a_failures_task(api: Api) -> None:
    complaint_id, task_id = await undo_a_resolution(api)
    agent = api.client_as("agent-failures", Role.AGENT)
    supervisor = api.client_as(SUPERVISOR, Role.SUPERVISOR)

    assert (await agent.get("/recovery-tasks")).status_code == 403
    assert (await agent.get(f"/recovery-tasks/{task_id}")).status_code == 403
    forbidden = await agent.post(f"/recovery-tasks/{task_id}/complete", json=REPORT)
    assert forbidden.status_code == 403, forbidden.text
    # A failure Redress does not know names no task.
    unknown_failure = await supervisor.get(f"/recovery-tasks/recovery-{complaint_id}-late_reply")
    assert unknown_failure.status_code == 422, unknown_failure.text
    not_opened = await supervisor.post(
        "/recovery-tasks/recovery-CNOSUCHCASE00-compensation_undone/complete", json=REPORT
    )
    assert not_opened.status_code == 404, not_opened.text
    assert not_opened.json()["error"] == "recovery_task_not_found"

    task = (await supervisor.get(f"/recovery-tasks/{task_id}")).json()
    assert task["status"] == "open" and task["completed_by"] is None
