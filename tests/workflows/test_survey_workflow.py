"""The follow-up survey on the time-skipping server: answered high, answered low (service
recovery), never answered, and answers that come too late or twice."""

import asyncio
import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from core.links import CaseKind as LinkCaseKind
from core.links import InvalidLink, LinkPurpose, read_link_token
from domain import policy
from domain.complaints import Customer
from domain.surveys import (
    CaseKind,
    RecoveryReport,
    RecoveryStatus,
    SurveyAnswer,
    SurveyCase,
    SurveyExpired,
    SurveyInput,
    SurveyOutcome,
    SurveyStatus,
    SurveyView,
    check_answer,
    survey_workflow_id,
)
from domain.taxonomy import CustomerTier
from store import surveys as survey_store
from store.tables.outbox import OutboxMessage
from tests.workflows.conftest import TEST_SECRET_KEY, Redress
from tests.workflows.helpers import ledger, outbox
from workflows.surveys import SurveyWorkflow

SUPERVISOR = "sup-quality"
CUSTOMER = "cust-3003"

SurveyHandle = WorkflowHandle[Any, SurveyView]


async def start_survey(redress: Redress, *, tier: str = "regular") -> SurveyHandle:
    """Starts the survey of a complaint that closed just now, as the complaint would."""
    case_id = "C" + uuid.uuid4().hex[:12].upper()
    workflow_id = survey_workflow_id(CaseKind.COMPLAINT, case_id)
    redress.started.append(workflow_id)
    case = SurveyCase(
        kind=CaseKind.COMPLAINT,
        case_id=case_id,
        closed_at=await redress.now(),
        customer=Customer.model_validate(
            {"id": CUSTOMER, "tier": tier, "locale": "en", "email": "mei@example.com"}
        ),
        team="quality",
        agent_id="agent-quality-1",
        supervisor_id=SUPERVISOR,
        manager_id="mgr-quality",
    )
    return await redress.client.start_workflow(
        SurveyWorkflow.run,
        SurveyInput(case=case, policy=policy.SURVEY),
        id=workflow_id,
        task_queue=redress.queue,
    )


async def until(
    handle: SurveyHandle, accept: Callable[[SurveyView], bool], what: str
) -> SurveyView:
    """Polls the live view (in real time) until `accept` holds."""
    for _ in range(300):
        view = await handle.query(SurveyWorkflow.view)
        if accept(view):
            return view
        await asyncio.sleep(0.05)
    raise AssertionError(f"survey never reached {what}: {view.status} {view.timeline}")


async def sent(redress: Redress, handle: SurveyHandle) -> SurveyView:
    """Moves time past the policy's delay and returns the view once the survey is out:
    marked sent, and its invitation in the outbox (the view says "sent" as the workflow
    queues the invitation, a moment before the notification activity writes it)."""
    await redress.env.sleep(policy.SURVEY.send_after)
    view = await until(handle, lambda v: v.sent_at is not None, "sent")
    for _ in range(300):
        if "survey_invitation" in [
            template for template, _ in outbox(redress.sessions, view.case_id)
        ]:
            return view
        await asyncio.sleep(0.05)
    raise AssertionError(f"the invitation of {view.survey_id} never reached the outbox")


def survey_link(redress: Redress, case_id: str) -> str:
    """Returns the token of the link in the survey invitation the customer got."""
    with redress.sessions() as session:
        body = session.exec(
            select(OutboxMessage.body).where(
                OutboxMessage.complaint_id == case_id,
                OutboxMessage.template == "survey_invitation",
            )
        ).one()
    url = next(word for word in body.split() if "/surveys/" in word)
    return url.rsplit("/surveys/", 1)[1]


def refusal(error: pytest.ExceptionInfo[WorkflowUpdateFailedError]) -> str:
    cause = error.value.cause
    assert isinstance(cause, ApplicationError)
    return str(cause.type)


