"""What happens when a complaint's timers fire: SLA reminders and tiered escalation,
reminding and giving up on a silent customer, and approvals that nobody decided."""

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import policy, sla
    from domain.complaints import CloseReason, ComplaintStatus, SlaClock, TimelineKind
    from domain.deadlines import next_deadline
    from domain.notifications import NotificationTemplate
    from domain.taxonomy import EscalationLevel, next_escalation_level
    from workflows.case_state import SYSTEM_ACTOR
    from workflows.complaint_state import ComplaintState


class ComplaintDeadlines(ComplaintState):
    async def _wait_for_work_or_deadline(self) -> None:
        """Sleeps until an update leaves work or the next deadline passes."""
        deadline = next_deadline(self._view)
        timeout = None if deadline is None else deadline - workflow.now()
        if timeout is not None and timeout.total_seconds() <= 0:
            return
        try:
            await workflow.wait_condition(self._has_work, timeout=timeout)
        except TimeoutError:
            pass

    def _has_work(self) -> bool:
        return bool(
            self._outbox
            or self._changed
            or self._pending_resolution
            or self._reroute
            or (self._resolution is not None and self._resolution.done())
            or self._view.status is ComplaintStatus.CLOSED
        )

    def _fire_due_deadlines(self) -> None:
        now = workflow.now()
        view = self._view
        if view.status is ComplaintStatus.CLOSED:
            return
        for name in ("first_response", "resolution"):
            clock: SlaClock | None = getattr(view, name)
            if clock is None or clock.running_since is None or clock.met_at is not None:
                continue
            if clock.reminder_at and not clock.reminded and clock.reminder_at <= now:
                clock = self._remind_staff(clock)
            if clock.due_at and clock.due_at <= now:
                clock = self._escalate(clock, now)
            setattr(view, name, clock)
        if view.status is ComplaintStatus.WAITING_ON_CUSTOMER and view.waiting_since:
            self._chase_customer(now, view.waiting_since)
        if view.status is ComplaintStatus.AWAITING_APPROVAL and view.approval:
            if view.approval.due_at <= now:
                self._escalate_approval(now)

    def _remind_staff(self, clock: SlaClock) -> SlaClock:
        level = self._view.escalation_level
        event = self._record(TimelineKind.SLA_REMINDER, SYSTEM_ACTOR, f"{clock.name} due soon")
        self._notify_staff(
            NotificationTemplate.SLA_REMINDER,
            event,
            self._staff_at(level),
            deadline=self._deadline_text(clock.due_at),
            clock=clock.name,
        )
        return sla.mark_reminded(clock)

    def _escalate(self, clock: SlaClock, now: datetime) -> SlaClock:
        """A deadline passed: the complaint moves one step up the chain, and the new owner
        gets the tier's escalation window before it moves again."""
        view = self._view
        view.sla_breached = True
        self._record(TimelineKind.SLA_BREACHED, SYSTEM_ACTOR, f"{clock.name} deadline passed")
        higher = next_escalation_level(view.escalation_level)
        if higher is not None:
            view.escalation_level = higher
        event = self._record(
            TimelineKind.ESCALATED,
            SYSTEM_ACTOR,
            f"{clock.name} breached: now with the {view.escalation_level}",
        )
        self._notify_staff(
            NotificationTemplate.ESCALATION,
            event,
            self._staff_at(view.escalation_level),
            level=view.escalation_level.value,
            reason=f"{clock.name} deadline passed",
        )
        rules = self._sla_policy
        extended = sla.extend_clock(
            clock, rules.escalation_window, now, self._calendar, rules.reminder_fraction
        )
        return sla.mark_reminded(sla.mark_breached(extended))

    def _chase_customer(self, now: datetime, since: datetime) -> None:
        view = self._view
        if now >= since + policy.CUSTOMER_WAIT.auto_close_after:
            self._close(CloseReason.NO_CUSTOMER_REPLY)
            closed = view.timeline[-1]
            self._notify_customer(NotificationTemplate.AUTO_CLOSED, closed)
        elif not view.customer_reminded and now >= since + policy.CUSTOMER_WAIT.reminder_after:
            view.customer_reminded = True
            event = self._record(TimelineKind.CUSTOMER_REMINDED, SYSTEM_ACTOR)
            self._notify_customer(
                NotificationTemplate.INFO_REMINDER,
                event,
                question=view.pending_question or "-",
                deadline=self._customer_deadline_text(
                    since + policy.CUSTOMER_WAIT.auto_close_after
                ),
            )

    def _escalate_approval(self, now: datetime) -> None:
        """An approval nobody decided goes to the manager; if the manager does not decide
        either, the proposal lapses and the complaint goes back to its agent."""
        view = self._view
        approval = view.approval
        assert approval is not None
        if approval.level is EscalationLevel.SUPERVISOR:
            level = EscalationLevel.MANAGER
            escalated = approval.model_copy(
                update={"level": level, "due_at": now + policy.APPROVAL_WINDOWS[level]}
            )
            view.approval = escalated
            event = self._record(TimelineKind.APPROVAL_ESCALATED, SYSTEM_ACTOR, level)
            self._notify_staff(
                NotificationTemplate.APPROVAL_REQUESTED,
                event,
                self._staff_at(level),
                amount=str(approval.proposal.total_amount()),
                currency=self._currency,
                deadline=self._deadline_text(escalated.due_at),
                proposed_by=approval.proposed_by,
            )
            return
        view.approval = None
        view.status = ComplaintStatus.OPEN
        event = self._record(TimelineKind.APPROVAL_EXPIRED, SYSTEM_ACTOR)
        self._notify_staff(
            NotificationTemplate.APPROVAL_EXPIRED,
            event,
            approval.proposed_by,
            amount=str(approval.proposal.total_amount()),
            currency=self._currency,
        )
