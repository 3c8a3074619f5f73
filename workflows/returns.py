"""The return workflow: one durable workflow per return (RMA), from request to settlement.

`run` drives a small state machine on the view's status, so a run that continues as new
picks up where the last one stopped: assess eligibility, wait for a review or the
customer's consent when a playbook asks for it, send a label, follow the parcel through
courier events, wait for the warehouse's inspection, then settle (refund, store credit or
exchange) as a saga, restock and close. The parcels are followed by a component the
workflow holds (`workflows.return_parcels`), as the settlement is (`return_settlement`).
"""

from decimal import Decimal

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import return_policy as rp
    from domain.evidence import EvidenceNotice, describe_file
    from domain.notifications import MessageValue, Money, NotificationTemplate
    from domain.playbook_plans import playbook_plan
    from domain.return_pricing import inspection_problem
    from domain.return_rules import check_return_evidence_notice
    from domain.returns import (
        RETURN_STAFF,
        ConsentDecision,
        Eligibility,
        EligibilityDecision,
        EligibilityInput,
        InspectionReport,
        ReturnEventKind,
        ReturnInput,
        ReturnOutcome,
        ReturnPending,
        ReturnReason,
        ReturnStatus,
        ReturnView,
        ReviewDecision,
        TrackingEvent,
    )
    from domain.taxonomy import EscalationLevel, RootCause
    from workflows import activity_calls as calls
    from workflows.case_journal import (
        SYSTEM_ACTOR,
        CaseJournal,
        answers_once_projected,
        history_is_long,
    )
    from workflows.follow_up import SURVEY_AFTER_CLOSE, start_follow_up_survey
    from workflows.refusals import invalid, not_allowed, refuse_unless
    from workflows.return_file import RETURN_JOURNAL, ReturnFile, finish
    from workflows.return_parcels import ReturnParcels
    from workflows.return_settlement import ReturnSettler
    from workflows.waiting import wait_until

# The patch id of returns continuing as new by the rule complaints follow.
ONE_HISTORY_RULE = "one-history-rule"

# How a wrong-item or transit-damage case is put to the customer before anything ships.
PLAYBOOK_ROOT_CAUSES = {
    ReturnReason.WRONG_ITEM: RootCause.PICKING_ERROR,
    ReturnReason.DAMAGED_IN_TRANSIT: RootCause.CARRIER,
}


