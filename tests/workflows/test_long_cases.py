"""Long cases never stall or lose accepted work: work accepted at the moment a workflow
continues as new is carried into the new run, the complaint's loop keeps serving the case
while compensation and its return run, and a failed undo leaves a case for a person
rather than a failed workflow."""

import asyncio
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from activities.faults import FaultPlan
from activities.notifications.outbox import OutboxNotifier
from domain import policy
from domain.compensation import (
    CompensationKind,
)
from domain.complaints import (
    AgentAction,
    ApprovalDecision,
    CloseReason,
    ComplaintStatus,
    CustomerMessage,
    ReplyAction,
)
from domain.returns import InspectionVerdict, ReturnStatus, TrackingStatus
from store.db import SessionFactory
from tests.workflows.conftest import Redress, open_redress
from tests.workflows.gated_notifier import GatedNotifier
from tests.workflows.helpers import intake, ledger, outbox, propose
from tests.workflows.test_return_workflow import (
    inspection,
    return_request,
    ship_to_warehouse,
    start_complaint_resolved_by_a_return,
    start_return,
    track,
    until,
    until_status,
)
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
AGENT = "agent-quality-1"
# How long a finished case may take to finish once nothing holds it up.
SETTLES_WITHIN = 30


async def _run_id(handle: WorkflowHandle[Any, Any]) -> str:
    run_id = (await handle.describe()).run_id
    assert run_id is not None
    return run_id


