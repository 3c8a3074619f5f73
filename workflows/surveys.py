"""The follow-up survey: a child workflow started when a complaint or a return closes.

`run` reads top-down: wait the policy's delay, send the survey with its signed link,
remind once, then close answered or with no answer. A low score starts service recovery
instead of reopening the case (a closed workflow cannot take work again): a supervisor
task the console lists, a win-back coupon within policy, and a message to the customer.
The `answer` and `complete_recovery` updates only check and change state; `run` does the
I/O.
"""

from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.compensation import CompensationKind, CompensationRequest
    from domain.complaints import Customer
    from domain.notifications import MessageValue, Moment, Money, NotificationTemplate
    from domain.returns import return_workflow_id
    from domain.surveys import (
        CaseKind,
        RecoveryReport,
        RecoveryStatus,
        RecoveryTask,
        SurveyAnswer,
        SurveyEvent,
        SurveyEventKind,
        SurveyInput,
        SurveyLink,
        SurveyLinkRequest,
        SurveyOutcome,
        SurveyProjection,
        SurveyResult,
        SurveyStatus,
        SurveyView,
        check_answer,
        check_recovery_report,
        coupon_for,
        is_low_score,
        recovery_deadline,
        survey_workflow_id,
    )
    from domain.wording import format_deadline
    from workflows import activity_calls as calls
    from workflows.case_journal import (
        SYSTEM_ACTOR,
        CaseJournal,
        JournalKinds,
        answers_once_projected,
    )
    from workflows.provider_calls import call_provider
    from workflows.refusals import refuse_unless
    from workflows.waiting import sleep_until, wait_until


SURVEY_JOURNAL = JournalKinds(
    event_model=SurveyEvent, notification_failed=SurveyEventKind.NOTIFICATION_FAILED
)


