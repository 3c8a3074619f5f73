"""Records the histories that `tests/workflows/test_replay.py` replays.

Run `python -m tests.histories.record` (with the virtualenv's bin on PATH) after a
deliberate change to a workflow, then commit the JSON files it rewrites. Each path runs
on its own time-skipping server with Redress's real workers and a fresh SQLite store,
driven the way the workflow tests drive it. Name paths to record only those
(`python -m tests.histories.record survey-recovered`): the others' files, recorded by
older code, stay as they are and keep guarding the workflows they ran.
"""

import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.service import RPCError

from activities.faults import FaultPlan
from domain import policy
from domain.compensation import (
    CompensationKind,
)
from domain.complaint_merge import MergeInto
from domain.complaints import (
    AgentAction,
    AssignAction,
    ComplaintStatus,
    CustomerMessage,
    NoteAction,
    ReplyAction,
    RequestInfoAction,
)
from domain.returns import ConsentDecision, InspectionVerdict, ReturnStatus
from domain.service_failures import ServiceFailure, service_recovery_workflow_id
from domain.surveys import (
    CaseKind,
    RecoveryReport,
    SurveyAnswer,
    SurveyStatus,
    survey_workflow_id,
)
from domain.taxonomy import EscalationLevel
from store.db import make_engine, prepare_database, session_factory
from tests.servers import time_skipping_server
from tests.workflows.conftest import Redress, open_redress
from tests.workflows.helpers import intake, outbox, propose
from tests.workflows.test_return_workflow import (
    deliver_exchange,
    inspection,
    return_request,
    ship_to_warehouse,
    start_complaint_resolved_by_a_return,
    start_return,
    until_status,
)
from tests.workflows.test_survey_workflow import sent
from tests.workflows.test_survey_workflow import until as until_survey
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow
from workflows.service_recovery import ServiceRecoveryWorkflow
from workflows.surveys import SurveyWorkflow

HISTORIES = Path(__file__).parent
KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
AGENT = "agent-quality-1"

Handle = WorkflowHandle[Any, Any]


async def complaint_happy(redress: Redress) -> Handle:
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.assignee
    reply = AgentAction(actor=view.assignee, action=ReplyAction(message="Sorry!"))
    await handle.execute_update(ComplaintWorkflow.act, reply)
    await handle.execute_update(
        ComplaintWorkflow.act, propose(view.assignee, (CompensationKind.REFUND, "60.00"))
    )
    await handle.result()
    return handle


async def complaint_worked(redress: Redress) -> Handle:
    """Worked by hand, as in the console's workspace: a reply, an internal note, a
    question the customer answers, a move to another team, then a resolution."""
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.assignee
    for action in (
        ReplyAction(message="Sorry!"),
        NoteAction(text="Second kettle of this batch this week."),
        RequestInfoAction(question="Could you send a photo of the base?"),
    ):
        await handle.execute_update(
            ComplaintWorkflow.act, AgentAction(actor=view.assignee, action=action)
        )
    await handle.execute_update(ComplaintWorkflow.customer_reply, CustomerMessage(message="Here."))
    transfer = AssignAction(team="customer-care")
    await handle.execute_update(
        ComplaintWorkflow.act, AgentAction(actor="sup-quality", action=transfer)
    )
    moved = await redress.until(
        handle, lambda v: v.routing is not None and v.routing.team == "customer-care", "moved"
    )
    assert moved.assignee
    await handle.execute_update(
        ComplaintWorkflow.act, propose(moved.assignee, (CompensationKind.REFUND, "60.00"))
    )
    await handle.result()
    return handle


async def complaint_escalated(redress: Redress) -> Handle:
    handle = await redress.start(intake(KETTLE))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    await redress.env.sleep(timedelta(hours=25))  # past the general tier's first response
    await redress.until(
        handle, lambda v: v.escalation_level is EscalationLevel.SUPERVISOR, "supervisor"
    )
    await redress.env.sleep(timedelta(hours=24))  # past the supervisor's window
    await redress.until(handle, lambda v: v.escalation_level is EscalationLevel.MANAGER, "manager")
    await handle.execute_update(
        ComplaintWorkflow.act, propose(AGENT, (CompensationKind.REFUND, "60.00"))
    )
    await handle.result()
    return handle