async def _continue_as_new_now(
    handle: WorkflowHandle[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Makes the workflow's history count as long from its next check on: the threshold
    becomes today's length, which a fresh run stays under."""
    length = len((await handle.fetch_history()).events)
    monkeypatch.setattr(policy, "CONTINUE_AS_NEW_AFTER_EVENTS", length)


async def _until_continued(handle: WorkflowHandle[Any, Any], first_run: str) -> None:
    for _ in range(200):
        if await _run_id(handle) != first_run:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the workflow never continued as new")


# --- Continue-as-new carries accepted work (real dev server: it counts history events) ---


async def test_approval_accepted_as_a_complaint_continues_as_new_is_carried_out(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = GatedNotifier(OutboxNotifier(sessions))
    async with open_redress(dev_server_env, sessions, notifier=gate) as redress:
        handle = await redress.start(intake(KETTLE, paid="500.00"))
        await redress.until_status(handle, ComplaintStatus.OPEN)
        await handle.execute_update(
            ComplaintWorkflow.act, propose(AGENT, (CompensationKind.REFUND, "300.00"))
        )
        complaint_id = handle.id.removeprefix("complaint-")
        await redress.until(
            handle,
            lambda _: any(t == "approval_requested" for t, _ in outbox(sessions, complaint_id)),
            "the supervisor asked",
        )
        first_run = await _run_id(handle)

        # The loop sends a reply and, held there, is about to continue as new ...
        gate.close()
        await handle.execute_update(
            ComplaintWorkflow.act,
            AgentAction(actor=AGENT, action=ReplyAction(message="Waiting on the supervisor")),
        )
        await gate.holding()
        await _continue_as_new_now(handle, monkeypatch)
        # ... when the supervisor approves, and a second reply comes in.
        approved = await handle.execute_update(
            ComplaintWorkflow.decide_approval,
            ApprovalDecision(approver="sup-quality", approved=True, reason="Defect confirmed"),
        )
        assert approved.status is ComplaintStatus.RESOLVING
        await handle.execute_update(
            ComplaintWorkflow.act,
            AgentAction(actor=AGENT, action=ReplyAction(message="Approved, refunding now")),
        )
        gate.open()
        await _until_continued(handle, first_run)

        final = await asyncio.wait_for(handle.result(), SETTLES_WITHIN)
        assert final.close_reason is CloseReason.RESOLVED
        assert ledger(sessions, complaint_id) == [("refund", Decimal("300.00"))]
        sent = [t for t, _ in outbox(sessions, complaint_id)]
        assert sent.count("agent_reply") == 2, "each reply sent once, none dropped"
        assert sent.count("resolution_outcome") == 1


async def test_inspection_reported_as_a_return_continues_as_new_is_settled(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = GatedNotifier(OutboxNotifier(sessions))
    async with open_redress(dev_server_env, sessions, notifier=gate) as redress:
        handle = await start_return(redress, return_request())
        view = await until(redress, handle, lambda v: v.return_parcel is not None, "a label")
        await track(redress, handle, view, TrackingStatus.PICKED_UP)
        await until_status(redress, handle, ReturnStatus.IN_TRANSIT)
        first_run = await _run_id(handle)

        # Delivery asks the warehouse to inspect; the loop is sending that request ...
        gate.close()
        await track(redress, handle, view, TrackingStatus.DELIVERED)
        await gate.holding()
        await _continue_as_new_now(handle, monkeypatch)
        # ... when the warehouse reports.
        await handle.execute_update(
            ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
        )
        gate.open()
        await _until_continued(handle, first_run)

        final = await asyncio.wait_for(handle.result(), SETTLES_WITHIN)
        assert final.status is ReturnStatus.COMPLETED
        assert ledger(sessions, f"return-{final.return_id}") == [("refund", Decimal("80.00"))]


async def test_courier_event_received_as_a_return_continues_as_new_is_kept(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = GatedNotifier(OutboxNotifier(sessions))
    async with open_redress(dev_server_env, sessions, notifier=gate) as redress:
        handle = await start_return(
            redress, return_request(outcome="exchange", exchange_sku="SHOE-43")
        )
        arrived = await ship_to_warehouse(redress, handle)
        # The warehouse's request goes out before the gate closes: held, it would keep the
        # loop from the inspection below (under load it can still be on its way here).
        await until(
            redress,
            handle,
            lambda _: any(
                template == "return_inspection_requested"
                for template, _ in outbox(sessions, f"return-{arrived.return_id}")
            ),
            "the warehouse asked",
        )
        first_run = await _run_id(handle)

        # Settling ships the exchange; the loop is telling the customer ...
        gate.close()
        await handle.execute_update(
            ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
        )
        await gate.holding()
        await _continue_as_new_now(handle, monkeypatch)
        # ... when the courier reports the exchange delivered.
        shipped = await until(
            redress, handle, lambda v: v.outbound_parcel is not None, "the exchange shipped"
        )
        await track(redress, handle, shipped, TrackingStatus.DELIVERED, outbound=True)
        gate.open()
        await _until_continued(handle, first_run)

        final = await asyncio.wait_for(handle.result(), SETTLES_WITHIN)
        assert final.status is ReturnStatus.COMPLETED
        assert final.outbound_parcel is not None


# --- The complaint's loop keeps serving the case while its return is open ---


async def test_replies_during_a_return_are_delivered_at_once(redress: Redress) -> None:
    complaint, _ = await start_complaint_resolved_by_a_return(redress)
    complaint_id = complaint.id.removeprefix("complaint-")
    await complaint.execute_update(
        ComplaintWorkflow.customer_reply, CustomerMessage(message="I posted it today.")
    )
    await complaint.execute_update(
        ComplaintWorkflow.act,
        AgentAction(actor=AGENT, action=ReplyAction(message="Thanks, we will watch for it.")),
    )
    view = await redress.until(
        complaint,
        lambda _: ("agent_reply", "cust-1001") in outbox(redress.sessions, complaint_id),
        "the agent's reply sent while the return is open",
    )
    assert view.status is ComplaintStatus.RESOLVING
    kinds = [str(e.kind) for e in view.timeline]
    assert "customer_replied" in kinds and "replied" in kinds


async def test_resolution_deadline_passing_during_a_return_is_breached_and_escalated(
    redress: Redress,
) -> None:
    complaint, child = await start_complaint_resolved_by_a_return(redress)
    complaint_id = complaint.id.removeprefix("complaint-")
    await ship_to_warehouse(redress, child)
    # The warehouse sits on it for weeks: the complaint's resolution deadline passes.
    await redress.env.sleep(timedelta(days=21))
    view = await redress.until(
        complaint,
        lambda v: (
            any(e.detail == "resolution deadline passed" for e in v.timeline)
            # The escalation's message is recorded by an activity just after the timeline entry.
            and any(t == "escalation" for t, _ in outbox(redress.sessions, complaint_id))
        ),
        "the resolution deadline recorded as breached and escalated",
    )
    assert view.sla_breached and view.resolution and view.resolution.breached
    assert view.status is ComplaintStatus.RESOLVING
    escalations = [r for t, r in outbox(redress.sessions, complaint_id) if t == "escalation"]
    assert escalations, "the next level up was told"

    await child.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    final = await complaint.result()
    assert final.close_reason is CloseReason.RESOLVED


# --- A failed undo leaves the case for a person ---


async def test_an_undo_the_provider_refuses_leaves_the_complaint_for_a_person(
    time_skipping_env: WorkflowEnvironment, sessions: SessionFactory
) -> None:
    faults = FaultPlan(
        decline_kinds={CompensationKind.STORE_CREDIT},
        irreversible_kinds={CompensationKind.REFUND},
    )
    async with open_redress(time_skipping_env, sessions, faults) as redress:
        handle = await redress.start(intake(KETTLE, paid="120.00"))
        await redress.until_status(handle, ComplaintStatus.OPEN)
        await handle.execute_update(
            ComplaintWorkflow.act,
            propose(
                AGENT,
                (CompensationKind.REFUND, "50.00"),
                (CompensationKind.COUPON, "10.00"),
                (CompensationKind.STORE_CREDIT, "20.00"),
            ),
        )
        view = await redress.until(handle, lambda v: v.needs_person, "a person asked")
        assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
        assert view.status is ComplaintStatus.OPEN
        # The coupon was voided; the refund could not be reversed and still counts.
        assert ledger(sessions, view.complaint_id) == [
            ("refund", Decimal("50.00")),
            ("coupon", Decimal("10.00")),
            ("coupon_void", Decimal("10.00")),
        ]
        assert view.refunded_total == Decimal("50.00")
        assert [c.undone for c in view.compensations] == [False, True]
        needs = [e for e in view.timeline if e.kind == "needs_person"]
        assert needs and "refund" in needs[-1].detail
        supervisor = view.routing.supervisor_id if view.routing else None
        assert supervisor is not None
        await redress.until(
            handle,
            lambda v: ("needs_person", supervisor) in outbox(sessions, v.complaint_id),
            "the supervisor told",
        )

        # The case goes on: the agent can still answer and close it.
        await handle.execute_update(
            ComplaintWorkflow.act,
            AgentAction(actor=AGENT, action=ReplyAction(message="We kept the refund of 50.")),
        )
        await handle.execute_update(
            ComplaintWorkflow.act, propose(AGENT, (CompensationKind.COUPON, "5.00"))
        )
        final = await handle.result()
        assert final.close_reason is CloseReason.RESOLVED
        assert not final.needs_person
