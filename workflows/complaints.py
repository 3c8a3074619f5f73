"""The complaint workflow: one durable workflow per complaint, from intake to close.

`run` reads top-down: take the complaint in, then loop until it is closed, each turn
sending queued notifications, projecting the read model, and waking on the next deadline
or on work that an update left. Update handlers only check and change state; the loop
does the I/O, so an update answers at once and a slow provider never blocks it.

What the workflow carries from run to run is two models: the complaint's view, and its
pending work (a proposal accepted and not yet started, a category not yet routed,
messages not yet sent, events not yet projected). Its parts each hold what they need:
the journal (timeline, messages, read model), the clocks (SLA deadlines and what happens
when they pass) and the resolver (proposals, approval, the saga and any return).
"""

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.bounces import BouncedNotification
    from domain.classification_reasons import headline
    from domain.compensation import ResolutionProposal
    from domain.complaint_merge import DuplicateLink, MergedCase, MergeInto, check_merge_into
    from domain.complaint_rules import (
        check_agent_action,
        check_approval,
        check_customer_message,
        check_evidence_notice,
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
        NoteAction,
        ProposeResolutionAction,
        ReclassifyAction,
        ReplyAction,
        RequestInfoAction,
        RouteInput,
        Routing,
        TimelineEvent,
        TimelineKind,
        Transfer,
    )
    from domain.evidence import (
        EvidenceNotice,
        EvidenceSource,
        describe_file,
        describe_refusal,
        refusal_values,
    )
    from domain.notifications import NotificationTemplate
    from domain.resolution_preview import ResolutionPreview, preview_resolution
    from workflows import activity_calls as calls
    from workflows.case_journal import (
        SYSTEM_ACTOR,
        CaseJournal,
        JournalKinds,
        answers_once_projected,
        history_is_long,
    )
    from workflows.complaint_clocks import ComplaintClocks
    from workflows.complaint_file import ComplaintFile
    from workflows.complaint_merge import (
        ABSORB_MERGED_SIGNAL,
        LINK_DUPLICATE_SIGNAL,
        ComplaintMerger,
    )
    from workflows.complaint_recovery import ComplaintRecoveries
    from workflows.complaint_resolution import RESOLVE_BESIDE_THE_LOOP, ComplaintResolver
    from workflows.follow_up import SURVEY_AFTER_CLOSE, start_follow_up_survey
    from workflows.refusals import refuse_unless

COMPLAINT_JOURNAL = JournalKinds(
    event_model=TimelineEvent,
    notification_failed=TimelineKind.NOTIFICATION_FAILED,
    needs_person=TimelineKind.NEEDS_PERSON,
    needs_person_template=NotificationTemplate.NEEDS_PERSON,
)