async def test_a_high_answer_is_recorded_and_starts_no_recovery(redress: Redress) -> None:
    handle = await start_survey(redress)
    view = await sent(redress, handle)
    assert outbox(redress.sessions, view.case_id) == [("survey_invitation", CUSTOMER)]

    # The link names this survey's case, is for the survey only, and dies with the survey.
    link = read_link_token(TEST_SECRET_KEY, survey_link(redress, view.case_id), now=view.sent_at)
    assert (link.kind, link.case_id) == (LinkCaseKind.COMPLAINT, view.case_id)
    assert link.purpose is LinkPurpose.SURVEY
    assert link.expires_at == view.expires_at.replace(microsecond=0)

    answer = SurveyAnswer(csat=5, resolved=True, nps=9, comment="Quick and kind.")
    await handle.execute_update(SurveyWorkflow.answer, answer)
    final = await handle.result()

    assert (final.status, final.outcome) == (SurveyStatus.CLOSED, SurveyOutcome.ANSWERED)
    assert final.answer == answer and not final.low_score and final.recovery is None
    assert ledger(redress.sessions, view.case_id) == []
    with redress.sessions() as session:
        stored = survey_store.get_survey(session, survey_id=view.survey_id)
        assert stored is not None
        assert (stored.csat, stored.resolved, stored.nps) == (5, True, 9)
        assert (stored.outcome, stored.low_score) == ("answered", False)
        assert (stored.team, stored.agent_id) == ("quality", "agent-quality-1")


async def test_a_low_answer_opens_a_recovery_task_issues_one_coupon_and_tells_the_customer(
    redress: Redress,
) -> None:
    handle = await start_survey(redress, tier="vip")
    view = await sent(redress, handle)

    await handle.execute_update(
        SurveyWorkflow.answer, SurveyAnswer(csat=4, resolved=False, comment="Still broken.")
    )
    view = await until(handle, lambda v: v.status is SurveyStatus.RECOVERING, "recovery")
    await until(
        handle,
        lambda v: ("service_recovery_coupon", CUSTOMER) in outbox(redress.sessions, v.case_id),
        "the customer told",
    )

    # A second answer is refused, and changes nothing.
    with pytest.raises(WorkflowUpdateFailedError) as second:
        await handle.execute_update(SurveyWorkflow.answer, SurveyAnswer(csat=5, resolved=True))
    assert refusal(second) == "SurveyAlreadyAnswered"

    vip_coupon = policy.SURVEY.win_back_coupon[CustomerTier.VIP]
    assert ledger(redress.sessions, view.case_id) == [("coupon", vip_coupon)]
    assert outbox(redress.sessions, view.case_id) == [
        ("survey_invitation", CUSTOMER),
        ("recovery_task", SUPERVISOR),
        ("service_recovery_coupon", CUSTOMER),
    ]
    with redress.sessions() as session:
        tasks, total = survey_store.list_recovery_tasks(session, status="open")
        assert total == 1
        assert (tasks[0].case_id, tasks[0].assignee) == (view.case_id, SUPERVISOR)
        assert tasks[0].coupon_amount == vip_coupon and tasks[0].coupon_reference
        assert "not resolved" in tasks[0].reason
        # Money and deadlines go as typed values, worded in each reader's language.
        bodies = {
            row.template: row.body
            for row in session.exec(
                select(OutboxMessage).where(OutboxMessage.complaint_id == view.case_id)
            )
        }
    assert f"CN¥{vip_coupon:,.2f}" in bodies["service_recovery_coupon"]
    # Staff read Chinese: "¥", where English readers see "CN¥".
    assert f"：¥{vip_coupon:,.2f} ({tasks[0].coupon_reference})" in bodies["recovery_task"]

    report = RecoveryReport(supervisor=SUPERVISOR, note="Called; replacement on its way.")
    await handle.execute_update(SurveyWorkflow.complete_recovery, report)
    final = await handle.result()

    assert final.recovery is not None and final.recovery.status is RecoveryStatus.DONE
    assert final.outcome is SurveyOutcome.ANSWERED and final.low_score
    assert ledger(redress.sessions, view.case_id) == [("coupon", vip_coupon)]
    with redress.sessions() as session:
        tasks, _ = survey_store.list_recovery_tasks(session, assignee=SUPERVISOR)
        assert [(task.status, task.completed_by) for task in tasks] == [("done", SUPERVISOR)]


