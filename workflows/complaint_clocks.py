"""A complaint's clocks: SLA clocks started, paused, met and re-budgeted; and what happens
when a deadline passes (reminders and tiered escalation, reminding and giving up on a
silent customer, approvals that nobody decided)."""

from collections.abc import Callable
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import sla
    from domain.calendar import BusinessCalendar
    from domain.complaints import CloseReason, ComplaintStatus, SlaClock, TimelineKind
    from domain.deadlines import next_deadline
    from domain.notifications import Money, NotificationTemplate
    from domain.service_failures import ServiceFailure
    from domain.taxonomy import EscalationLevel, Tier, next_escalation_level
    from workflows.case_journal import SYSTEM_ACTOR, CaseJournal
    from workflows.complaint_file import ComplaintFile
    from workflows.complaint_recovery import ComplaintRecoveries


class ComplaintClocks:
    def __init__(
        self, file: ComplaintFile, journal: CaseJournal, recoveries: ComplaintRecoveries
    ) -> None:
        self._file = file
        self._journal = journal
        self._recoveries = recoveries

    # --- Changing the clocks -----------------------------------------------------------

    def start(self) -> None:
        view, now, rules = self._file.view, workflow.now(), self._file.sla_policy
        calendar = self._file.calendar
        view.first_response = sla.start_clock(
            "first_response", rules.first_response, now, calendar, rules.reminder_fraction
        )
        view.resolution = sla.start_clock(
            "resolution", rules.resolution, now, calendar, rules.reminder_fraction
        )

    def update_running(self, change: Callable[[SlaClock], SlaClock]) -> None:
        """Applies `change` to every SLA clock that has not been met yet."""
        view = self._file.view
        if view.first_response is not None and view.first_response.met_at is None:
            view.first_response = change(view.first_response)
        if view.resolution is not None and view.resolution.met_at is None:
            view.resolution = change(view.resolution)

    def first_response_given(self) -> None:
        view = self._file.view
        clock = view.first_response
        if clock is not None and clock.met_at is None:
            view.first_response = sla.meet_clock(clock, workflow.now(), self._file.calendar)

    def wait_on_customer(self) -> None:
        """Pauses the SLA clocks: time spent waiting on the customer is not the team's."""
        view, now, calendar = self._file.view, workflow.now(), self._file.calendar
        self.update_running(lambda c: sla.pause_clock(c, now, calendar))
        view.status = ComplaintStatus.WAITING_ON_CUSTOMER
        view.waiting_since = now
        view.customer_reminded = False

    def stop_waiting_on_customer(self) -> None:
        view, now, calendar = self._file.view, workflow.now(), self._file.calendar
        fraction = self._file.sla_policy.reminder_fraction
        self.update_running(lambda c: sla.resume_clock(c, now, calendar, fraction))
        view.status = ComplaintStatus.OPEN
        view.waiting_since = None
        view.pending_question = None

    def rebudget(self) -> None:
        """Gives the running clocks the budgets of the complaint's (new) tier."""
        now, rules, calendar = workflow.now(), self._file.sla_policy, self._file.calendar
        budgets = {"first_response": rules.first_response, "resolution": rules.resolution}
        self.update_running(
            lambda c: sla.rebudget_clock(c, budgets[c.name], now, calendar, rules.reminder_fraction)
        )

    def move_to(self, before: BusinessCalendar, after: BusinessCalendar) -> None:
        """Moves the running clocks to another team's hours: time already counted stays
        counted; the rest follows the new hours."""
        now, fraction = workflow.now(), self._file.sla_policy.reminder_fraction
        self.update_running(lambda c: sla.pause_clock(c, now, before))
        self.update_running(lambda c: sla.resume_clock(c, now, after, fraction))

    def close(self, reason: CloseReason) -> None:
        view, now = self._file.view, workflow.now()
        if reason is CloseReason.RESOLVED and view.resolution is not None:
            view.resolution = sla.meet_clock(view.resolution, now, self._file.calendar)
        else:
            calendar = self._file.calendar
            self.update_running(lambda c: sla.pause_clock(c, now, calendar))
        view.status = ComplaintStatus.CLOSED
        view.close_reason = reason
        view.closed_at = now
        view.waiting_since = None
        view.approval = None
        self._journal.record(TimelineKind.CLOSED, SYSTEM_ACTOR, reason)

    # --- When deadlines pass -------------------------------------------------------------

    async def wait_for(self, has_work: Callable[[], bool]) -> None:
        """Sleeps until `has_work()` or the next deadline passes."""
        deadline = next_deadline(self._file.view, self._file.policy.customer_wait)
        workflow.set_current_details(self._file.waiting_on(deadline))
        timeout = None if deadline is None else deadline - workflow.now()
        if timeout is not None and timeout.total_seconds() <= 0:
            return
        try:
            await workflow.wait_condition(
                has_work, timeout=timeout, timeout_summary="next SLA deadline"
            )
        except TimeoutError:
            pass

    def fire_due(self) -> None:
        now = workflow.now()
        view = self._file.view
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
        file = self._file
        event = self._journal.record(
            TimelineKind.SLA_REMINDER, SYSTEM_ACTOR, f"{clock.name} due soon"
        )
        self._journal.notify_staff(
            NotificationTemplate.SLA_REMINDER,
            event,
            file.staff_at(file.view.escalation_level),
            deadline=file.staff_deadline(clock.due_at),
            clock=clock.name,
        )
        return sla.mark_reminded(clock)

    def _escalate(self, clock: SlaClock, now: datetime) -> SlaClock:
        """A deadline passed: the complaint moves one step up the chain, and the new owner
        gets the tier's escalation window before it moves again."""
        file, journal = self._file, self._journal
        view = file.view
        journal.record(TimelineKind.SLA_BREACHED, SYSTEM_ACTOR, f"{clock.name} deadline passed")
        if file.classification.tier is Tier.CRITICAL:
            self._recoveries.open(
                ServiceFailure.CRITICAL_SLA_BREACHED, f"{clock.name} deadline passed"
            )
        higher = next_escalation_level(view.escalation_level)
        if higher is not None:
            view.escalation_level = higher
        event = journal.record(
            TimelineKind.ESCALATED,
            SYSTEM_ACTOR,
            f"{clock.name} breached: now with the {view.escalation_level}",
        )
        journal.notify_staff(
            NotificationTemplate.ESCALATION,
            event,
            file.staff_at(view.escalation_level),
            level=view.escalation_level.value,
            reason=f"{clock.name} deadline passed",
        )
        rules = file.sla_policy
        extended = sla.extend_clock(
            clock, rules.escalation_window, now, file.calendar, rules.reminder_fraction
        )
        return sla.mark_reminded(sla.mark_breached(extended))

    def _chase_customer(self, now: datetime, since: datetime) -> None:
        view, journal = self._file.view, self._journal
        if now >= since + self._file.policy.customer_wait.auto_close_after:
            self.close(CloseReason.NO_CUSTOMER_REPLY)
            closed = view.timeline[-1]
            journal.notify_customer(NotificationTemplate.AUTO_CLOSED, closed)
            self._recoveries.open(
                ServiceFailure.CLOSED_WITHOUT_ANSWER,
                f"no answer to: {view.pending_question or '-'}",
            )
        elif (
            not view.customer_reminded
            and now >= since + self._file.policy.customer_wait.reminder_after
        ):
            view.customer_reminded = True
            event = journal.record(TimelineKind.CUSTOMER_REMINDED, SYSTEM_ACTOR)
            journal.notify_customer(
                NotificationTemplate.INFO_REMINDER,
                event,
                question=view.pending_question or "-",
                deadline=self._file.customer_deadline(
                    since + self._file.policy.customer_wait.auto_close_after
                ),
            )

    def _escalate_approval(self, now: datetime) -> None:
        """An approval nobody decided goes to the manager; if the manager does not decide
        either, the proposal lapses and the complaint goes back to its agent."""
        file, journal = self._file, self._journal
        view = file.view
        approval = view.approval
        assert approval is not None
        if approval.level is EscalationLevel.SUPERVISOR:
            level = EscalationLevel.MANAGER
            escalated = approval.model_copy(
                update={"level": level, "due_at": now + file.policy.approval_windows[level]}
            )
            view.approval = escalated
            event = journal.record(TimelineKind.APPROVAL_ESCALATED, SYSTEM_ACTOR, level)
            journal.notify_staff(
                NotificationTemplate.APPROVAL_REQUESTED,
                event,
                file.staff_at(level),
                amount=Money(amount=approval.proposal.total_amount(), currency=file.currency),
                deadline=file.staff_deadline(escalated.due_at),
                proposed_by=approval.proposed_by,
            )
            return
        view.approval = None
        view.status = ComplaintStatus.OPEN
        event = journal.record(TimelineKind.APPROVAL_EXPIRED, SYSTEM_ACTOR)
        journal.notify_staff(
            NotificationTemplate.APPROVAL_EXPIRED,
            event,
            approval.proposed_by,
            amount=Money(amount=approval.proposal.total_amount(), currency=file.currency),
        )
