"""The complaint workflow's state and the bookkeeping every step shares: timeline,
SLA clocks, queued notifications, the read-model projection and search attributes."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain import policy, sla
    from domain.calendar import BusinessCalendar
    from domain.compensation import CompensationKind, ResolutionProposal
    from domain.complaints import (
        ActionResult,
        Classification,
        CloseReason,
        ComplaintProjection,
        ComplaintStatus,
        ComplaintView,
        SlaClock,
        TimelineEvent,
        TimelineKind,
        providers_task_queue,
    )
    from domain.notifications import Notification, NotificationTemplate, Recipient, RecipientKind
    from domain.search_attributes import (
        COMPLAINT_CATEGORY,
        COMPLAINT_STATUS,
        COMPLAINT_TIER,
        SLA_BREACHED,
    )
    from domain.taxonomy import EscalationLevel, Locale
    from domain.wording import format_deadline
    from workflows import activity_calls as calls
    from workflows.notify import send_queued

SYSTEM_ACTOR = "redress"


class ComplaintState:
    _view: ComplaintView
    # Timeline events not yet written to the read model.
    _unprojected: list[TimelineEvent]
    # Notifications waiting for the loop to send them, oldest first.
    _outbox: list[Notification]
    _pending_resolution: tuple[ResolutionProposal, str] | None
    _reroute: bool
    _changed: bool
    _search_attributes: tuple[str, ...]

    def _init_state(self, view: ComplaintView, fresh: bool) -> None:
        self._view = view
        self._unprojected = []
        self._outbox = []
        self._pending_resolution = None
        self._reroute = False
        self._changed = fresh
        self._search_attributes = ()

    # --- Derived facts -----------------------------------------------------------------

    @property
    def _customer_id(self) -> str:
        return self._view.intake.customer.id

    @property
    def _classification(self) -> Classification:
        assert self._view.classification is not None, "classified during intake"
        return self._view.classification

    @property
    def _calendar(self) -> BusinessCalendar:
        assert self._view.routing is not None, "routed during intake"
        return self._view.routing.calendar

    @property
    def _sla_policy(self) -> policy.SlaPolicy:
        return policy.SLA_POLICIES[self._classification.tier]

    @property
    def _providers_queue(self) -> str:
        return providers_task_queue(workflow.info().task_queue)

    def _staff_at(self, level: EscalationLevel) -> str:
        """Returns who owns the complaint at `level` (a team mailbox when nobody is named)."""
        routing = self._view.routing
        owner = {
            EscalationLevel.AGENT: self._view.assignee,
            EscalationLevel.SUPERVISOR: routing.supervisor_id if routing else None,
            EscalationLevel.MANAGER: routing.manager_id if routing else None,
        }[level]
        return owner or f"team:{routing.team if routing else 'unrouted'}:{level}"

    @property
    def _currency(self) -> str:
        order = self._view.intake.order
        return order.currency if order else "CNY"

    def _deadline_text(self, moment: datetime | None) -> str:
        """Returns a deadline as the team's local time, for staff messages."""
        routing = self._view.routing
        if moment is None:
            return "-"
        return format_deadline(moment, routing.calendar.timezone if routing else "UTC")

    def _customer_deadline_text(self, moment: datetime | None) -> str:
        """Returns a deadline as the customer's local time, for customer messages."""
        if moment is None:
            return "-"
        locale = self._view.intake.customer.locale
        return format_deadline(moment, policy.CUSTOMER_TIMEZONE[locale])

    def _result(self, detail: str) -> ActionResult:
        return ActionResult(status=self._view.status, detail=detail)

    # --- SLA clocks --------------------------------------------------------------------

    def _start_sla_clocks(self) -> None:
        now, rules = workflow.now(), self._sla_policy
        self._view.first_response = sla.start_clock(
            "first_response", rules.first_response, now, self._calendar, rules.reminder_fraction
        )
        self._view.resolution = sla.start_clock(
            "resolution", rules.resolution, now, self._calendar, rules.reminder_fraction
        )

    def _update_clocks(self, change: Callable[[SlaClock], SlaClock]) -> None:
        """Applies `change` to every SLA clock that has not been met yet."""
        view = self._view
        if view.first_response is not None and view.first_response.met_at is None:
            view.first_response = change(view.first_response)
        if view.resolution is not None and view.resolution.met_at is None:
            view.resolution = change(view.resolution)

    def _first_response_given(self) -> None:
        clock = self._view.first_response
        if clock is not None and clock.met_at is None:
            self._view.first_response = sla.meet_clock(clock, workflow.now(), self._calendar)

    def _wait_on_customer(self) -> None:
        """Pauses the SLA clocks: time spent waiting on the customer is not the team's."""
        now = workflow.now()
        self._update_clocks(lambda c: sla.pause_clock(c, now, self._calendar))
        self._view.status = ComplaintStatus.WAITING_ON_CUSTOMER
        self._view.waiting_since = now
        self._view.customer_reminded = False

    def _stop_waiting_on_customer(self) -> None:
        now, fraction = workflow.now(), self._sla_policy.reminder_fraction
        self._update_clocks(lambda c: sla.resume_clock(c, now, self._calendar, fraction))
        self._view.status = ComplaintStatus.OPEN
        self._view.waiting_since = None
        self._view.pending_question = None

    def _close(self, reason: CloseReason) -> None:
        now = workflow.now()
        if reason is CloseReason.RESOLVED and self._view.resolution is not None:
            self._view.resolution = sla.meet_clock(self._view.resolution, now, self._calendar)
        else:
            self._update_clocks(lambda c: sla.pause_clock(c, now, self._calendar))
        self._view.status = ComplaintStatus.CLOSED
        self._view.close_reason = reason
        self._view.closed_at = now
        self._view.waiting_since = None
        self._view.approval = None
        self._record(TimelineKind.CLOSED, SYSTEM_ACTOR, reason)

    def _recount_refunds(self) -> None:
        self._view.refunded_total = sum(
            (
                c.amount
                for c in self._view.compensations
                if c.kind == CompensationKind.REFUND and not c.undone
            ),
            Decimal("0"),
        )

    # --- Timeline and notifications ------------------------------------------------------

    def _record(self, kind: TimelineKind, actor: str, detail: str = "") -> TimelineEvent:
        view = self._view
        view.timeline_total += 1
        event = TimelineEvent(
            seq=view.timeline_total, at=workflow.now(), kind=kind, actor=actor, detail=detail
        )
        view.timeline.append(event)
        self._unprojected.append(event)
        self._changed = True
        return event

    def _notify_customer(
        self, template: NotificationTemplate, cause: TimelineEvent, **params: str
    ) -> None:
        customer = self._view.intake.customer
        recipient = Recipient(
            kind=RecipientKind.CUSTOMER, id=customer.id, address=customer.email or customer.phone
        )
        self._queue_notification(template, cause, recipient, customer.locale, params)

    def _notify_staff(
        self, template: NotificationTemplate, cause: TimelineEvent, staff_id: str, **params: str
    ) -> None:
        recipient = Recipient(kind=RecipientKind.STAFF, id=staff_id)
        self._queue_notification(template, cause, recipient, policy.STAFF_LOCALE, params)

    def _queue_notification(
        self,
        template: NotificationTemplate,
        cause: TimelineEvent,
        recipient: Recipient,
        locale: Locale,
        params: dict[str, str],
    ) -> None:
        view = self._view
        common = {
            "complaint_id": view.complaint_id,
            "customer_name": view.intake.customer.name or view.intake.customer.id,
        }
        self._outbox.append(
            Notification(
                # One message per timeline event, template and recipient: a retried
                # activity or a replayed workflow sends the same message, not another.
                idempotency_key=f"{view.complaint_id}/{cause.seq}/{template}/{recipient.id}",
                complaint_id=view.complaint_id,
                template=template,
                locale=locale,
                recipient=recipient,
                params=common | params,
            )
        )

    # --- Side effects of state: messages, read model, search attributes ----------------------

    async def _flush(self) -> None:
        """Sends queued notifications, then projects the read model if anything changed."""
        await send_queued(self._outbox, self._record_failed_notification)
        if self._changed:
            self._changed = False
            self._view.updated_at = workflow.now()
            new_events, self._unprojected = self._unprojected, []
            await workflow.execute_local_activity(
                calls.PROJECT,
                ComplaintProjection(view=self._view, new_events=new_events),
                start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
            )
            # The read model has every event; state keeps the newest to stay small.
            del self._view.timeline[: -policy.TIMELINE_IN_STATE]
        self._upsert_search_attributes()

    def _record_failed_notification(self, message: Notification, err: ActivityError) -> None:
        self._record(
            TimelineKind.NOTIFICATION_FAILED,
            SYSTEM_ACTOR,
            f"{message.template} to {message.recipient.id}: {err.cause or err}",
        )

    def _upsert_search_attributes(self) -> None:
        view = self._view
        classification = view.classification
        values = (
            view.status.value,
            classification.category.value if classification else "",
            classification.tier.value if classification else "",
            str(view.sla_breached),
        )
        if values == self._search_attributes:
            return
        self._search_attributes = values
        updates: list[SearchAttributeUpdate[Any]] = [
            COMPLAINT_STATUS.value_set(view.status.value),
            SLA_BREACHED.value_set(view.sla_breached),
        ]
        if classification:
            updates += [
                COMPLAINT_CATEGORY.value_set(classification.category.value),
                COMPLAINT_TIER.value_set(classification.tier.value),
            ]
        workflow.upsert_search_attributes(updates)

    def _history_is_long(self) -> bool:
        info = workflow.info()
        return (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() > policy.CONTINUE_AS_NEW_AFTER_EVENTS
        )