@workflow.defn
class ReturnWorkflow:
    @workflow.init
    def __init__(self, input: ReturnInput) -> None:
        now = input.received_at or workflow.now()
        self._view = input.carried or ReturnView(
            return_id=input.return_id,
            status=ReturnStatus.REQUESTED,
            created_at=now,
            updated_at=now,
            request=input.request,
            policy_version=input.policy_version,
        )
        # What people and the courier sent that the loop has not taken yet, and what the
        # journal has not sent or projected: carried on when the return continues as new.
        self._pending = input.pending or ReturnPending()
        self._policy = input.policy or rp.return_case_policy()
        self._file = ReturnFile(self._view, self._policy)
        self._journal = CaseJournal(
            self._file,
            self._view,
            RETURN_JOURNAL,
            fresh=input.carried is None,
            outbox=self._pending.outbox,
            unprojected=self._pending.unprojected,
            trim_more=self._file.trim_seen_events,
        )
        self._settler = ReturnSettler(self._file, self._journal)
        self._parcels = ReturnParcels(self._file, self._journal, self._pending, self._settler)

    @workflow.run
    async def run(self, input: ReturnInput) -> ReturnView:
        stages = {
            ReturnStatus.REQUESTED: self._assess,
            ReturnStatus.UNDER_REVIEW: self._await_review,
            ReturnStatus.AWAITING_CONSENT: self._await_consent,
            ReturnStatus.AWAITING_SHIPMENT: self._parcels.follow_parcel,
            ReturnStatus.IN_TRANSIT: self._parcels.follow_parcel,
            ReturnStatus.AWAITING_INSPECTION: self._await_inspection,
            ReturnStatus.SETTLING: self._settle_or_wait,
            ReturnStatus.EXCHANGE_IN_TRANSIT: self._parcels.follow_exchange,
        }
        # Asked before any local activity runs, for the reason given in ComplaintWorkflow.run.
        survey_after_close = workflow.patched(SURVEY_AFTER_CLOSE)
        self._journal.ask_patches()
        # Returns continued as new only when the server suggested it; they now follow the
        # complaints' rule too, which histories recorded before would not replay.
        shared_history_rule = workflow.patched(ONE_HISTORY_RULE)
        while not self._file.is_final:
            await self._journal.flush()
            long = (
                history_is_long()
                if shared_history_rule
                else workflow.info().is_continue_as_new_suggested()
            )
            if long:
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(
                    input.model_copy(
                        update={
                            "carried": self._view,
                            "pending": self._pending,
                            "policy": self._policy,
                        }
                    )
                )
            workflow.set_current_details(self._file.waiting_on())
            await stages[self._view.status]()
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._journal.flush()
        # The survey start is patched for the reason given in ComplaintWorkflow.run.
        if self._file.surveyed and survey_after_close:
            await start_follow_up_survey(self._file.survey_case())
        return self._view

    # --- Queries, updates and signals -----------------------------------------------------

    @workflow.query
    def view(self) -> ReturnView:
        """Returns the return's live state."""
        return self._view

    @workflow.update
    @answers_once_projected
    def decide_review(self, decision: ReviewDecision) -> ReturnView:
        """Records a person's decision on a return in manual review."""
        self._refuse_unless(ReturnStatus.UNDER_REVIEW, "no review is pending")
        self._pending.review = decision
        return self._view

    @decide_review.validator
    def _validate_review(self, decision: ReviewDecision) -> None:
        self._refuse_unless(ReturnStatus.UNDER_REVIEW, "no review is pending")
        if not decision.approved and not decision.reason.strip():
            raise invalid("a denial needs a reason")

    @workflow.update
    @answers_once_projected
    def give_consent(self, decision: ConsentDecision) -> ReturnView:
        """Records the customer's answer to the proposed plan."""
        self._refuse_unless(ReturnStatus.AWAITING_CONSENT, "no plan is waiting for consent")
        self._pending.consent = decision
        return self._view

    @give_consent.validator
    def _validate_consent(self, decision: ConsentDecision) -> None:
        self._refuse_unless(ReturnStatus.AWAITING_CONSENT, "no plan is waiting for consent")

    @workflow.update
    @answers_once_projected
    def report_inspection(self, report: InspectionReport) -> ReturnView:
        """Records the warehouse's inspection of the returned parcel."""
        self._refuse_unless(ReturnStatus.AWAITING_INSPECTION, "nothing is waiting for inspection")
        self._pending.inspection = report
        return self._view

    @report_inspection.validator
    def _validate_inspection(self, report: InspectionReport) -> None:
        self._refuse_unless(ReturnStatus.AWAITING_INSPECTION, "nothing is waiting for inspection")
        # Validators do not run on replay: a changed rule here changes no history.
        problem = inspection_problem(self._view.request, report)
        if problem is not None:
            raise invalid(problem)

    @workflow.update
    @answers_once_projected
    def retry_settlement(self, decision: ReviewDecision) -> ReturnView:
        """Lets a person retry a settlement that failed for good and was undone."""
        self._refuse_unless_settlement_waits()
        self._journal.record(
            ReturnEventKind.REVIEWED, decision.reviewer, decision.reason or "retry"
        )
        self._pending.retry_settlement = True
        return self._view

    @retry_settlement.validator
    def _validate_retry_settlement(self, decision: ReviewDecision) -> None:
        self._refuse_unless_settlement_waits()
        if self._pending.retry_settlement:
            raise not_allowed("a retry is already on its way")

    def _refuse_unless_settlement_waits(self) -> None:
        if not self._view.needs_person:
            raise not_allowed("no settlement is waiting for a person")

    @workflow.update
    @answers_once_projected
    def evidence_added(self, notice: EvidenceNotice) -> ReturnView:
        """Puts the files the customer sent on the return's timeline, one event a file."""
        refuse_unless(check_return_evidence_notice, self._view, notice)
        customer = f"customer:{self._view.request.customer.id}"
        for file in notice.added:
            self._journal.record(ReturnEventKind.EVIDENCE_ADDED, customer, describe_file(file))
        return self._view

    @evidence_added.validator
    def _validate_evidence_added(self, notice: EvidenceNotice) -> None:
        refuse_unless(check_return_evidence_notice, self._view, notice)

    @workflow.signal
    def courier_event(self, event: TrackingEvent) -> None:
        """Takes a tracking event from the courier webhook; repeats are ignored."""
        if event.event_id in self._view.seen_events or any(
            e.event_id == event.event_id for e in self._pending.tracking
        ):
            return
        self._pending.tracking.append(event)

    def _refuse_unless(self, status: ReturnStatus, message: str) -> None:
        if self._view.status is not status:
            raise not_allowed(
                f"{message} (the return is {self._view.status.value.replace('_', ' ')})"
            )

    # --- Stages -----------------------------------------------------------------------

    async def _assess(self) -> None:
        view = self._view
        customer = view.request.customer
        self._journal.record(
            ReturnEventKind.RECEIVED, f"customer:{customer.id}", view.request.reason
        )
        eligibility = await workflow.execute_local_activity(
            calls.ASSESS_RETURN,
            EligibilityInput(
                return_id=view.return_id,
                request=view.request,
                requested_at=view.created_at,
                windows=self._file.policy.windows,
            ),
            result_type=Eligibility,
            start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
        )
        view.eligibility = eligibility
        event = self._journal.record(
            ReturnEventKind.ELIGIBILITY,
            SYSTEM_ACTOR,
            f"{eligibility.decision}: {'; '.join(eligibility.reasons)}",
        )
        match eligibility.decision:
            case EligibilityDecision.REJECTED:
                done = finish(
                    view, self._journal, ReturnStatus.REJECTED, ReturnEventKind.REJECTED, "policy"
                )
                self._journal.notify_customer(
                    NotificationTemplate.RETURN_REJECTED, done, reasons=_reasons(eligibility)
                )
            case EligibilityDecision.MANUAL_REVIEW:
                self._journal.notify_customer(NotificationTemplate.RETURN_RECEIVED, event)
                self._ask_for_review("supervisor")
            case EligibilityDecision.APPROVED:
                self._journal.notify_customer(NotificationTemplate.RETURN_RECEIVED, event)
                self._after_approval()

    def _ask_for_review(self, level: str) -> None:
        view = self._view
        assert view.eligibility is not None
        view.status = ReturnStatus.UNDER_REVIEW
        view.review_level = level
        view.review_due_at = (
            workflow.now() + self._file.policy.review_windows[EscalationLevel(level)]
        )
        detail = f"{level}: {'; '.join(view.eligibility.reasons)}"
        event = self._journal.record(ReturnEventKind.REVIEW_REQUESTED, SYSTEM_ACTOR, detail)
        self._journal.notify_staff(
            NotificationTemplate.RETURN_REVIEW_REQUESTED,
            event,
            RETURN_STAFF[level],
            reasons=_reasons(view.eligibility),
            deadline=self._file.deadline(view.review_due_at, for_staff=True),
        )
        if level == "supervisor":
            self._journal.notify_customer(NotificationTemplate.RETURN_UNDER_REVIEW, event)

    async def _await_review(self) -> None:
        view = self._view
        assert view.review_due_at is not None
        if not await wait_until(lambda: self._pending.review is not None, view.review_due_at):
            if view.review_level == "supervisor":
                self._journal.record(
                    ReturnEventKind.REVIEW_ESCALATED,
                    SYSTEM_ACTOR,
                    "the supervisor did not decide in time: now with the manager",
                )
                self._ask_for_review("manager")
            else:
                # Nobody above the manager: keep waiting, and say so where people look.
                view.review_due_at = (
                    workflow.now() + self._file.policy.review_windows[EscalationLevel.MANAGER]
                )
                view.overdue = True
                self._journal.record(ReturnEventKind.NEEDS_PERSON, SYSTEM_ACTOR, "review overdue")
            return
        decision, self._pending.review = self._pending.review, None
        assert decision is not None
        self._journal.record(
            ReturnEventKind.REVIEWED,
            decision.reviewer,
            f"{'approved' if decision.approved else 'denied'}: {decision.reason}",
        )
        view.review_due_at = None
        view.overdue = False
        if decision.approved:
            self._after_approval()
            return
        done = finish(
            view, self._journal, ReturnStatus.REJECTED, ReturnEventKind.REJECTED, decision.reason
        )
        self._journal.notify_customer(
            NotificationTemplate.RETURN_REJECTED, done, reasons=decision.reason
        )

    def _after_approval(self) -> None:
        """Playbooks put a plan to the customer first; other returns go straight to a label."""
        view = self._view
        reason = view.request.reason
        view.root_cause = PLAYBOOK_ROOT_CAUSES.get(reason, view.root_cause)
        if reason not in PLAYBOOK_ROOT_CAUSES:
            view.outcome = view.request.preferred_outcome
            view.status = ReturnStatus.AWAITING_SHIPMENT
            return
        currency = self._file.currency
        refundable = view.eligibility.refundable_amount if view.eligibility else Decimal(0)
        plan = playbook_plan(
            reason,
            coupon=Money(amount=self._file.policy.wrong_item_apology_coupon, currency=currency),
            refundable=Money(amount=refundable, currency=currency),
        )
        view.plan = plan
        view.status = ReturnStatus.AWAITING_CONSENT
        view.consent_due_at = workflow.now() + self._file.policy.consent_window
        # The plan is on the view, as data: the pages word it in their reader's language.
        event = self._journal.record(ReturnEventKind.PLAN_PROPOSED, SYSTEM_ACTOR)
        self._journal.notify_customer(
            NotificationTemplate.RETURN_PLAN_PROPOSED,
            event,
            plan=plan,
            deadline=self._file.deadline(view.consent_due_at),
        )

    async def _await_consent(self) -> None:
        view = self._view
        assert view.consent_due_at is not None
        answered = await wait_until(lambda: self._pending.consent is not None, view.consent_due_at)
        consent = self._pending.consent or ConsentDecision(accepted=False, note="no answer in time")
        self._pending.consent = None
        view.consent = consent
        self._journal.record(
            ReturnEventKind.CONSENT,
            f"customer:{view.request.customer.id}" if answered else SYSTEM_ACTOR,
            f"{'accepted' if consent.accepted else 'declined'}: {consent.note}",
        )
        # A declined or unanswered plan falls back to what the customer asked for.
        wrong_item_exchange = view.request.reason is ReturnReason.WRONG_ITEM and consent.accepted
        view.outcome = (
            ReturnOutcome.EXCHANGE if wrong_item_exchange else view.request.preferred_outcome
        )
        view.status = ReturnStatus.AWAITING_SHIPMENT

    async def _await_inspection(self) -> None:
        view = self._view
        assert view.inspection_due_at is not None
        if not await wait_until(
            lambda: self._pending.inspection is not None, view.inspection_due_at
        ):
            view.overdue = True
            self._parcels.ask_for_inspection(ReturnEventKind.INSPECTION_ESCALATED, "supervisor")
            return
        report, self._pending.inspection = self._pending.inspection, None
        assert report is not None
        view.inspection = report
        view.root_cause = report.root_cause or view.root_cause
        view.overdue = False
        self._journal.record(
            ReturnEventKind.INSPECTED, report.inspector, f"{report.verdict}: {report.note}"
        )
        view.status = ReturnStatus.SETTLING

    async def _settle_or_wait(self) -> None:
        if self._view.needs_person:
            await workflow.wait_condition(lambda: self._pending.retry_settlement)
            self._pending.retry_settlement = False
            self._view.needs_person = False
        await self._settler.settle()


def _reasons(eligibility: Eligibility) -> MessageValue:
    """Returns the verdict's reasons for a message: as data, or for a verdict made before
    reasons were data, its English reasons as they are."""
    return eligibility.details or "; ".join(eligibility.reasons)