async def complaint_compensated(redress: Redress) -> Handle:
    handle = await redress.start(intake(KETTLE, paid="120.00"))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    steps = (
        (CompensationKind.REFUND, "50.00"),
        (CompensationKind.COUPON, "10.00"),
        (CompensationKind.STORE_CREDIT, "20.00"),  # declined by the fault plan
    )
    await handle.execute_update(ComplaintWorkflow.act, propose(AGENT, *steps))
    await redress.until(
        handle,
        lambda v: ("resolution_failed", "cust-1001") in outbox(redress.sessions, v.complaint_id),
        "the undo",
    )
    await handle.execute_update(ComplaintWorkflow.act, propose(AGENT))  # an apology alone
    await handle.result()
    return handle


async def complaint_returned(redress: Redress) -> Handle:
    """A resolution's return runs while the complaint's loop answers a reply beside it."""
    complaint, child = await start_complaint_resolved_by_a_return(redress)
    reply = AgentAction(actor=AGENT, action=ReplyAction(message="Your label is on its way."))
    await complaint.execute_update(ComplaintWorkflow.act, reply)
    await redress.until(
        complaint,
        lambda v: ("agent_reply", "cust-1001") in outbox(redress.sessions, v.complaint_id),
        "the reply sent during the return",
    )
    await ship_to_warehouse(redress, child)
    await child.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    await complaint.result()
    return complaint


async def complaint_needs_person(redress: Redress) -> Handle:
    """A refund the provider will not reverse: the complaint waits for a person."""
    handle = await redress.start(intake(KETTLE, paid="120.00"))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    steps = ((CompensationKind.REFUND, "50.00"), (CompensationKind.STORE_CREDIT, "20.00"))
    await handle.execute_update(ComplaintWorkflow.act, propose(AGENT, *steps))
    await redress.until(handle, lambda v: v.needs_person, "a person asked")
    await handle.execute_update(ComplaintWorkflow.act, propose(AGENT))  # an apology alone
    await handle.result()
    return handle


async def complaint_auto_resolved(redress: Redress) -> Handle:
    late = "My parcel is late, it still has not arrived after a week."
    handle = await redress.start(intake(late, paid="89.00"))
    await handle.result()
    return handle


async def return_refunded(redress: Redress) -> Handle:
    handle = await start_return(redress, return_request(quantity=2))
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    await handle.result()
    return handle


async def return_exchange(redress: Redress) -> Handle:
    handle = await start_return(redress, return_request(reason="wrong_item", evidence=True))
    await until_status(redress, handle, ReturnStatus.AWAITING_CONSENT)
    await handle.execute_update(ReturnWorkflow.give_consent, ConsentDecision(accepted=True))
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    await deliver_exchange(redress, handle)
    return handle


async def return_cancelled(redress: Redress) -> Handle:
    handle = await start_return(redress, return_request())
    await handle.result()  # the time-skipping server runs the reminder and the cancel
    return handle


async def complaint_surveyed(redress: Redress) -> Handle:
    """The happy path again, on code that starts a survey when the complaint closes."""
    return await complaint_happy(redress)


async def return_surveyed(redress: Redress) -> Handle:
    return await return_refunded(redress)


async def survey_recovered(redress: Redress) -> Handle:
    """A resolved complaint's survey, answered low: recovery, coupon, supervisor's report."""
    complaint = await complaint_happy(redress)
    survey: Handle = redress.client.get_workflow_handle(
        survey_workflow_id(CaseKind.COMPLAINT, complaint.id.removeprefix("complaint-"))
    )
    await sent(redress, survey)
    await survey.execute_update(SurveyWorkflow.answer, SurveyAnswer(csat=2, resolved=False))
    await until_survey(survey, lambda v: v.status is SurveyStatus.RECOVERING, "recovery")
    report = RecoveryReport(supervisor="sup-quality", note="Called the customer.")
    await survey.execute_update(SurveyWorkflow.complete_recovery, report)
    await survey.result()
    return survey


