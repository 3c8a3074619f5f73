"""The complaint workflow: one durable workflow per complaint, from intake to close.

`run` reads top-down: take the complaint in, then loop until it is closed, each turn
sending queued notifications, projecting the read model, and waking on the next deadline
or on work that an update left. Update handlers only check and change state; the loop
does the I/O, so an update answers at once and a slow provider never blocks it.
"""

from functools import partial

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain import policy, sla
    from domain.compensation import (
        Compensation,
        CompensationKind,
        CompensationReceipt,
        CompensationRequest,
        DuplicateChargeQuery,
        DuplicateChargeResult,
        ResolutionProposal,
        UndoRequest,
    )
    from domain.complaint_rules import (
        ActionNotAllowed,
        InvalidAction,
        check_agent_action,
        check_approval,
        check_customer_message,
    )
    from domain.complaints import (
        ActionResult,
        AgentAction,
        ApprovalDecision,
        ApprovalRequest,
        AssignAction,
        Classification,
        ClassifyInput,
        CloseReason,
        CompensationRecord,
        ComplaintInput,
        ComplaintStatus,
        ComplaintView,
        CustomerMessage,
        ProposeResolutionAction,
        ReclassifyAction,
        ReplyAction,
        RequestInfoAction,
        RouteInput,
        Routing,
        TimelineKind,
    )
    from domain.notifications import NotificationTemplate
    from domain.taxonomy import EscalationLevel
    from domain.wording import describe_outcome
    from workflows import activity_calls as calls
    from workflows.complaint_deadlines import ComplaintDeadlines
    from workflows.complaint_state import SYSTEM_ACTOR
    from workflows.saga import Saga

AUTO_ACTOR = "redress:auto"