@workflow.defn
class SurveyWorkflow:
    @workflow.init
    def __init__(self, input: SurveyInput) -> None:
        case = input.case
        self._input = input
        # The policy travels in the input, so a policy changed later never changes the
        # branches a running survey replays.
        self._policy = input.policy or policy.SURVEY
        now = workflow.now()
        send_at = max(case.closed_at + self._policy.send_after, now)
        self._view = SurveyView(
            survey_id=survey_workflow_id(case.kind, case.case_id),
            case_kind=case.kind,
            case_id=case.case_id,
            customer_id=case.customer.id,
            customer_tier=case.customer.tier,
            locale=case.customer.locale,
            team=case.team,
            agent_id=case.agent_id,
            category=case.category,
            status=SurveyStatus.SCHEDULED,
            created_at=now,
            updated_at=now,
            send_at=send_at,
            expires_at=send_at + self._policy.close_after,
        )
        # The survey is its own `CaseFile`: it files its messages under the case it follows.
        self._journal = CaseJournal(
            self, self._view, SURVEY_JOURNAL, fresh=True, outbox=[], unprojected=[]
        )
        # Kept out of the view: the link is a bearer credential, and the view is queried
        # and stored in the read model.
        self._survey_url = ""

    @workflow.run
    async def run(self, input: SurveyInput) -> SurveyView:
        # Asked before any local activity runs, for the reason given in ComplaintWorkflow.run.
        self._journal.ask_patches()
        view = self._view
        self._journal.record(
            SurveyEventKind.SCHEDULED, SYSTEM_ACTOR, f"to be sent at {view.send_at}"
        )
        await self._journal.flush()
        self._describe("the moment to send the survey", view.send_at)
        await sleep_until(view.send_at)
        await self._send_survey()
        await self._journal.flush()
        reminder_at = self._reminder_at()
        if reminder_at is not None and not await self._answer_by(reminder_at):
            self._remind()
            await self._journal.flush()
        if not await self._answer_by(view.expires_at):
            self._journal.record(SurveyEventKind.NO_ANSWER, SYSTEM_ACTOR)
            self._close(SurveyOutcome.NO_ANSWER)
        elif view.low_score:
            await self._start_recovery()
            await self._journal.flush()
            await self._follow_recovery()
            self._close(SurveyOutcome.ANSWERED)
        else:
            self._close(SurveyOutcome.ANSWERED)
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._journal.flush()
        return self._view

    # --- Queries and updates -----------------------------------------------------------

    @workflow.query
    def view(self) -> SurveyView:
        """Returns the survey's live state."""
        return self._view

    @workflow.update
    @answers_once_projected
    def answer(self, answer: SurveyAnswer) -> SurveyResult:
        """Records the customer's answer; a low score starts service recovery."""
        refuse_unless(check_answer, self._view, workflow.now())
        view = self._view
        view.answer = answer
        view.answered_at = workflow.now()
        view.low_score = is_low_score(answer, self._policy)
        self._journal.record(
            SurveyEventKind.ANSWERED,
            f"customer:{view.customer_id}",
            f"csat {answer.csat}, resolved {'yes' if answer.resolved else 'no'}, "
            f"nps {answer.nps if answer.nps is not None else '-'}",
        )
        return SurveyResult(status=view.status, detail="thank you: your answer is recorded")

    @answer.validator
    def _validate_answer(self, answer: SurveyAnswer) -> None:
        refuse_unless(check_answer, self._view, workflow.now())

    @workflow.update
    @answers_once_projected
    def complete_recovery(self, report: RecoveryReport) -> SurveyResult:
        """Closes the recovery task once a supervisor has contacted the customer."""
        refuse_unless(check_recovery_report, self._view)
        task = self._view.recovery
        assert task is not None
        task.status = RecoveryStatus.DONE
        task.completed_by = report.supervisor
        task.note = report.note
        task.customer_response = report.customer_response or None
        task.completed_at = workflow.now()
        self._journal.record(SurveyEventKind.RECOVERY_DONE, report.supervisor, report.note)
        return SurveyResult(status=self._view.status, detail="recovery task closed")

    @complete_recovery.validator
    def _validate_complete_recovery(self, report: RecoveryReport) -> None:
        refuse_unless(check_recovery_report, self._view)

    # --- Sending ---------------------------------------------------------------------------

    async def _send_survey(self) -> None:
        view = self._view
        now = workflow.now()
        # The survey is open for the policy's whole window from when it actually goes out.
        view.expires_at = now + self._policy.close_after
        link: SurveyLink = await workflow.execute_activity(
            calls.MAKE_SURVEY_LINK,
            SurveyLinkRequest(
                survey_id=view.survey_id,
                case_kind=view.case_kind,
                case_id=view.case_id,
                expires_at=view.expires_at,
            ),
            result_type=SurveyLink,
            start_to_close_timeout=calls.SURVEY_LINK_TIMEOUT,
            retry_policy=calls.SURVEY_LINK_RETRY,
        )
        self._survey_url = link.url
        view.sent_at = workflow.now()
        view.status = SurveyStatus.SENT
        event = self._journal.record(SurveyEventKind.SENT, SYSTEM_ACTOR)
        self._journal.notify_customer(
            NotificationTemplate.SURVEY_INVITATION,
            event,
            survey_url=self._survey_url,
            deadline=self._customer_time(view.expires_at),
        )

    def _reminder_at(self) -> datetime | None:
        """Returns when to remind, or None when the survey closes first."""
        sent_at = self._view.sent_at
        assert sent_at is not None
        reminder_at = sent_at + self._policy.remind_after
        return reminder_at if reminder_at < self._view.expires_at else None

    def _remind(self) -> None:
        view = self._view
        view.reminded_at = workflow.now()
        view.status = SurveyStatus.REMINDED
        event = self._journal.record(SurveyEventKind.REMINDED, SYSTEM_ACTOR)
        self._journal.notify_customer(
            NotificationTemplate.SURVEY_REMINDER,
            event,
            survey_url=self._survey_url,
            deadline=self._customer_time(view.expires_at),
        )

    # --- Service recovery -------------------------------------------------------------------

    async def _start_recovery(self) -> None:
        view, case = self._view, self._input.case
        answer = view.answer
        assert answer is not None
        now = workflow.now()
        assignee = case.supervisor_id or f"team:{case.team or 'customer-care'}:supervisor"
        task = RecoveryTask(
            assignee=assignee,
            team=case.team,
            reason=_low_score_reason(answer),
            opened_at=now,
            due_at=recovery_deadline(now, self._policy),
        )
        view.recovery = task
        view.status = SurveyStatus.RECOVERING
        opened = self._journal.record(SurveyEventKind.RECOVERY_OPENED, SYSTEM_ACTOR, task.reason)
        # The customer's answer page shows the recovery as soon as the answer is in.
        await self._journal.project_for_readers()
        coupon_event = await self._issue_win_back_coupon(task)
        self._journal.notify_staff(
            NotificationTemplate.RECOVERY_TASK,
            opened,
            assignee,
            csat=str(answer.csat),
            resolved="yes" if answer.resolved else "no",
            comment=answer.comment or "-",
            **self._offer_values(task),
            deadline=Moment(at=task.due_at, timezone=policy.STAFF_TIMEZONE),
        )
        deadline = self._customer_time(task.due_at)
        if coupon_event is not None:
            self._journal.notify_customer(
                NotificationTemplate.SERVICE_RECOVERY_COUPON,
                coupon_event,
                deadline=deadline,
                amount=_coupon(task),
            )
        else:
            self._journal.notify_customer(
                NotificationTemplate.SERVICE_RECOVERY, opened, deadline=deadline
            )

    async def _issue_win_back_coupon(self, task: RecoveryTask) -> SurveyEvent | None:
        """Issues the coupon policy allows for the customer's tier; returns its event, or
        None when policy offers none or the provider refused (the supervisor still calls)."""
        case = self._input.case
        amount = coupon_for(self._policy, case.customer.tier)
        if amount <= 0:
            return None
        request = CompensationRequest(
            # From the survey id alone: a retry, a replay or a second low answer can never
            # issue a second coupon.
            idempotency_key=f"{self._view.survey_id}/win-back-coupon",
            complaint_id=case.case_id,
            customer_id=case.customer.id,
            kind=CompensationKind.COUPON,
            amount=amount,
            currency=case.currency,
        )
        try:
            receipt = await call_provider(calls.DO_COMPENSATION[CompensationKind.COUPON], request)
        except ActivityError as err:
            self._journal.record(SurveyEventKind.COUPON_FAILED, SYSTEM_ACTOR, str(err.cause or err))
            return None
        task.coupon_amount = receipt.amount
        task.currency = case.currency
        task.coupon_reference = receipt.reference
        event: SurveyEvent = self._journal.record(
            SurveyEventKind.COUPON_ISSUED,
            SYSTEM_ACTOR,
            f"{receipt.amount} {case.currency} ({receipt.reference})",
        )
        return event

    async def _follow_recovery(self) -> None:
        """Waits for the supervisor's report; past the deadline the manager is told."""
        task = self._view.recovery
        assert task is not None
        self._describe(f"{task.assignee} to report the service recovery", task.due_at)
        if await wait_until(lambda: task.status is not RecoveryStatus.OPEN, task.due_at):
            return
        task.status = RecoveryStatus.LAPSED
        case = self._input.case
        event = self._journal.record(SurveyEventKind.RECOVERY_LAPSED, SYSTEM_ACTOR, task.assignee)
        answer = self._view.answer
        self._journal.notify_staff(
            NotificationTemplate.RECOVERY_LAPSED,
            event,
            case.manager_id or f"team:{case.team or 'customer-care'}:manager",
            assignee=task.assignee,
            csat=str(answer.csat if answer else "-"),
        )

    # --- Helpers ---------------------------------------------------------------------------

    def _close(self, outcome: SurveyOutcome) -> None:
        self._view.outcome = outcome
        self._view.status = SurveyStatus.CLOSED
        self._view.closed_at = workflow.now()
        self._journal.changed = True

    async def _answer_by(self, deadline: datetime) -> bool:
        """Waits for the customer's answer until `deadline`; returns whether it came."""
        self._describe("the customer's answer", deadline)
        return await wait_until(lambda: self._view.answer is not None, deadline)

    def _describe(self, waiting_for: str, until: datetime) -> None:
        """Sets what the survey waits for and until when: its current details in the
        Temporal UI."""
        workflow.set_current_details(
            f"{self._view.status}: waiting for {waiting_for} until {format_deadline(until, 'UTC')}"
        )

    def _customer_time(self, moment: datetime) -> Moment:
        return Moment(at=moment, timezone=policy.CUSTOMER_TIMEZONE[self._view.locale])

    @staticmethod
    def _offer_values(task: RecoveryTask) -> dict[str, MessageValue]:
        """Returns the win-back coupon as the staff message shows it: "-" when none was
        given (policy gives none to the customer's tier, or issuing it failed)."""
        if not task.coupon_reference:
            return {"offer": "-"}
        return {"offer": _coupon(task), "offer_reference": task.coupon_reference}

    # --- CaseFile ------------------------------------------------------------------------

    def case_ref(self) -> str:
        # Survey messages are filed under the case they follow, the way the case files its
        # own (a return's workflow id names it), so the case's outbox shows them too.
        case = self._input.case
        if case.kind is CaseKind.RETURN:
            return return_workflow_id(case.case_id)
        return case.case_id

    def notification_key_prefix(self) -> str:
        return self._view.survey_id

    def customer(self) -> Customer:
        return self._input.case.customer

    def common_params(self) -> dict[str, str]:
        return {"case_kind": self._view.case_kind.value, "case_ref": self._view.case_id}

    def projection(self, new_events: list[Any]) -> tuple[str, Any]:
        # The survey's few events live in its view; the read model keeps the view whole.
        return calls.PROJECT_SURVEY, SurveyProjection(view=self._view)

    def search_attribute_updates(self) -> list[SearchAttributeUpdate[Any]]:
        return []


def _low_score_reason(answer: SurveyAnswer) -> str:
    reason = f"CSAT {answer.csat}/5" + ("" if answer.resolved else ", not resolved")
    return f"{reason}: {answer.comment}" if answer.comment else reason


def _coupon(task: RecoveryTask) -> Money:
    """Returns the win-back coupon issued on `task` (only called once it is issued)."""
    assert task.coupon_amount is not None and task.currency is not None
    return Money(amount=task.coupon_amount, currency=task.currency)