async def _merged_pair(redress: Redress) -> tuple[Handle, Handle]:
    """Opens a complaint, then a second about the same order (linked to the first at
    intake), and merges the first, replied to and answered, into the second; returns
    both."""
    first = await redress.start(intake(KETTLE))
    await redress.until_status(first, ComplaintStatus.OPEN)
    await first.execute_update(
        ComplaintWorkflow.act, AgentAction(actor=AGENT, action=ReplyAction(message="Sorry!"))
    )
    await first.execute_update(ComplaintWorkflow.customer_reply, CustomerMessage(message="Thanks"))
    second = await redress.start(intake(KETTLE))
    await redress.until(first, lambda v: bool(v.duplicates), "the duplicate linked")
    merge = MergeInto(into=second.id.removeprefix("complaint-"), actor="sup-quality")
    await first.execute_update(ComplaintWorkflow.merge_into, merge)
    return first, second


async def complaint_merged(redress: Redress) -> Handle:
    """A complaint linked to a newer duplicate, then merged into it."""
    merged, _ = await _merged_pair(redress)
    await merged.result()
    return merged


async def complaint_merge_survivor(redress: Redress) -> Handle:
    """A complaint linked at intake to an open one, which is then merged into it; it goes
    on to be resolved."""
    _, survivor = await _merged_pair(redress)
    await survivor.execute_update(
        ComplaintWorkflow.act, propose(AGENT, (CompensationKind.REFUND, "60.00"))
    )
    await survivor.result()
    return survivor


async def survey_unanswered(redress: Redress) -> Handle:
    """A resolved complaint's survey nobody answers: a reminder, then no answer."""
    complaint = await complaint_happy(redress)
    survey: Handle = redress.client.get_workflow_handle(
        survey_workflow_id(CaseKind.COMPLAINT, complaint.id.removeprefix("complaint-"))
    )
    await redress.env.sleep(policy.SURVEY.send_after + policy.SURVEY.close_after)
    await until_survey(survey, lambda v: v.status is SurveyStatus.CLOSED, "closed")
    await survey.result()
    return survey


async def _recovery_started(redress: Redress, complaint: Handle, failure: ServiceFailure) -> Handle:
    """Returns the handle of the recovery task `failure` opened on `complaint`, once its
    workflow runs (the complaint records the task a moment before it starts it)."""
    task_id = service_recovery_workflow_id(complaint.id.removeprefix("complaint-"), failure)
    task: Handle = redress.client.get_workflow_handle(task_id)
    for _ in range(300):
        try:
            await task.describe()
            return task
        except RPCError:
            await asyncio.sleep(0.05)
    raise AssertionError(f"{task_id} never started")


async def _undone_then_recovered(redress: Redress) -> tuple[Handle, Handle]:
    """A resolution undone (the store credit declined, the refund reversed) opens a
    recovery task; the supervisor completes it, and a coupon then closes the complaint."""
    complaint = await redress.start(intake(KETTLE, paid="120.00"))
    await redress.until_status(complaint, ComplaintStatus.OPEN)
    steps = ((CompensationKind.REFUND, "50.00"), (CompensationKind.STORE_CREDIT, "20.00"))
    await complaint.execute_update(ComplaintWorkflow.act, propose(AGENT, *steps))
    task = await _recovery_started(redress, complaint, ServiceFailure.COMPENSATION_UNDONE)
    report = RecoveryReport(supervisor="sup-quality", note="Called the customer.")
    await task.execute_update(ServiceRecoveryWorkflow.complete_recovery, report)
    await task.result()
    await redress.until_status(complaint, ComplaintStatus.OPEN)
    coupon = propose(AGENT, (CompensationKind.COUPON, "10.00"))
    await complaint.execute_update(ComplaintWorkflow.act, coupon)
    await complaint.result()
    return complaint, task