@workflow.defn
class ComplaintWorkflow:
    @workflow.init
    def __init__(self, input: ComplaintInput) -> None:
        now = input.received_at or workflow.now()
        self._view = input.carried or ComplaintView(
            complaint_id=input.complaint_id,
            status=ComplaintStatus.RECEIVED,
            created_at=now,
            updated_at=now,
            intake=input.intake,
            policy_version=input.policy_version,
        )
        self._pending = input.pending or ComplaintPending()
        self._policy = input.policy or policy.complaint_policy()
        self._file = ComplaintFile(self._view, self._policy, return_policy=input.return_policy)
        self._journal = CaseJournal(
            self._file,
            self._view,
            COMPLAINT_JOURNAL,
            fresh=input.carried is None,
            outbox=self._pending.outbox,
            unprojected=self._pending.unprojected,
        )
        self._recoveries = ComplaintRecoveries(self._file, self._journal, self._pending)
        self._clocks = ComplaintClocks(self._file, self._journal, self._recoveries)
        self._resolver = ComplaintResolver(
            self._file, self._journal, self._clocks, self._pending, self._recoveries
        )
        self._merger = ComplaintMerger(self._file, self._journal, self._clocks)

    @workflow.run
    async def run(self, input: ComplaintInput) -> ComplaintView:
        # Asked in the first workflow task, before any local activity runs: a local activity
        # that outlasts its workflow task pushes what follows into a later task, and a patch
        # first asked there is found in a different task on replay (the chaos run caught
        # it). The answers are kept for the rest of the run.
        survey_after_close = workflow.patched(SURVEY_AFTER_CLOSE)
        self._journal.ask_patches()
        resolve_beside_the_loop = workflow.patched(RESOLVE_BESIDE_THE_LOOP)
        self._recoveries.ask_patch()
        self._merger.ask_patch()
        if input.carried is None:
            await self._take_in()
        while self._view.status is not ComplaintStatus.CLOSED:
            await self._journal.flush()
            # A running resolution cannot be carried into a new run: continue once it ends.
            if history_is_long() and self._resolver.running is None:
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
            await self._clocks.wait_for(self._has_work)
            await self._resolver.collect()
            self._clocks.fire_due()
            if self._pending.reroute or self._pending.transfer is not None:
                await self._route()
            if self._pending.resolution and self._resolver.running is None:
                await self._resolver.start(resolve_beside_the_loop)
            if self._recoveries.waiting:
                await self._recoveries.start_opened()
        if self._resolver.running is not None:
            await self._resolver.running
        await self._recoveries.start_opened()
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._journal.flush()
        # A survey asks about a resolution; a complaint closed for want of a reply has none.
        # The child start is a new command at the end of every resolved complaint: histories
        # recorded before it (complaints still running at the deploy) have no such command,
        # so `patched` keeps them on the old path when they replay. Remove in two deploys, as
        # docs/safe-workflow-changes.md says.
        if self._view.close_reason is CloseReason.RESOLVED and survey_after_close:
            await start_follow_up_survey(self._file.survey_case())
        return self._view

    def _has_work(self) -> bool:
        """Returns whether the loop has something to do before the next deadline."""
        return (
            self._journal.has_work
            or self._pending.resolution is not None
            or self._pending.reroute
            or self._pending.transfer is not None
            or self._resolver.finished
            or self._recoveries.waiting
            or self._view.status is ComplaintStatus.CLOSED
        )

    # --- Queries and updates -----------------------------------------------------------

    @workflow.query
    def view(self) -> ComplaintView:
        """Returns the complaint's live state."""
        return self._view

    @workflow.update
    @answers_once_projected
    def act(self, request: AgentAction) -> ActionResult:
        """Applies an agent's action; the loop carries out what it sets in motion."""
        refuse_unless(check_agent_action, self._view, request)
        actor, action = request.actor, request.action
        journal = self._journal
        match action:
            case ReplyAction():
                self._clocks.first_response_given()
                event = journal.record(TimelineKind.REPLIED, actor, action.message)
                journal.notify_customer(
                    NotificationTemplate.AGENT_REPLY, event, message=action.message
                )
            case RequestInfoAction():
                self._clocks.first_response_given()
                self._clocks.wait_on_customer()
                event = journal.record(TimelineKind.INFO_REQUESTED, actor, action.question)
                self._view.pending_question = action.question
                journal.notify_customer(
                    NotificationTemplate.INFO_REQUEST,
                    event,
                    question=action.question,
                    deadline=self._file.customer_deadline(
                        workflow.now() + self._file.policy.customer_wait.auto_close_after
                    ),
                )
            case ReclassifyAction():
                self._reclassify(action, actor)
            case ProposeResolutionAction():
                self._resolver.submit(action.proposal, actor)
            case AssignAction():
                self._assign(action, actor)
            case NoteAction():
                # Staff only: no message, no clock stopped (a note is no answer to anyone).
                journal.record(TimelineKind.NOTED, actor, action.text)
        return self._file.result(f"{action.type} accepted")

    @act.validator
    def _validate_act(self, request: AgentAction) -> None:
        refuse_unless(check_agent_action, self._view, request)

    @workflow.query
    def preview_resolution(self, proposal: ResolutionProposal) -> ResolutionPreview:
        """Returns what the complaint would do with `proposal` now, under its own policy:
        refuse it, carry it out at once, or ask whom for approval."""
        return preview_resolution(self._policy, self._view, proposal)

    @workflow.update
    @answers_once_projected
    def customer_reply(self, message: CustomerMessage) -> ActionResult:
        """Records the customer's reply; a complaint waiting on the customer resumes."""
        refuse_unless(check_customer_message, self._view, message)
        detail = message.message
        if message.evidence_urls:
            detail += "\n" + "\n".join(message.evidence_urls)
        self._journal.record(
            TimelineKind.CUSTOMER_REPLIED, f"customer:{self._file.customer_id}", detail
        )
        if self._view.status is ComplaintStatus.WAITING_ON_CUSTOMER:
            self._clocks.stop_waiting_on_customer()
        return self._file.result("reply recorded")

    @customer_reply.validator
    def _validate_customer_reply(self, message: CustomerMessage) -> None:
        refuse_unless(check_customer_message, self._view, message)

    @workflow.update
    @answers_once_projected
    def evidence_added(self, notice: EvidenceNotice) -> ActionResult:
        """Puts the files the customer sent on the timeline; a customer whose mail carried
        files that were refused is told which, and the limits."""
        refuse_unless(check_evidence_notice, self._view, notice)
        customer = f"customer:{self._file.customer_id}"
        for file in notice.added:
            self._journal.record(TimelineKind.EVIDENCE_ADDED, customer, describe_file(file))
        refusals = [
            self._journal.record(TimelineKind.EVIDENCE_REFUSED, SYSTEM_ACTOR, describe_refusal(f))
            for f in notice.refused
        ]
        # Pages and the API answer a refused upload at once; only mail needs a letter.
        if refusals and notice.source is EvidenceSource.EMAIL:
            self._journal.notify_customer(
                NotificationTemplate.EVIDENCE_REFUSED, refusals[0], **refusal_values(notice)
            )
        return self._file.result(f"{len(notice.added)} file(s) added, {len(refusals)} refused")

    @evidence_added.validator
    def _validate_evidence_added(self, notice: EvidenceNotice) -> None:
        refuse_unless(check_evidence_notice, self._view, notice)

    @workflow.update
    async def merge_into(self, request: MergeInto) -> ActionResult:
        """Merges the complaint into another of its customer's, which takes its messages,
        evidence and earlier deadlines; this one closes as merged."""
        return await self._merger.merge_into(request)

    @merge_into.validator
    def _validate_merge_into(self, request: MergeInto) -> None:
        refuse_unless(check_merge_into, self._view, request)

    @workflow.signal(name=LINK_DUPLICATE_SIGNAL)
    def link_duplicate(self, link: DuplicateLink) -> None:
        """Records a newer complaint linked to this one as a possible duplicate."""
        self._merger.note_duplicate(link)

    @workflow.signal(name=ABSORB_MERGED_SIGNAL)
    def absorb_merged(self, merged: MergedCase) -> None:
        """Takes in a complaint merged into this one."""
        self._merger.absorb(merged)

    @workflow.update
    @answers_once_projected
    def notification_bounced(self, bounce: BouncedNotification) -> ActionResult:
        """Records on the timeline that a message e-mailed earlier bounced (a DSN the mail
        gateway received), as a send the mail server refused is recorded."""
        self._journal.record(
            TimelineKind.NOTIFICATION_FAILED,
            SYSTEM_ACTOR,
            f"{bounce.template} to {bounce.recipient_id}: {bounce.reason}",
        )
        return self._file.result("bounce recorded")

    @workflow.update
    @answers_once_projected
    def decide_approval(self, decision: ApprovalDecision) -> ActionResult:
        """Approves (the compensation runs) or rejects (back to the agent) a proposal."""
        refuse_unless(check_approval, self._view, decision)
        approval = self._view.approval
        assert approval is not None
        self._view.approval = None
        if decision.approved:
            self._journal.record(TimelineKind.APPROVED, decision.approver, decision.reason)
            self._resolver.accept(approval.proposal, approval.proposed_by)
            return self._file.result("approved; compensation is being carried out")
        event = self._journal.record(TimelineKind.REJECTED, decision.approver, decision.reason)
        self._view.status = ComplaintStatus.OPEN
        self._journal.notify_staff(
            NotificationTemplate.APPROVAL_REJECTED,
            event,
            approval.proposed_by,
            approver=decision.approver,
            reason=decision.reason,
        )
        return self._file.result("rejected; the complaint is back with the agent")

    @decide_approval.validator
    def _validate_decide_approval(self, decision: ApprovalDecision) -> None:
        refuse_unless(check_approval, self._view, decision)

    # --- Intake ------------------------------------------------------------------------

    async def _take_in(self) -> None:
        view, journal = self._view, self._journal
        intake = view.intake
        journal.record(TimelineKind.RECEIVED, f"customer:{self._file.customer_id}", intake.channel)

        classification = await workflow.execute_local_activity(
            calls.CLASSIFY,
            ClassifyInput(complaint_id=view.complaint_id, intake=intake),
            result_type=Classification,
            start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
        )
        view.classification = classification
        journal.record(
            TimelineKind.CLASSIFIED,
            classification.classifier,
            headline(
                classification.sub_category,
                classification.tier,
                classification.confidence,
                classification.reasons,
            ),
        )
        await self._merger.link_at_intake()
        await self._route()
        self._clocks.start()
        view.status = ComplaintStatus.OPEN
        # Classification and routing are local steps taking milliseconds, so the customer
        # is still told at once, and can be told when to expect an answer.
        event = journal.record(TimelineKind.ACKNOWLEDGED, SYSTEM_ACTOR)
        first_response = view.first_response
        journal.notify_customer(
            NotificationTemplate.ACKNOWLEDGEMENT,
            event,
            deadline=self._file.customer_deadline(
                first_response.due_at if first_response else None
            ),
        )
        await journal.flush()

        rule = self._file.policy.matching_auto_rule(classification, intake)
        if rule is not None:
            await self._resolver.auto_resolve(rule)

    async def _route(self) -> None:
        classification = self._file.classification
        transfer, self._pending.transfer = self._pending.transfer, None
        self._pending.reroute = False
        routing = await workflow.execute_local_activity(
            calls.ROUTE,
            RouteInput(
                complaint_id=self._view.complaint_id,
                category=classification.category,
                tier=classification.tier,
                team=transfer.team if transfer else None,
                agent_id=transfer.agent_id if transfer else None,
            ),
            result_type=Routing,
            start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
        )
        previous = self._view.routing
        if previous is not None and previous.calendar != routing.calendar:
            self._clocks.move_to(previous.calendar, routing.calendar)
        self._view.routing = routing
        self._view.assignee = routing.agent_id
        moved = f"team {routing.team}, agent {routing.agent_id}"
        if transfer is not None:
            self._journal.record(TimelineKind.ASSIGNED, transfer.actor, moved)
        else:
            self._journal.record(TimelineKind.ROUTED, SYSTEM_ACTOR, moved)

    def _assign(self, action: AssignAction, actor: str) -> None:
        """Gives the complaint to an agent of its team at once; a move to another team
        waits for the loop, which routes it there (its chain and calendar with it)."""
        routing = self._view.routing
        if action.team is not None and (routing is None or action.team != routing.team):
            self._pending.transfer = Transfer(
                team=action.team, agent_id=action.agent_id, actor=actor
            )
            return
        assert action.agent_id is not None, "an assignment within the team names the agent"
        self._view.assignee = action.agent_id
        self._journal.record(TimelineKind.ASSIGNED, actor, action.agent_id)

    def _reclassify(self, action: ReclassifyAction, actor: str) -> None:
        """An agent's classification replaces the classifier's; deadlines follow the new
        tier, and a new category is routed to its team by the loop."""
        before = self._file.classification
        self._view.classification = Classification(
            category=action.category,
            sub_category=action.sub_category,
            tier=action.tier,
            confidence=1.0,
            reasons=[action.reason],
            classifier=f"agent:{actor}",
        )
        self._clocks.rebudget()
        self._pending.reroute = action.category != before.category
        self._journal.record(
            TimelineKind.RECLASSIFIED,
            actor,
            f"{before.sub_category}/{before.tier} -> {action.sub_category}/{action.tier}: "
            f"{action.reason}",
        )
