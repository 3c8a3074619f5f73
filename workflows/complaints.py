"""The complaint workflow: one durable workflow per complaint, from intake to close.

`run` reads top-down: take the complaint in, then loop until it is closed, each turn
sending queued notifications, projecting the read model, and waking on the next deadline
or on work that an update left. Update handlers only check and change state; the loop
does the I/O, so an update answers at once and a slow provider never blocks it.
"""

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain import policy, sla
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
        AssignAction,
        Classification,
        ClassifyInput,
        CloseReason,
        ComplaintInput,
        ComplaintPending,
        ComplaintStatus,
        ComplaintView,
        CustomerMessage,
        PendingResolution,
        ProposeResolutionAction,
        ReclassifyAction,
        ReplyAction,
        RequestInfoAction,
        RouteInput,
        Routing,
        TimelineKind,
    )
    from domain.notifications import NotificationTemplate
    from workflows import activity_calls as calls
    from workflows.case_state import SYSTEM_ACTOR, answers_once_projected
    from workflows.complaint_resolution import RESOLVE_BESIDE_THE_LOOP, ComplaintResolution
    from workflows.follow_up import SURVEY_AFTER_CLOSE, start_follow_up_survey


@workflow.defn
class ComplaintWorkflow(ComplaintResolution):
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
        self._init_state(
            view, fresh=input.carried is None, pending=input.pending or ComplaintPending()
        )

    @workflow.run
    async def run(self, input: ComplaintInput) -> ComplaintView:
        # Asked in the first workflow task, before any local activity runs: a local activity
        # that outlasts its workflow task pushes what follows into a later task, and a patch
        # first asked there is found in a different task on replay (the chaos run caught
        # it). The answer is kept for the close below.
        survey_after_close = workflow.patched(SURVEY_AFTER_CLOSE)
        self._ask_project_first()
        resolve_beside_the_loop = workflow.patched(RESOLVE_BESIDE_THE_LOOP)
        if input.carried is None:
            await self._take_in()
        while self._view.status is not ComplaintStatus.CLOSED:
            await self._flush()
            # A running resolution cannot be carried into a new run: continue once it ends.
            if self._history_is_long() and self._resolution is None:
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(
                    input.model_copy(
                        update={"carried": self._view, "pending": self._pending_work()}
                    )
                )
            await self._wait_for_work_or_deadline()
            await self._collect_resolution()
            self._fire_due_deadlines()
            if self._reroute:
                await self._route()
            if self._pending_resolution and self._resolution is None:
                await self._start_resolution(resolve_beside_the_loop)
        if self._resolution is not None:
            await self._resolution
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._flush()
        # A survey asks about a resolution; a complaint closed for want of a reply has none.
        # The child start is a new command at the end of every resolved complaint: histories
        # recorded before it (complaints still running at the deploy) have no such command,
        # so `patched` keeps them on the old path when they replay. Remove in two deploys, as
        # docs/safe-workflow-changes.md says.
        if self._view.close_reason is CloseReason.RESOLVED and survey_after_close:
            await start_follow_up_survey(self._survey_case())
        return self._view

    # --- Queries and updates -----------------------------------------------------------

    @workflow.query
    def view(self) -> ComplaintView:
        """Returns the complaint's live state."""
        return self._view

    @workflow.update
    @answers_once_projected
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
    @answers_once_projected
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
    @answers_once_projected
    def decide_approval(self, decision: ApprovalDecision) -> ActionResult:
        """Approves (the compensation runs) or rejects (back to the agent) a proposal."""
        _refuse_unless(check_approval, self._view, decision)
        approval = self._view.approval
        assert approval is not None
        self._view.approval = None
        if decision.approved:
            self._record(TimelineKind.APPROVED, decision.approver, decision.reason)
            self._view.status = ComplaintStatus.RESOLVING
            self._pending_resolution = PendingResolution(
                proposal=approval.proposal, actor=approval.proposed_by
            )
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


def _refuse_unless(check: object, view: ComplaintView, request: object) -> None:
    """Runs a domain check and turns its refusal into a typed, non-retryable update failure."""
    try:
        check(view, request)  # type: ignore[operator]
    except ActionNotAllowed as refusal:
        raise ApplicationError(str(refusal), type="ActionNotAllowed", non_retryable=True) from None
    except InvalidAction as refusal:
        raise ApplicationError(str(refusal), type="InvalidAction", non_retryable=True) from None