async def complaint_recovery_opened(redress: Redress) -> Handle:
    complaint, _ = await _undone_then_recovered(redress)
    return complaint


async def service_recovery_done(redress: Redress) -> Handle:
    _, task = await _undone_then_recovered(redress)
    return task


async def _closed_unanswered(redress: Redress) -> tuple[Handle, Handle]:
    """A question the customer never answers closes the complaint, which opens a
    recovery task nobody completes: it lapses."""
    complaint = await redress.start(intake(KETTLE))
    await redress.until_status(complaint, ComplaintStatus.OPEN)
    ask = AgentAction(actor=AGENT, action=RequestInfoAction(question="Photo?"))
    await complaint.execute_update(ComplaintWorkflow.act, ask)
    await complaint.result()
    task = await _recovery_started(redress, complaint, ServiceFailure.CLOSED_WITHOUT_ANSWER)
    await task.result()
    return complaint, task


async def complaint_closed_unanswered(redress: Redress) -> Handle:
    complaint, _ = await _closed_unanswered(redress)
    return complaint


async def service_recovery_lapsed(redress: Redress) -> Handle:
    _, task = await _closed_unanswered(redress)
    return task


@dataclass(frozen=True)
class RecordedPath:
    name: str
    drive: Callable[[Redress], Awaitable[Handle]]
    faults: FaultPlan | None = None


PATHS = [
    RecordedPath("complaint-happy", complaint_happy),
    RecordedPath("complaint-escalated", complaint_escalated),
    RecordedPath(
        "complaint-compensated",
        complaint_compensated,
        FaultPlan(decline_kinds={CompensationKind.STORE_CREDIT}),
    ),
    RecordedPath("complaint-auto-resolved", complaint_auto_resolved),
    RecordedPath("complaint-returned", complaint_returned),
    RecordedPath(
        "complaint-needs-person",
        complaint_needs_person,
        FaultPlan(
            decline_kinds={CompensationKind.STORE_CREDIT},
            irreversible_kinds={CompensationKind.REFUND},
        ),
    ),
    RecordedPath("return-refunded", return_refunded),
    RecordedPath("return-exchange", return_exchange),
    RecordedPath("return-cancelled", return_cancelled),
    RecordedPath("complaint-surveyed", complaint_surveyed),
    RecordedPath("return-surveyed", return_surveyed),
    RecordedPath("survey-recovered", survey_recovered),
    RecordedPath("survey-unanswered", survey_unanswered),
    RecordedPath("complaint-worked", complaint_worked),
    RecordedPath(
        "complaint-recovery-opened",
        complaint_recovery_opened,
        FaultPlan(decline_kinds={CompensationKind.STORE_CREDIT}),
    ),
    RecordedPath(
        "service-recovery-done",
        service_recovery_done,
        FaultPlan(decline_kinds={CompensationKind.STORE_CREDIT}),
    ),
    RecordedPath("complaint-closed-unanswered", complaint_closed_unanswered),
    RecordedPath("service-recovery-lapsed", service_recovery_lapsed),
    RecordedPath("complaint-merged", complaint_merged),
    RecordedPath("complaint-merge-survivor", complaint_merge_survivor),
]


async def record(path: RecordedPath) -> Path:
    """Drives one path on a fresh server and store; returns the history file written."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'redress.db'}")
        prepare_database(engine)
        try:
            async with (
                time_skipping_server() as env,
                open_redress(env, session_factory(engine), path.faults) as redress,
            ):
                handle = await path.drive(redress)
                # Fetched before open_redress terminates whatever is still running.
                history = await handle.fetch_history()
        finally:
            engine.dispose()
    target = HISTORIES / f"{path.name}.json"
    target.write_text(history.to_json() + "\n")
    return target


async def main(names: list[str]) -> None:
    unknown = set(names) - {path.name for path in PATHS}
    if unknown:
        raise SystemExit(f"no such path: {', '.join(sorted(unknown))}")
    for path in PATHS:
        if names and path.name not in names:
            continue
        started = time.monotonic()
        target = await record(path)
        print(f"{target.name}: {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
