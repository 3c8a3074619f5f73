"""Failures of service open a recovery task on the time-skipping server: a compensation
undone, a critical complaint's deadline breached, a complaint closed without the
customer's answer. Each opens one task however often it fails, the task is listed with
the survey's, its supervisor is told, and it ends done by a supervisor's report or lapsed
at its deadline (the manager told), as the complaint's timeline then shows."""

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio.testing import WorkflowEnvironment

from activities.faults import FaultPlan
from domain import policy
from domain.compensation import CompensationKind
from domain.complaints import AgentAction, ComplaintStatus, ComplaintView, RequestInfoAction
from domain.service_failures import ServiceFailure, service_recovery_workflow_id
from domain.service_recovery import ServiceRecoveryView
from domain.surveys import RecoveryReport, RecoveryStatus
from store import complaints as complaint_store
from store import surveys as survey_store
from store.db import SessionFactory
from store.tables.surveys import RecoveryTaskRecord
from tests.workflows.conftest import Redress, open_redress
from tests.workflows.helpers import intake, outbox, propose
from workflows.complaints import ComplaintWorkflow
from workflows.service_recovery import ServiceRecoveryWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
CHARGER = "The charger exploded and burned my hand, this is a safety hazard."
AGENT = "agent-quality-1"
NOTE = "Called the customer, apologised, and paid the refund by hand."

Found = TypeVar("Found")


async def eventually(read: Callable[[], Found | None], what: str) -> Found:
    """Polls `read` (in real time) until it returns something: the workers write the read
    model and the outbox a moment after the workflow changes."""
    for _ in range(300):
        found = read()
        if found is not None:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"never saw {what}")


def stored_task(
    redress: Redress, task_id: str, status: RecoveryStatus
) -> RecoveryTaskRecord | None:
    """Returns the task's row in the inbox's table once it has `status`."""
    with redress.sessions() as session:
        row = session.get(RecoveryTaskRecord, task_id)
        return row if row is not None and row.status == status.value else None


def stored_kinds(redress: Redress, complaint_id: str) -> list[str]:
    """Returns the kinds on the complaint's timeline in the read model, by seq."""
    with redress.sessions() as session:
        return [row.kind for row in complaint_store.timeline(session, complaint_id=complaint_id)]


async def task_opened(
    redress: Redress, view: ComplaintView, failure: ServiceFailure
) -> RecoveryTaskRecord:
    """Waits for the failure's task in the inbox and its message to the supervisor;
    returns the task's row."""
    task_id = service_recovery_workflow_id(view.complaint_id, failure)
    row = await eventually(lambda: stored_task(redress, task_id, RecoveryStatus.OPEN), task_id)
    assert view.routing is not None
    supervisor = view.routing.supervisor_id
    await eventually(
        lambda: (
            ("service_failure_task", supervisor) in outbox(redress.sessions, view.complaint_id)
            or None
        ),
        "the supervisor told",
    )
    return row


async def sleep_past(redress: Redress, moment: datetime) -> None:
    """Moves the server's time a few minutes past `moment`, if it is still to come."""
    delay = moment + timedelta(minutes=5) - await redress.now()
    if delay > timedelta(0):
        await redress.env.sleep(delay)


def started_recoveries(view: ComplaintView) -> list[str]:
    return [event.detail for event in view.timeline if event.kind == "recovery_started"]


async def complete(redress: Redress, task_id: str, supervisor: str) -> ServiceRecoveryView:
    handle = redress.client.get_workflow_handle(task_id, result_type=ServiceRecoveryView)
    report = RecoveryReport(supervisor=supervisor, note=NOTE, customer_response="Thanks.")
    await handle.execute_update(ServiceRecoveryWorkflow.complete_recovery, report)
    # Read, not awaited: waiting on a result lets the server skip time past others' timers.
    finished: ServiceRecoveryView = await handle.query(ServiceRecoveryWorkflow.view)
    return finished


