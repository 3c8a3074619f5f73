"""Service-recovery tasks through the API: a low answer on the survey page opens one, a
supervisor finds it, reads the answer and closes it with what was done, and the
complaint's timeline records it done (not lapsed). Agents may not; bad reports change
nothing; a retried completion records nothing twice."""

import uuid

import pytest

from domain import policy
from domain.access import Role
from domain.survey_timeline import SURVEY_SEQ_BASE
from domain.surveys import SurveyEventKind
from tests.api.support import Api, eventually
from tests.console.support import answer_low_after_closing
from tests.customer.support import SEND_AT_ONCE
from workflows.surveys import SurveyWorkflow

SUPERVISOR = "sup-recovery"
# As the survey page's form sends it.
LOW_ANSWER = {"csat": "1", "resolved": "no", "nps": "2", "comment": "The kettle still leaks."}
REPORT = {
    "note": "Called the customer, apologised, sent a new kettle by express.",
    "customer_response": "Happy with the replacement, will order again.",
}


def _survey_kinds(view: dict[str, object]) -> list[str]:
    timeline = view["timeline"]
    assert isinstance(timeline, list)
    return [event["kind"] for event in timeline if event["seq"] > SURVEY_SEQ_BASE]


async def test_a_supervisor_completes_a_recovery_task_and_the_case_records_it_done(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(policy, "SURVEY", SEND_AT_ONCE)
    complaint_id, task_id = await answer_low_after_closing(api, LOW_ANSWER)
    supervisor = api.client_as(SUPERVISOR, Role.SUPERVISOR)

    async def listed() -> dict[str, object] | None:
        page = (await supervisor.get("/recovery-tasks", params={"status": "open"})).json()
        return next((item for item in page["items"] if item["task_id"] == task_id), None)

    listed_task = await eventually(listed)
    assert listed_task["case_id"] == complaint_id and listed_task["case_kind"] == "complaint"
    assert listed_task["status"] == "open" and listed_task["completed_at"] is None

    read = await supervisor.get(f"/recovery-tasks/{task_id}")
    assert read.status_code == 200, read.text
    detail = read.json()
    assert detail["answer"]["csat"] == 1 and detail["answer"]["resolved"] is False
    assert detail["answer"]["comment"] == LOW_ANSWER["comment"]
    assert detail["status"] == "open" and detail["due_at"] > detail["opened_at"]

    key = f"recovery-{uuid.uuid4()}"
    completed = await supervisor.post(
        f"/recovery-tasks/{task_id}/complete", json=REPORT, headers={"Idempotency-Key": key}
    )
    assert completed.status_code == 200, completed.text
    done = completed.json()
    assert done["status"] == "done" and done["completed_by"] == SUPERVISOR
    assert done["note"] == REPORT["note"]
    assert done["customer_response"] == REPORT["customer_response"]

    # A retry of the same request (its answer lost) returns the same and records nothing.
    retried = await supervisor.post(
        f"/recovery-tasks/{task_id}/complete", json=REPORT, headers={"Idempotency-Key": key}
    )
    assert retried.status_code == 200, retried.text
    assert retried.json()["completed_at"] == done["completed_at"]
    # Another report on a task already done is refused.
    again = await supervisor.post(
        f"/recovery-tasks/{task_id}/complete",
        json=REPORT,
        headers={"Idempotency-Key": f"recovery-{uuid.uuid4()}"},
    )
    assert again.status_code == 409, again.text
    assert again.json()["error"] == "recovery_task_closed"

    survey = await api.temporal.get_workflow_handle(task_id).query(SurveyWorkflow.view)
    kinds = [event.kind for event in survey.timeline]
    assert kinds.count(SurveyEventKind.RECOVERY_DONE) == 1
    assert SurveyEventKind.RECOVERY_LAPSED not in kinds
    view = await api.wait_for_view(
        complaint_id, lambda view: "recovery_done" in _survey_kinds(view)
    )
    assert _survey_kinds(view)[-2:] == ["recovery_started", "recovery_done"]
    done_event = next(e for e in view["timeline"] if e["kind"] == "recovery_done")
    assert done_event["actor"] == SUPERVISOR and done_event["detail"] == REPORT["note"]

    listed_done = (await supervisor.get("/recovery-tasks", params={"status": "done"})).json()
    assert task_id in [item["task_id"] for item in listed_done["items"]]


async def test_agents_may_not_see_or_complete_recovery_tasks_and_bad_reports_change_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(policy, "SURVEY", SEND_AT_ONCE)
    _, task_id = await answer_low_after_closing(api, LOW_ANSWER)
    agent = api.client_as("agent-recovery", Role.AGENT)
    supervisor = api.client_as(SUPERVISOR, Role.SUPERVISOR)

    assert (await agent.get("/recovery-tasks")).status_code == 403
    assert (await agent.get(f"/recovery-tasks/{task_id}")).status_code == 403
    forbidden = await agent.post(f"/recovery-tasks/{task_id}/complete", json=REPORT)
    assert forbidden.status_code == 403, forbidden.text

    empty_note = await supervisor.post(
        f"/recovery-tasks/{task_id}/complete", json={"note": "", "customer_response": ""}
    )
    assert empty_note.status_code == 422, empty_note.text
    assert any(field["field"].endswith("note") for field in empty_note.json()["fields"])
    unknown = await supervisor.post(
        "/recovery-tasks/survey-complaint-CNOSUCHCASE00/complete", json=REPORT
    )
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["error"] == "recovery_task_not_found"
    not_an_id = await supervisor.get("/recovery-tasks/not a task")
    assert not_an_id.status_code == 422, not_an_id.text

    survey = await api.temporal.get_workflow_handle(task_id).query(SurveyWorkflow.view)
    assert survey.recovery is not None and survey.recovery.status == "open"
    assert SurveyEventKind.RECOVERY_DONE not in [event.kind for event in survey.timeline]
