"""Resolving a complaint: auto-resolution rules, proposals and their approval, the
compensation saga, and a return of goods run as a child workflow.

An accepted proposal waits in the complaint's pending work until the loop starts it; it
then runs beside the loop (RESOLVE_BESIDE_THE_LOOP), which goes on sending messages and
firing deadlines while providers retry for hours or the return takes days.
"""

import asyncio
from functools import partial

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError

with workflow.unsafe.imports_passed_through():
    from domain.compensation import (
        Compensation,
        CompensationKind,
        CompensationReceipt,
        CompensationRequest,
        DuplicateChargeQuery,
        DuplicateChargeResult,
        ResolutionProposal,
        ReturnPlan,
        UndoRequest,
    )
    from domain.complaint_policy import AutoResolutionRule
    from domain.complaint_returns import return_id_for, return_request_for
    from domain.complaints import (
        ApprovalRequest,
        CloseReason,
        CompensationRecord,
        ComplaintPending,
        ComplaintStatus,
        PendingResolution,
        TimelineKind,
    )
    from domain.notifications import CompensationLine, Money, NotificationTemplate
    from domain.resolution_preview import approver_level
    from domain.return_policy import return_case_policy
    from domain.returns import ReturnInput, ReturnStatus, ReturnView, return_workflow_id
    from domain.service_failures import ServiceFailure
    from domain.taxonomy import EscalationLevel
    from workflows import activity_calls as calls
    from workflows.case_journal import SYSTEM_ACTOR, CaseJournal
    from workflows.complaint_clocks import ComplaintClocks
    from workflows.complaint_file import ComplaintFile
    from workflows.complaint_recovery import ComplaintRecoveries
    from workflows.provider_calls import call_provider
    from workflows.saga import Saga

AUTO_ACTOR = "redress:auto"
# The patch id of running a resolution beside the complaint's loop rather than in it: the
# loop's timers and messages now interleave with the saga's activities.
RESOLVE_BESIDE_THE_LOOP = "resolve-beside-the-loop"