async def test_a_compensation_undone_opens_one_task_a_supervisor_completes(
    time_skipping_env: WorkflowEnvironment, sessions: SessionFactory
) -> None:
    declines_credit = FaultPlan(decline_kinds={CompensationKind.STORE_CREDIT})
    async with open_redress(time_skipping_env, sessions, declines_credit) as redress:
        handle = await redress.start(intake(KETTLE, paid="120.00"))
        await redress.until_status(handle, ComplaintStatus.OPEN)
        failing = propose(
            AGENT, (CompensationKind.REFUND, "50.00"), (CompensationKind.STORE_CREDIT, "20.00")
        )
        await handle.execute_update(ComplaintWorkflow.act, failing)
        view = await redress.until(handle, lambda v: bool(started_recoveries(v)), "recovery")
        row = await task_opened(redress, view, ServiceFailure.COMPENSATION_UNDONE)
        assert view.routing is not None
        supervisor = view.routing.supervisor_id
        assert supervisor is not None
        assert (row.assignee, row.team, row.case_id) == (
            supervisor,
            view.routing.team,
            view.complaint_id,
        )
        assert row.failure == "compensation_undone" and "refund" in row.reason
        assert started_recoveries(view) == [f"compensation_undone: {row.reason}"]

        # The same failure again opens nothing new.
        await redress.until_status(handle, ComplaintStatus.OPEN)
        await handle.execute_update(ComplaintWorkflow.act, failing)
        view = await redress.until(
            handle,
            lambda v: [e.kind for e in v.timeline].count("compensation_undone") == 2,
            "a second undo",
        )
        assert len(started_recoveries(view)) == 1
        with redress.sessions() as session:
            tasks, total = survey_store.list_recovery_tasks(session, status="open")
        assert total == 1 and tasks[0].task_id == row.task_id

        finished = await complete(redress, row.task_id, supervisor)
        assert finished.recovery.status is RecoveryStatus.DONE
        assert finished.recovery.completed_by == supervisor
        assert finished.recovery.customer_response == "Thanks."
        done = await eventually(
            lambda: stored_task(redress, row.task_id, RecoveryStatus.DONE), "the task done"
        )
        assert done.completed_by == supervisor and done.note == NOTE
        kinds = await eventually(
            lambda: (k := stored_kinds(redress, view.complaint_id)).count("recovery_done") and k,
            "recovery_done on the complaint's timeline",
        )
        assert kinds.count("recovery_started") == 1 and "recovery_lapsed" not in kinds
        assert kinds.index("recovery_started") < kinds.index("recovery_done")
        sent = outbox(redress.sessions, view.complaint_id)
        assert sent.count(("service_failure_task", supervisor)) == 1
        assert not any(template == "service_failure_lapsed" for template, _ in sent)


async def test_a_critical_complaints_breach_opens_one_task_that_lapses(redress: Redress) -> None:
    handle = await redress.start(intake(CHARGER))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.classification and view.classification.tier == "critical"
    assert view.routing and view.routing.manager_id
    assert view.first_response and view.first_response.due_at

    await sleep_past(redress, view.first_response.due_at)
    view = await redress.until(handle, lambda v: bool(started_recoveries(v)), "recovery")
    row = await task_opened(redress, view, ServiceFailure.CRITICAL_SLA_BREACHED)
    assert row.failure == "critical_sla_breached"
    assert row.reason == "first_response deadline passed"
    assert row.due_at == row.created_at + policy.SERVICE_RECOVERY.recovery_window

    # The resolution deadline breached too: still the one task.
    assert view.resolution and view.resolution.due_at
    await sleep_past(redress, view.resolution.due_at)
    view = await redress.until(
        handle,
        lambda v: (
            "resolution deadline passed"
            in [e.detail for e in v.timeline if e.kind == "sla_breached"]
        ),
        "the resolution deadline breached",
    )
    assert len(started_recoveries(view)) == 1

    # Nobody reports: past its deadline the task lapses and the manager is told.
    await sleep_past(redress, row.due_at)
    await eventually(
        lambda: stored_task(redress, row.task_id, RecoveryStatus.LAPSED), "the task lapsed"
    )
    manager = view.routing.manager_id if view.routing else None
    await eventually(
        lambda: (
            ("service_failure_lapsed", manager) in outbox(redress.sessions, view.complaint_id)
            or None
        ),
        "the manager told",
    )
    kinds = await eventually(
        lambda: (k := stored_kinds(redress, view.complaint_id)).count("recovery_lapsed") and k,
        "recovery_lapsed on the complaint's timeline",
    )
    assert "recovery_done" not in kinds and kinds.count("recovery_started") == 1
    lapsed: Any = await redress.client.get_workflow_handle(
        row.task_id, result_type=ServiceRecoveryView
    ).result()
    assert lapsed.recovery.status is RecoveryStatus.LAPSED


async def test_a_general_complaints_breach_opens_no_task(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    await redress.env.sleep(timedelta(hours=25))
    view = await redress.until(handle, lambda v: v.sla_breached, "breached")
    assert started_recoveries(view) == []


async def test_a_complaint_closed_without_the_customers_answer_opens_a_task(
    redress: Redress,
) -> None:
    handle = await redress.start(intake(KETTLE))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    question = "Could you send a photo of the kettle's base plate?"
    await handle.execute_update(
        ComplaintWorkflow.act, AgentAction(actor=AGENT, action=RequestInfoAction(question=question))
    )
    await redress.env.sleep(policy.CUSTOMER_WAIT.auto_close_after + timedelta(minutes=5))
    final = await redress.until_status(handle, ComplaintStatus.CLOSED)

    assert final.status is ComplaintStatus.CLOSED
    assert started_recoveries(final) == [f"closed_without_answer: no answer to: {question}"]
    row = await task_opened(redress, final, ServiceFailure.CLOSED_WITHOUT_ANSWER)
    assert row.reason == f"no answer to: {question}"
    assert final.routing is not None and final.routing.supervisor_id

    # The complaint has ended; the task goes on, and a supervisor completes it.
    finished = await complete(redress, row.task_id, final.routing.supervisor_id)
    assert finished.recovery.status is RecoveryStatus.DONE
    kinds = await eventually(
        lambda: (k := stored_kinds(redress, final.complaint_id)).count("recovery_done") and k,
        "recovery_done on the closed complaint's timeline",
    )
    assert kinds.index("closed") < kinds.index("recovery_done")