@workflow.defn
class ComplaintWorkflow(ComplaintDeadlines):
    @workflow.init
    def __init__(self, input: ComplaintInput) -> None:
        now = input.received_at or workflow.now()
        view = input.carried or ComplaintView(
            complaint_id=input.complaint_id,
            status=ComplaintStatus.RECEIVED,
            created_at=now,
            updated_at=now,
            intake=input.intake,
        )
        self._init_state(view, fresh=input.carried is None)

    @workflow.run
    async def run(self, input: ComplaintInput) -> ComplaintView:
        if input.carried is None:
            await self._take_in()
        while self._view.status is not ComplaintStatus.CLOSED:
            await self._flush()
            if self._history_is_long():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(input.model_copy(update={"carried": self._view}))
            await self._wait_for_work_or_deadline()
            self._fire_due_deadlines()
            if self._reroute:
                await self._route()
            if self._pending_resolution:
                await self._resolve(*self._pending_resolution)
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._flush()
        return self._view

    # --- Queries and updates -----------------------------------------------------------

    @workflow.query
    def view(self) -> ComplaintView:
        """Returns the complaint's live state."""
        return self._view

    @workflow.update
    def act(self, request: AgentAction) -> ActionResult:
        """Applies an agent's action; the loop carries out what it sets in motion."""
        _refuse_unless(check_agent_action, self._view, request)
        actor, action = request.actor, request.action
        match action:
            case ReplyAction():
                self._first_response_given()
                event = self._record(TimelineKind.REPLIED, actor, action.message)
                self._notify_customer(
                    NotificationTemplate.AGENT_REPLY, event, message=action.message
                )
            case RequestInfoAction():
                self._first_response_given()
                self._wait_on_customer()
                event = self._record(TimelineKind.INFO_REQUESTED, actor, action.question)
                self._view.pending_question = action.question
                self._notify_customer(
                    NotificationTemplate.INFO_REQUEST,
                    event,
                    question=action.question,
                    deadline=self._customer_deadline_text(
                        workflow.now() + policy.CUSTOMER_WAIT.auto_close_after
                    ),
                )
            case ReclassifyAction():
                self._reclassify(action, actor)
            case ProposeResolutionAction():
                self._submit_proposal(action.proposal, actor)
            case AssignAction():
                self._view.assignee = action.agent_id
                self._record(TimelineKind.ASSIGNED, actor, action.agent_id)
        return self._result(f"{action.type} accepted")

    @act.validator
    def _validate_act(self, request: AgentAction) -> None:
        _refuse_unless(check_agent_action, self._view, request)

    @workflow.update
    def customer_reply(self, message: CustomerMessage) -> ActionResult:
        """Records the customer's reply; a complaint waiting on the customer resumes."""
        _refuse_unless(check_customer_message, self._view, message)
        detail = message.message
        if message.evidence_urls:
            detail += "\n" + "\n".join(message.evidence_urls)
        self._record(TimelineKind.CUSTOMER_REPLIED, f"customer:{self._customer_id}", detail)
        if self._view.status is ComplaintStatus.WAITING_ON_CUSTOMER:
            self._stop_waiting_on_customer()
        return self._result("reply recorded")

    @customer_reply.validator
    def _validate_customer_reply(self, message: CustomerMessage) -> None:
        _refuse_unless(check_customer_message, self._view, message)

    @workflow.update
    def decide_approval(self, decision: ApprovalDecision) -> ActionResult:
        """Approves (the compensation runs) or rejects (back to the agent) a proposal."""
        _refuse_unless(check_approval, self._view, decision)
        approval = self._view.approval
        assert approval is not None
        self._view.approval = None
        if decision.approved:
            self._record(TimelineKind.APPROVED, decision.approver, decision.reason)
            self._view.status = ComplaintStatus.RESOLVING
            self._pending_resolution = (approval.proposal, approval.proposed_by)
            return self._result("approved; compensation is being carried out")
        event = self._record(TimelineKind.REJECTED, decision.approver, decision.reason)
        self._view.status = ComplaintStatus.OPEN
        self._notify_staff(
            NotificationTemplate.APPROVAL_REJECTED,
            event,
            approval.proposed_by,
            approver=decision.approver,
            reason=decision.reason,
        )
        return self._result("rejected; the complaint is back with the agent")

    @decide_approval.validator
    def _validate_decide_approval(self, decision: ApprovalDecision) -> None:
        _refuse_unless(check_approval, self._view, decision)

    # --- Intake ------------------------------------------------------------------------

    async def _take_in(self) -> None:
        intake = self._view.intake
        self._record(TimelineKind.RECEIVED, f"customer:{self._customer_id}", intake.channel)

        classification = await workflow.execute_local_activity(
            calls.CLASSIFY,
            ClassifyInput(complaint_id=self._view.complaint_id, intake=intake),
            result_type=Classification,
            start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
        )
        self._view.classification = classification
        self._record(
            TimelineKind.CLASSIFIED,
            classification.classifier,
            f"{classification.sub_category} / {classification.tier} "
            f"({classification.confidence:.2f}): {'; '.join(classification.reasons)}",
        )
        await self._route()
        self._start_sla_clocks()
        self._view.status = ComplaintStatus.OPEN
        # Classification and routing are local steps taking milliseconds, so the customer
        # is still told at once, and can be told when to expect an answer.
        event = self._record(TimelineKind.ACKNOWLEDGED, SYSTEM_ACTOR)
        first_response = self._view.first_response
        self._notify_customer(
            NotificationTemplate.ACKNOWLEDGEMENT,
            event,
            deadline=self._customer_deadline_text(
                first_response.due_at if first_response else None
            ),
        )
        await self._flush()

        rule = policy.matching_auto_rule(classification, intake)
        if rule is not None:
            await self._auto_resolve(rule)

    async def _route(self) -> None:
        classification = self._classification
        self._reroute = False
        routing = await workflow.execute_local_activity(
            calls.ROUTE,
            RouteInput(
                complaint_id=self._view.complaint_id,
                category=classification.category,
                tier=classification.tier,
            ),
            result_type=Routing,
            start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
        )
        previous = self._view.routing
        if previous is not None and previous.calendar != routing.calendar:
            # Time already counted stays counted; the rest follows the new team's hours.
            now = workflow.now()
            self._update_clocks(lambda c: sla.pause_clock(c, now, previous.calendar))
            self._update_clocks(
                lambda c: sla.resume_clock(
                    c, now, routing.calendar, self._sla_policy.reminder_fraction
                )
            )
        self._view.routing = routing
        self._view.assignee = routing.agent_id
        self._record(
            TimelineKind.ROUTED, SYSTEM_ACTOR, f"team {routing.team}, agent {routing.agent_id}"
        )

    async def _auto_resolve(self, rule: policy.AutoResolutionRule) -> None:
        compensations = list(rule.compensations)
        order = self._view.intake.order
        if rule.refund_duplicate_charge:
            assert order is not None and order.payment_id
            try:
                found = await workflow.execute_activity(
                    calls.FIND_DUPLICATE_CHARGE,
                    DuplicateChargeQuery(payment_id=order.payment_id, order_id=order.order_id),
                    result_type=DuplicateChargeResult,
                    task_queue=self._providers_queue,
                    start_to_close_timeout=calls.PROVIDER_START_TO_CLOSE,
                    schedule_to_close_timeout=calls.PROVIDER_SCHEDULE_TO_CLOSE,
                    retry_policy=calls.PROVIDER_RETRY,
                )
            except ActivityError as err:
                found = DuplicateChargeResult(duplicated=False)
                self._record(
                    TimelineKind.AUTO_RESOLUTION, AUTO_ACTOR, f"{rule.name}: {_cause(err)}"
                )
            refundable = min(found.surplus, order.paid_amount - self._view.refunded_total)
            if not found.duplicated or refundable <= 0:
                self._record(
                    TimelineKind.AUTO_RESOLUTION,
                    AUTO_ACTOR,
                    f"{rule.name}: no duplicate charge confirmed; left to an agent",
                )
                return
            compensations = [Compensation(kind=CompensationKind.REFUND, amount=refundable)]
        proposal = ResolutionProposal(
            compensations=compensations,
            message=rule.message[self._view.intake.customer.locale],
            root_cause=rule.root_cause,
        )
        self._view.auto_resolved = True
        self._record(TimelineKind.AUTO_RESOLUTION, AUTO_ACTOR, rule.name)
        self._submit_proposal(proposal, AUTO_ACTOR)

    def _reclassify(self, action: ReclassifyAction, actor: str) -> None:
        """An agent's classification replaces the classifier's; deadlines follow the new
        tier, and a new category is routed to its team by the loop."""
        before = self._classification
        self._view.classification = Classification(
            category=action.category,
            sub_category=action.sub_category,
            tier=action.tier,
            confidence=1.0,
            reasons=[action.reason],
            classifier=f"agent:{actor}",
        )
        now, rules = workflow.now(), self._sla_policy
        budgets = {"first_response": rules.first_response, "resolution": rules.resolution}
        self._update_clocks(
            lambda c: sla.rebudget_clock(
                c, budgets[c.name], now, self._calendar, rules.reminder_fraction
            )
        )
        self._reroute = action.category != before.category
        self._record(
            TimelineKind.RECLASSIFIED,
            actor,
            f"{before.sub_category}/{before.tier} -> {action.sub_category}/{action.tier}: "
            f"{action.reason}",
        )

    # --- Resolution ----------------------------------------------------------------------

    def _submit_proposal(self, proposal: ResolutionProposal, actor: str) -> None:
        self._first_response_given()
        if self._view.status is ComplaintStatus.WAITING_ON_CUSTOMER:
            self._stop_waiting_on_customer()
        total = proposal.total_amount()
        self._record(
            TimelineKind.RESOLUTION_PROPOSED,
            actor,
            ", ".join(f"{c.kind} {c.amount}" for c in proposal.compensations) or "apology",
        )
        tier = self._classification.tier
        if not policy.approval_required(total, tier, self._view.intake.customer.tier):
            self._view.status = ComplaintStatus.RESOLVING
            self._pending_resolution = (proposal, actor)
            return
        now = workflow.now()
        level = EscalationLevel.SUPERVISOR
        self._view.status = ComplaintStatus.AWAITING_APPROVAL
        approval = ApprovalRequest(
            proposal=proposal,
            proposed_by=actor,
            requested_at=now,
            level=level,
            due_at=now + policy.APPROVAL_WINDOWS[level],
        )
        self._view.approval = approval
        event = self._record(TimelineKind.APPROVAL_REQUESTED, actor, f"{level}: {total}")
        self._notify_staff(
            NotificationTemplate.APPROVAL_REQUESTED,
            event,
            self._staff_at(level),
            amount=str(total),
            currency=self._currency,
            deadline=self._deadline_text(approval.due_at),
            proposed_by=actor,
        )

    async def _resolve(self, proposal: ResolutionProposal, actor: str) -> None:
        """Runs the proposal's compensations as a saga; a step that fails for good undoes
        the earlier ones and hands the complaint back to the agent."""
        self._pending_resolution = None
        view = self._view
        view.resolutions_run += 1
        saga = Saga()
        done: list[CompensationRecord] = []
        for index, step in enumerate(proposal.compensations):
            key = f"{view.complaint_id}/resolution-{view.resolutions_run}/{index}-{step.kind}"
            try:
                receipt = await self._provider_call(
                    calls.DO_COMPENSATION[step.kind], self._compensation_request(key, step)
                )
            except ActivityError as err:
                self._record(
                    TimelineKind.COMPENSATION_FAILED, SYSTEM_ACTOR, f"{step.kind}: {_cause(err)}"
                )
                undone = await saga.compensate()
                for record in done:
                    record.undone = True
                self._recount_refunds()
                event = self._record(
                    TimelineKind.COMPENSATION_UNDONE, SYSTEM_ACTOR, ", ".join(undone) or "nothing"
                )
                view.status = ComplaintStatus.OPEN
                self._notify_customer(NotificationTemplate.RESOLUTION_FAILED, event)
                return
            saga.add(f"{step.kind} {receipt.reference}", partial(self._undo, key, receipt))
            record = CompensationRecord(
                kind=step.kind, amount=receipt.amount, reference=receipt.reference
            )
            done.append(record)
            view.compensations.append(record)
            self._recount_refunds()
            self._record(
                TimelineKind.COMPENSATION_DONE,
                SYSTEM_ACTOR,
                f"{step.kind} {receipt.amount} ({receipt.reference})",
            )
        view.root_cause = proposal.root_cause or view.root_cause
        event = self._record(TimelineKind.RESOLVED, actor, proposal.message)
        self._notify_customer(
            NotificationTemplate.RESOLUTION_OUTCOME,
            event,
            message=proposal.message,
            outcome=describe_outcome(done, self._currency, view.intake.customer.locale),
        )
        if proposal.final:
            self._close(CloseReason.RESOLVED)
        else:
            view.status = ComplaintStatus.OPEN

    def _compensation_request(self, key: str, step: Compensation) -> CompensationRequest:
        order = self._view.intake.order
        return CompensationRequest(
            idempotency_key=key,
            complaint_id=self._view.complaint_id,
            customer_id=self._customer_id,
            kind=step.kind,
            amount=step.amount,
            currency=order.currency if order else "CNY",
            payment_id=order.payment_id if order else None,
            paid_amount=order.paid_amount if order else None,
            order_id=order.order_id if order else None,
            items=step.items,
        )

    async def _undo(self, key: str, receipt: CompensationReceipt) -> CompensationReceipt:
        undo = UndoRequest(idempotency_key=f"{key}/undo", receipt=receipt)
        return await self._provider_call(calls.UNDO_COMPENSATION[receipt.kind], undo, undoing=True)

    async def _provider_call(
        self, name: str, request: CompensationRequest | UndoRequest, undoing: bool = False
    ) -> CompensationReceipt:
        # An undo has no overall deadline: it retries until the provider takes it.
        receipt: CompensationReceipt = await workflow.execute_activity(
            name,
            request,
            result_type=CompensationReceipt,
            task_queue=self._providers_queue,
            start_to_close_timeout=calls.PROVIDER_START_TO_CLOSE,
            schedule_to_close_timeout=None if undoing else calls.PROVIDER_SCHEDULE_TO_CLOSE,
            retry_policy=calls.UNDO_RETRY if undoing else calls.PROVIDER_RETRY,
        )
        return receipt


def _refuse_unless(check: object, view: ComplaintView, request: object) -> None:
    """Runs a domain check and turns its refusal into a typed, non-retryable update failure."""
    try:
        check(view, request)  # type: ignore[operator]
    except ActionNotAllowed as refusal:
        raise ApplicationError(str(refusal), type="ActionNotAllowed", non_retryable=True) from None
    except InvalidAction as refusal:
        raise ApplicationError(str(refusal), type="InvalidAction", non_retryable=True) from None


def _cause(error: ActivityError) -> str:
    cause = error.cause
    return str(cause.message if isinstance(cause, ApplicationError) else cause or error)