class ComplaintResolver:
    def __init__(
        self,
        file: ComplaintFile,
        journal: CaseJournal,
        clocks: ComplaintClocks,
        pending: ComplaintPending,
        recoveries: ComplaintRecoveries,
    ) -> None:
        self._file = file
        self._journal = journal
        self._clocks = clocks
        self._pending = pending
        self._recoveries = recoveries
        # The resolution running beside the loop, if any: it cannot be carried into a new
        # run, so the complaint continues as new only while this is None.
        self.running: asyncio.Task[None] | None = None

    @property
    def finished(self) -> bool:
        """Returns whether a resolution ran beside the loop and has ended."""
        return self.running is not None and self.running.done()

    # --- Proposals -----------------------------------------------------------------------

    def submit(self, proposal: ResolutionProposal, actor: str) -> None:
        """Accepts a proposal: within authority it waits for the loop to carry it out;
        above it, it waits for a supervisor's approval."""
        file, journal = self._file, self._journal
        view = file.view
        self._clocks.first_response_given()
        if view.status is ComplaintStatus.WAITING_ON_CUSTOMER:
            self._clocks.stop_waiting_on_customer()
        total = proposal.total_amount()
        journal.record(
            TimelineKind.RESOLUTION_PROPOSED,
            actor,
            ", ".join(f"{c.kind} {c.amount}" for c in proposal.compensations) or "apology",
        )
        # The console's "check" answers with the same rule before the proposal is sent.
        level = approver_level(file.policy, view, proposal)
        if level is None:
            self.accept(proposal, actor)
            return
        now = workflow.now()
        view.status = ComplaintStatus.AWAITING_APPROVAL
        approval = ApprovalRequest(
            proposal=proposal,
            proposed_by=actor,
            requested_at=now,
            level=level,
            due_at=now + file.policy.approval_windows[level],
        )
        view.approval = approval
        event = journal.record(TimelineKind.APPROVAL_REQUESTED, actor, f"{level}: {total}")
        journal.notify_staff(
            NotificationTemplate.APPROVAL_REQUESTED,
            event,
            file.staff_at(level),
            amount=Money(amount=total, currency=file.currency),
            deadline=file.staff_deadline(approval.due_at),
            proposed_by=actor,
        )

    def accept(self, proposal: ResolutionProposal, actor: str) -> None:
        """Leaves an accepted proposal for the loop to start."""
        self._file.view.status = ComplaintStatus.RESOLVING
        self._pending.resolution = PendingResolution(proposal=proposal, actor=actor)

    async def auto_resolve(self, rule: AutoResolutionRule) -> None:
        file, journal = self._file, self._journal
        view = file.view
        compensations = list(rule.compensations)
        order = view.intake.order
        if rule.refund_duplicate_charge:
            assert order is not None and order.payment_id
            try:
                found = await workflow.execute_activity(
                    calls.FIND_DUPLICATE_CHARGE,
                    DuplicateChargeQuery(payment_id=order.payment_id, order_id=order.order_id),
                    result_type=DuplicateChargeResult,
                    task_queue=file.providers_queue,
                    start_to_close_timeout=calls.PROVIDER_START_TO_CLOSE,
                    schedule_to_close_timeout=calls.PROVIDER_SCHEDULE_TO_CLOSE,
                    retry_policy=calls.PROVIDER_RETRY,
                )
            except ActivityError as err:
                found = DuplicateChargeResult(duplicated=False)
                journal.record(
                    TimelineKind.AUTO_RESOLUTION, AUTO_ACTOR, f"{rule.name}: {_cause(err)}"
                )
            refundable = min(found.surplus, order.paid_amount - view.refunded_total)
            if not found.duplicated or refundable <= 0:
                journal.record(
                    TimelineKind.AUTO_RESOLUTION,
                    AUTO_ACTOR,
                    f"{rule.name}: no duplicate charge confirmed; left to an agent",
                )
                return
            compensations = [Compensation(kind=CompensationKind.REFUND, amount=refundable)]
        proposal = ResolutionProposal(
            compensations=compensations,
            message=rule.message[view.intake.customer.locale],
            root_cause=rule.root_cause,
        )
        view.auto_resolved = True
        journal.record(TimelineKind.AUTO_RESOLUTION, AUTO_ACTOR, rule.name)
        self.submit(proposal, AUTO_ACTOR)

    # --- Carrying out a proposal -----------------------------------------------------------

    async def start(self, beside_the_loop: bool) -> None:
        """Starts the accepted proposal: beside the loop, or, for histories recorded before
        RESOLVE_BESIDE_THE_LOOP, in the loop itself."""
        pending, self._pending.resolution = self._pending.resolution, None
        assert pending is not None
        if beside_the_loop:
            self.running = asyncio.create_task(self._resolve(pending.proposal, pending.actor))
        else:
            await self._resolve(pending.proposal, pending.actor)

    async def collect(self) -> None:
        """Takes a finished resolution's outcome (an error in it fails the workflow task,
        to be retried, as it would have in the loop)."""
        if self.finished:
            assert self.running is not None
            finished, self.running = self.running, None
            await finished

    async def _resolve(self, proposal: ResolutionProposal, actor: str) -> None:
        """Runs the proposal's compensations as a saga; a step that fails for good undoes
        the earlier ones and hands the complaint back to the agent, and an undo the
        provider refuses leaves it for a person."""
        file, journal = self._file, self._journal
        view = file.view
        view.resolutions_run += 1
        saga = Saga()
        # Each step carried out, by its label in the saga.
        done: dict[str, CompensationRecord] = {}
        for index, step in enumerate(proposal.compensations):
            key = f"{view.complaint_id}/resolution-{view.resolutions_run}/{index}-{step.kind}"
            try:
                receipt = await call_provider(
                    calls.DO_COMPENSATION[step.kind], self._compensation_request(key, step)
                )
            except ActivityError as err:
                journal.record(
                    TimelineKind.COMPENSATION_FAILED, SYSTEM_ACTOR, f"{step.kind}: {_cause(err)}"
                )
                await self._undo_all(saga, done)
                return
            label = f"{step.kind} {receipt.reference}"
            saga.add(label, partial(self._undo, key, receipt))
            record = CompensationRecord(
                kind=step.kind, amount=receipt.amount, reference=receipt.reference
            )
            done[label] = record
            view.compensations.append(record)
            journal.record(
                TimelineKind.COMPENSATION_DONE,
                SYSTEM_ACTOR,
                f"{step.kind} {receipt.amount} ({receipt.reference})",
            )
        carried_out = [
            CompensationLine(
                kind=record.kind,
                amount=Money(amount=record.amount, currency=file.currency),
                reference=record.reference,
            )
            for record in done.values()
            if not record.undone
        ]
        # How the return ended, when the resolution had one ("none": not eligible).
        return_outcome = ""
        if proposal.return_plan is not None:
            returned = await self._run_return(proposal.return_plan)
            completed = returned is not None and returned.status is ReturnStatus.COMPLETED
            ended = returned.outcome if completed and returned else None
            return_outcome = ended.value if ended else "none"
        view.root_cause = proposal.root_cause or view.root_cause
        view.needs_person = False
        event = journal.record(TimelineKind.RESOLVED, actor, proposal.message)
        journal.notify_customer(
            NotificationTemplate.RESOLUTION_OUTCOME,
            event,
            message=proposal.message,
            compensations=carried_out,
            return_outcome=return_outcome,
        )
        if proposal.final:
            self._clocks.close(CloseReason.RESOLVED)
        else:
            view.status = ComplaintStatus.OPEN

    async def _undo_all(self, saga: Saga, done: dict[str, CompensationRecord]) -> None:
        """Undoes the steps carried out, newest first; what the provider refuses to undo
        stays paid and counted, and a person is asked to settle it."""
        file, journal = self._file, self._journal
        undone, refused = await saga.compensate_all()
        for label in undone:
            done[label].undone = True
        event = journal.record(
            TimelineKind.COMPENSATION_UNDONE, SYSTEM_ACTOR, ", ".join(undone) or "nothing"
        )
        file.view.status = ComplaintStatus.OPEN
        journal.notify_customer(NotificationTemplate.RESOLUTION_FAILED, event)
        # Compensation the customer had was taken back (or could not be): theirs to hear
        # from a supervisor, not only from a letter.
        if undone or refused:
            self._recoveries.open(
                ServiceFailure.COMPENSATION_UNDONE,
                "; ".join([*undone, *(f"{label} (not undone)" for label in refused)]),
            )
        if refused:
            reason = "could not be undone: " + "; ".join(
                f"{label} ({_cause(err)})" for label, err in refused.items()
            )
            journal.hand_to_person(reason, file.staff_at(EscalationLevel.SUPERVISOR))

    async def _run_return(self, plan: ReturnPlan) -> ReturnView | None:
        """Runs the resolution's return as a child workflow and waits for it to close.

        The return is abandoned, not ended, if the complaint is: goods on their way back
        must still be received and settled.
        """
        view, journal = self._file.view, self._journal
        return_id = return_id_for(view.complaint_id, view.resolutions_run)
        view.return_ids.append(return_id)
        journal.record(TimelineKind.RETURN_STARTED, SYSTEM_ACTOR, return_id)
        await journal.flush()
        try:
            returned: ReturnView = await workflow.execute_child_workflow(
                "ReturnWorkflow",
                ReturnInput(
                    return_id=return_id,
                    request=return_request_for(view, plan),
                    received_at=workflow.now(),
                    # The return policy of the version the complaint opened under, which
                    # the child keeps for its life. Complaints opened before it was
                    # carried give the shipped one, as they did: the same start replays.
                    policy=self._file.return_policy or return_case_policy(),
                    policy_version=(
                        view.policy_version if self._file.return_policy is not None else None
                    ),
                ),
                id=return_workflow_id(return_id),
                result_type=ReturnView,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )
        except ChildWorkflowError as err:
            journal.record(TimelineKind.RETURN_CLOSED, SYSTEM_ACTOR, f"{return_id}: {err.cause}")
            return None
        journal.record(TimelineKind.RETURN_CLOSED, SYSTEM_ACTOR, f"{return_id}: {returned.status}")
        return returned

    def _compensation_request(self, key: str, step: Compensation) -> CompensationRequest:
        view = self._file.view
        order = view.intake.order
        return CompensationRequest(
            idempotency_key=key,
            complaint_id=view.complaint_id,
            customer_id=self._file.customer_id,
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
        return await call_provider(calls.UNDO_COMPENSATION[receipt.kind], undo, undoing=True)


def _cause(error: ActivityError) -> str:
    cause = error.cause
    return str(cause.message if isinstance(cause, ApplicationError) else cause or error)
