"""A complaint from intake to close: agent replies, information requests, reclassification,
partial refunds, refused actions, and a history that continues as new."""

import asyncio
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from domain import policy
from domain.compensation import CompensationKind
from domain.complaints import (
    MAX_DESCRIPTION_CHARS,
    AgentAction,
    CloseReason,
    ComplaintStatus,
    CustomerMessage,
    ReclassifyAction,
    ReplyAction,
    RequestInfoAction,
)
from domain.taxonomy import Category, RootCause, SubCategory, Tier
from store.complaints import get_complaint
from store.db import SessionFactory
from store.tables.complaints import TimelineEventRecord
from store.tables.outbox import OutboxMessage
from tests.workflows.conftest import Redress, open_redress
from tests.workflows.helpers import intake, ledger, outbox, propose
from workflows.complaints import ComplaintWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."


async def test_general_complaint_is_resolved_within_sla(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.classification is not None
    assert view.classification.category is Category.PRODUCT_QUALITY
    assert view.classification.tier is Tier.GENERAL
    assert view.routing is not None and view.routing.team == "quality"
    agent = view.assignee
    assert agent

    await handle.execute_update(
        ComplaintWorkflow.act, AgentAction(actor=agent, action=ReplyAction(message="Sorry!"))
    )
    result = await handle.execute_update(
        ComplaintWorkflow.act, propose(agent, (CompensationKind.REFUND, "60.00"))
    )
    assert result.status is ComplaintStatus.RESOLVING

    final = await handle.result()
    assert final.status is ComplaintStatus.CLOSED
    assert final.close_reason is CloseReason.RESOLVED
    assert final.refunded_total == Decimal("60.00")
    assert final.root_cause is RootCause.SUPPLIER_DEFECT
    assert not final.sla_breached
    assert final.first_response and final.first_response.met_at
    assert final.resolution and final.resolution.met_at
    assert ledger(redress.sessions, final.complaint_id) == [("refund", Decimal("60.00"))]
    customer_messages = [t for t, who in outbox(redress.sessions, final.complaint_id)]
    assert customer_messages == ["acknowledgement", "agent_reply", "resolution_outcome"]
    with redress.sessions() as session:
        record = get_complaint(session, complaint_id=final.complaint_id)
        assert record is not None and record.status == "closed"
        assert record.refunded_total == Decimal("60.00")


async def test_information_request_answered_resumes_the_complaint(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    question = "Could you send a photo of the kettle's base plate?"
    await handle.execute_update(
        ComplaintWorkflow.act,
        AgentAction(actor="agent-quality-1", action=RequestInfoAction(question=question)),
    )
    view = await handle.query(ComplaintWorkflow.view)
    assert view.status is ComplaintStatus.WAITING_ON_CUSTOMER

    await redress.env.sleep(timedelta(hours=50))  # past the 48 h reminder, short of closing
    view = await redress.until(
        handle,
        lambda v: ("info_reminder", "cust-1001") in outbox(redress.sessions, v.complaint_id),
        "a reminder sent",
    )
    assert view.status is ComplaintStatus.WAITING_ON_CUSTOMER

    reply = CustomerMessage(message="Here it is", evidence_urls=["https://img.example/base.jpg"])
    result = await handle.execute_update(ComplaintWorkflow.customer_reply, reply)
    assert result.status is ComplaintStatus.OPEN
    kinds = [event.kind for event in (await handle.query(ComplaintWorkflow.view)).timeline]
    assert kinds[-3:] == ["info_requested", "customer_reminded", "customer_replied"]
    templates = [t for t, _ in outbox(redress.sessions, view.complaint_id)]
    assert templates == ["acknowledgement", "info_request", "info_reminder"]


async def test_information_request_unanswered_closes_the_complaint(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    await handle.execute_update(
        ComplaintWorkflow.act,
        AgentAction(actor="agent-quality-1", action=RequestInfoAction(question="Photo?")),
    )
    final = await handle.result()  # the time-skipping server runs the 7 days of waiting
    assert final.status is ComplaintStatus.CLOSED
    assert final.close_reason is CloseReason.NO_CUSTOMER_REPLY
    assert not final.sla_breached, "time spent waiting on the customer is not the team's"
    # The customer's messages; the recovery task it opens is its supervisor's.
    templates = [t for t, who in outbox(redress.sessions, final.complaint_id) if who == "cust-1001"]
    assert templates == ["acknowledgement", "info_request", "info_reminder", "auto_closed"]


async def test_reclassification_changes_tier_deadlines_and_team(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.first_response and view.first_response.due_at
    general_due = view.first_response.due_at

    await handle.execute_update(
        ComplaintWorkflow.act,
        AgentAction(
            actor="agent-quality-1",
            action=ReclassifyAction(
                sub_category=SubCategory.ACCOUNT_TAKEOVER,
                tier=Tier.CRITICAL,
                reason="The order was placed from a hijacked account",
            ),
        ),
    )
    view = await redress.until(
        handle, lambda v: v.routing is not None and v.routing.team == "trust-safety", "reroute"
    )
    assert view.classification is not None
    assert view.classification.category is Category.SECURITY
    assert view.classification.tier is Tier.CRITICAL
    assert view.classification.classifier == "agent:agent-quality-1"
    assert view.first_response and view.first_response.due_at
    assert view.first_response.due_at - view.created_at <= timedelta(hours=1, seconds=30)
    assert view.first_response.due_at < general_due
    assert view.assignee and view.assignee.startswith("agent-trust-safety")


async def test_partial_refunds_never_exceed_what_was_paid(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE, paid="120.00"))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    agent = "agent-quality-1"
    for amount in ("60.00", "50.00"):
        await handle.execute_update(
            ComplaintWorkflow.act, propose(agent, (CompensationKind.REFUND, amount), final=False)
        )
        await redress.until(
            handle, lambda v: v.status is ComplaintStatus.OPEN and not v.approval, "open again"
        )
    view = await handle.query(ComplaintWorkflow.view)
    assert view.refunded_total == Decimal("110.00")

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            ComplaintWorkflow.act, propose(agent, (CompensationKind.REFUND, "20.00"))
        )
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "InvalidAction"
    assert "10.00 can still be refunded" in cause.message

    await handle.execute_update(
        ComplaintWorkflow.act, propose(agent, (CompensationKind.REFUND, "10.00"))
    )
    final = await handle.result()
    assert final.refunded_total == Decimal("120.00")
    assert [amount for _, amount in ledger(redress.sessions, final.complaint_id)] == [
        Decimal("60.00"),
        Decimal("50.00"),
        Decimal("10.00"),
    ]


async def test_actions_the_state_does_not_allow_are_refused(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE, paid="900.00"))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    await handle.execute_update(
        ComplaintWorkflow.act, propose("agent-quality-1", (CompensationKind.REFUND, "500.00"))
    )
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            ComplaintWorkflow.act,
            AgentAction(actor="agent-quality-1", action=RequestInfoAction(question="Photo?")),
        )
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "ActionNotAllowed"
    view = await handle.query(ComplaintWorkflow.view)
    assert view.status is ComplaintStatus.AWAITING_APPROVAL
    assert [e.kind for e in view.timeline].count("info_requested") == 0


