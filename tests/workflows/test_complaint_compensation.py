"""Approval of compensation, the compensation saga, and auto-resolution."""

from datetime import timedelta
from decimal import Decimal

from temporalio.testing import WorkflowEnvironment

from activities.faults import FaultPlan
from domain.compensation import CompensationKind
from domain.complaints import ApprovalDecision, CloseReason, ComplaintStatus
from domain.taxonomy import EscalationLevel, RootCause
from store.db import SessionFactory
from store.tables.ledger import record_charge
from tests.workflows.conftest import Redress, open_redress
from tests.workflows.helpers import intake, ledger, outbox, propose
from workflows.complaints import ComplaintWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
AGENT = "agent-quality-1"


async def test_supervisor_approves_compensation_above_threshold(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE, paid="500.00"))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    result = await handle.execute_update(
        ComplaintWorkflow.act, propose(AGENT, (CompensationKind.REFUND, "300.00"))
    )
    assert result.status is ComplaintStatus.AWAITING_APPROVAL
    view = await handle.query(ComplaintWorkflow.view)
    assert view.approval and view.approval.level is EscalationLevel.SUPERVISOR
    assert ledger(redress.sessions, view.complaint_id) == [], "nothing is paid before approval"

    await handle.execute_update(
        ComplaintWorkflow.decide_approval,
        ApprovalDecision(approver="sup-quality", approved=True, reason="Defect confirmed"),
    )
    final = await handle.result()
    assert final.close_reason is CloseReason.RESOLVED
    assert ledger(redress.sessions, final.complaint_id) == [("refund", Decimal("300.00"))]
    approved = [e for e in final.timeline if e.kind == "approved"]
    assert approved and approved[0].actor == "sup-quality"


async def test_rejected_proposal_goes_back_to_the_agent(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE, paid="500.00"))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    await handle.execute_update(
        ComplaintWorkflow.act, propose(AGENT, (CompensationKind.REFUND, "450.00"))
    )
    result = await handle.execute_update(
        ComplaintWorkflow.decide_approval,
        ApprovalDecision(approver="sup-quality", approved=False, reason="Offer a repair first"),
    )
    assert result.status is ComplaintStatus.OPEN
    await redress.until(
        handle,
        lambda v: ("approval_rejected", AGENT) in outbox(redress.sessions, v.complaint_id),
        "the agent told",
    )
    await handle.execute_update(
        ComplaintWorkflow.act, propose(AGENT, (CompensationKind.COUPON, "30.00"))
    )
    final = await handle.result()
    assert ledger(redress.sessions, final.complaint_id) == [("coupon", Decimal("30.00"))]


async def test_undecided_approval_escalates_then_expires(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE, paid="500.00"))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.routing and view.routing.manager_id
    await handle.execute_update(
        ComplaintWorkflow.act, propose(AGENT, (CompensationKind.REFUND, "300.00"))
    )
    await redress.env.sleep(timedelta(hours=4, minutes=5))
    view = await redress.until(
        handle,
        lambda v: v.approval is not None and v.approval.level is EscalationLevel.MANAGER,
        "manager approval",
    )
    await redress.env.sleep(timedelta(hours=8, minutes=5))
    view = await redress.until(
        handle,
        lambda v: ("approval_expired", AGENT) in outbox(redress.sessions, v.complaint_id),
        "the agent told of the expiry",
    )
    assert view.approval is None
    assert view.status is ComplaintStatus.OPEN
    kinds = [e.kind for e in view.timeline]
    assert "approval_escalated" in kinds and "approval_expired" in kinds
    sent = outbox(redress.sessions, view.complaint_id)
    assert ("approval_requested", view.routing.manager_id) in sent
    assert ("approval_expired", AGENT) in sent
    assert ledger(redress.sessions, view.complaint_id) == []


async def test_critical_complaint_needs_approval_for_any_amount(redress: Redress) -> None:
    handle = await redress.start(
        intake("The charger exploded and burned my hand, this is a safety hazard.")
    )
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.classification and view.classification.tier == "critical"
    result = await handle.execute_update(
        ComplaintWorkflow.act, propose(AGENT, (CompensationKind.COUPON, "10.00"))
    )
    assert result.status is ComplaintStatus.AWAITING_APPROVAL


async def test_failed_last_step_undoes_the_earlier_ones(
    time_skipping_env: WorkflowEnvironment, sessions: SessionFactory
) -> None:
    declines_credit = FaultPlan(decline_kinds={CompensationKind.STORE_CREDIT})
    async with open_redress(time_skipping_env, sessions, declines_credit) as redress:
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
        view = await redress.until(
            handle,
            lambda v: ("resolution_failed", "cust-1001") in outbox(sessions, v.complaint_id),
            "the customer told of the undo",
        )
        assert any(e.kind == "compensation_undone" for e in view.timeline)
        assert view.status is ComplaintStatus.OPEN
        assert view.refunded_total == Decimal("0")
        assert all(record.undone for record in view.compensations)
        assert ledger(sessions, view.complaint_id) == [
            ("refund", Decimal("50.00")),
            ("coupon", Decimal("10.00")),
            ("coupon_void", Decimal("10.00")),
            ("refund_reversal", Decimal("50.00")),
        ]
        assert ("resolution_failed", "cust-1001") in outbox(sessions, view.complaint_id)


async def test_late_parcel_on_small_order_is_auto_resolved(redress: Redress) -> None:
    handle = await redress.start(
        intake("My parcel is late, it still has not arrived after a week.", paid="89.00")
    )
    final = await handle.result()
    assert final.auto_resolved
    assert final.close_reason is CloseReason.RESOLVED
    assert final.root_cause is RootCause.CARRIER
    assert ledger(redress.sessions, final.complaint_id) == [("coupon", Decimal("10.00"))]
    templates = [t for t, _ in outbox(redress.sessions, final.complaint_id)]
    assert templates == ["acknowledgement", "resolution_outcome"]


async def test_confirmed_double_charge_is_refunded_automatically(redress: Redress) -> None:
    with redress.sessions() as session:
        record_charge(
            session,
            payment_id="PAY-DUP-9",
            order_id="ORD-77",
            amount=Decimal("120.00"),
            currency="CNY",
            captures=2,
        )
        session.commit()
    handle = await redress.start(
        intake("I was charged twice for the same order!", paid="120.00", payment_id="PAY-DUP-9")
    )
    final = await handle.result()
    assert final.auto_resolved and final.root_cause is RootCause.PAYMENT_PROVIDER
    assert ledger(redress.sessions, final.complaint_id) == [("refund", Decimal("120.00"))]


async def test_double_charge_claim_without_duplicate_is_left_to_an_agent(
    redress: Redress,
) -> None:
    handle = await redress.start(
        intake("I was charged twice for the same order!", paid="120.00", payment_id="PAY-ONE")
    )
    view = await redress.until(
        handle, lambda v: any(e.kind == "auto_resolution" for e in v.timeline), "the check"
    )
    assert view.status is ComplaintStatus.OPEN and not view.auto_resolved
    assert ledger(redress.sessions, view.complaint_id) == []