async def test_a_recovery_nobody_reports_on_is_put_to_the_manager(redress: Redress) -> None:
    handle = await start_survey(redress, tier="new")
    view = await sent(redress, handle)
    await handle.execute_update(SurveyWorkflow.answer, SurveyAnswer(csat=1, resolved=True))

    final = await handle.result()  # the time-skipping server runs out the supervisor's window

    assert final.recovery is not None and final.recovery.status is RecoveryStatus.LAPSED
    assert ("recovery_lapsed", "mgr-quality") in outbox(redress.sessions, view.case_id)
    assert ledger(redress.sessions, view.case_id) == [("coupon", Decimal("10.00"))]


async def test_an_unanswered_survey_is_reminded_once_then_closes_with_no_answer(
    redress: Redress,
) -> None:
    handle = await start_survey(redress)

    final = await handle.result()  # the time-skipping server runs every timer

    assert (final.status, final.outcome) == (SurveyStatus.CLOSED, SurveyOutcome.NO_ANSWER)
    assert final.sent_at is not None and final.reminded_at is not None
    # Timers fire on time; the workflow task that handles one runs moments later.
    reminded_after = final.reminded_at - final.sent_at
    assert timedelta(0) <= reminded_after - policy.SURVEY.remind_after < timedelta(minutes=1)
    assert final.closed_at is not None
    assert timedelta(0) <= final.closed_at - final.expires_at < timedelta(minutes=1)
    assert outbox(redress.sessions, final.case_id) == [
        ("survey_invitation", CUSTOMER),
        ("survey_reminder", CUSTOMER),
    ]
    with redress.sessions() as session:
        stored = survey_store.get_survey(session, survey_id=final.survey_id)
        assert stored is not None
        assert (stored.outcome, stored.csat, stored.answered_at) == ("no_answer", None, None)


async def test_an_answer_after_expiry_is_refused_and_records_nothing(redress: Redress) -> None:
    handle = await start_survey(redress)
    final = await handle.result()
    token = survey_link(redress, final.case_id)

    # The API refuses the expired link before it reaches the workflow...
    late = final.expires_at + timedelta(seconds=1)
    with pytest.raises(InvalidLink) as refused:
        read_link_token(TEST_SECRET_KEY, token, now=late)
    assert refused.value.expired
    # ...the workflow's validator refuses an answer past expiry with a typed error...
    with pytest.raises(SurveyExpired):
        check_answer(final.model_copy(update={"outcome": None}), late)
    # ...and a closed survey takes no update at all.
    with pytest.raises((WorkflowUpdateFailedError, RPCError)):
        await handle.execute_update(SurveyWorkflow.answer, SurveyAnswer(csat=1, resolved=False))

    with redress.sessions() as session:
        stored = survey_store.get_survey(session, survey_id=final.survey_id)
        assert stored is not None and stored.answered_at is None and stored.csat is None
        assert survey_store.list_recovery_tasks(session)[1] == 0
    assert ledger(redress.sessions, final.case_id) == []


async def test_an_answer_before_the_survey_is_sent_is_refused(redress: Redress) -> None:
    handle = await start_survey(redress)
    await until(handle, lambda v: v.status is SurveyStatus.SCHEDULED, "scheduled")

    with pytest.raises(WorkflowUpdateFailedError) as early:
        await handle.execute_update(SurveyWorkflow.answer, SurveyAnswer(csat=5, resolved=True))

    assert refusal(early) == "SurveyNotOpen"
    view = await handle.query(SurveyWorkflow.view)
    assert view.answer is None and [e.kind for e in view.timeline] == ["scheduled"]


def test_the_survey_starts_after_the_policy_delay_and_closes_after_its_window() -> None:
    survey = policy.SURVEY
    assert survey.send_after == timedelta(days=3)
    assert survey.remind_after < survey.close_after
    # A coupon is a gesture, never more than a supervisor could approve alone.
    assert all(
        amount <= policy.APPROVAL_THRESHOLD[tier] for tier, amount in survey.win_back_coupon.items()
    )