async def test_long_histories_continue_as_new_without_losing_state(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On the real dev server: the time-skipping server does not report history lengths.
    monkeypatch.setattr(policy, "CONTINUE_AS_NEW_AFTER_EVENTS", 60)
    async with open_redress(dev_server_env, sessions) as redress:
        await _reply_twenty_times(redress)


async def _reply_twenty_times(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    first_run = (await handle.describe()).run_id
    for n in range(20):
        await handle.execute_update(
            ComplaintWorkflow.act,
            AgentAction(actor="agent-quality-1", action=ReplyAction(message=f"Update {n}")),
        )

    def all_replies_sent(_: object) -> bool:
        sent = outbox(redress.sessions, handle.id.removeprefix("complaint-"))
        return [t for t, _ in sent].count("agent_reply") == 20

    view = await redress.until(handle, all_replies_sent, "all replies sent")
    for _ in range(100):
        if (await handle.describe()).run_id != first_run:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the complaint never continued as new")
    view = await handle.query(ComplaintWorkflow.view)
    # received, classified, routed, acknowledged, then the 20 replies
    assert view.timeline_total == 24
    assert len(view.timeline) <= policy.TIMELINE_IN_STATE
    assert view.status is ComplaintStatus.OPEN
    assert view.first_response and view.first_response.met_at
    # The new run carries on: one more reply still reaches the customer.
    await handle.execute_update(
        ComplaintWorkflow.act,
        AgentAction(actor="agent-quality-1", action=ReplyAction(message="One more")),
    )
    await redress.until(handle, lambda v: v.timeline_total == 25, "the reply after")


async def test_acknowledgement_promises_the_first_response_in_the_customers_time(
    redress: Redress,
) -> None:
    handle = await redress.start(intake("收到的水壶用了两天就坏了，完全不能加热。", locale="zh-CN"))
    # The timeline can show "acknowledged" a moment before the message itself is out.
    view = await redress.until(
        handle,
        lambda v: any(t == "acknowledgement" for t, _ in outbox(redress.sessions, v.complaint_id)),
        "the acknowledgement sent",
    )
    assert view.first_response and view.first_response.due_at
    promised = view.first_response.due_at.astimezone(ZoneInfo("Asia/Shanghai"))
    with redress.sessions() as session:
        message = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.complaint_id == view.complaint_id,
                OutboxMessage.template == "acknowledgement",
            )
        ).one()
    assert message.template == "acknowledgement" and message.locale == "zh-CN"
    assert view.complaint_id in message.body
    # The promise in the customer's time zone, as Chinese dates are written.
    written = f"{promised.year}年{promised.month}月{promised.day}日 {promised:%H:%M} +0800"
    assert written in message.body


async def test_long_messages_stay_in_the_read_model_not_in_workflow_state(
    redress: Redress,
) -> None:
    handle = await redress.start(intake(KETTLE))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    longest = "长" * (MAX_DESCRIPTION_CHARS - 2)
    for n in range(12):
        await handle.execute_update(
            ComplaintWorkflow.act,
            AgentAction(actor="agent-quality-1", action=ReplyAction(message=f"{n}{longest}")),
        )
    # The read model keeps every reply in full ...
    complaint_id = handle.id.removeprefix("complaint-")

    def all_replies_stored() -> bool:
        with redress.sessions() as session:
            stored = session.exec(
                select(TimelineEventRecord).where(
                    TimelineEventRecord.complaint_id == complaint_id,
                    TimelineEventRecord.kind == "replied",
                )
            ).all()
        return len(stored) == 12 and all(len(e.detail) >= len(longest) + 1 for e in stored)

    for _ in range(200):
        if all_replies_stored():
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the read model does not hold every reply in full")
    # ... while query answers and continue-as-new inputs carry a bounded state.
    view = await redress.until(handle, lambda v: len(v.timeline) < 16, "a trimmed state")
    assert view.timeline_total == 16
    kept_chars = sum(len(event.detail) for event in view.timeline)
    assert kept_chars <= policy.TIMELINE_DETAIL_CHARS_IN_STATE + MAX_DESCRIPTION_CHARS
    assert view.timeline[-1].detail.startswith("11")
