"""The complaint workflow's state: derived facts, SLA clocks, and what the shared case
bookkeeping (`workflows/case_state.py`) needs to know about complaints."""

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from domain import policy, sla
    from domain.calendar import BusinessCalendar
    from domain.complaints import (
        ActionResult,
        Classification,
        CloseReason,
        ComplaintPending,
        ComplaintProjection,
        ComplaintStatus,
        ComplaintView,
        Customer,
        PendingResolution,
        SlaClock,
        TimelineEvent,
        TimelineKind,
        providers_task_queue,
    )
    from domain.notifications import NotificationTemplate
    from domain.search_attributes import (
        COMPLAINT_CATEGORY,
        COMPLAINT_STATUS,
        COMPLAINT_TIER,
        SLA_BREACHED,
    )
    from domain.surveys import CaseKind, SurveyCase
    from domain.taxonomy import EscalationLevel
    from domain.wording import format_deadline
    from workflows import activity_calls as calls
    from workflows.case_state import SYSTEM_ACTOR, CaseState


class ComplaintState(CaseState):
    _event_model = TimelineEvent
    _failed_notification_kind = TimelineKind.NOTIFICATION_FAILED
    _needs_person_kind = TimelineKind.NEEDS_PERSON
    _needs_person_template = NotificationTemplate.NEEDS_PERSON
    _view: ComplaintView
    # A proposal accepted and not yet started, and a new category not yet routed.
    _pending_resolution: PendingResolution | None
    _reroute: bool
    # The resolution running beside the loop (compensation, then any return), if any.
    _resolution: "asyncio.Task[None] | None"

    def _init_state(self, view: ComplaintView, fresh: bool, pending: ComplaintPending) -> None:
        self._view = view
        self._init_case_state(fresh, pending.outbox, pending.unprojected)
        self._pending_resolution = pending.resolution
        self._reroute = pending.reroute
        self._resolution = None

    def _pending_work(self) -> ComplaintPending:
        """Returns what the next run must carry on with: everything accepted and not yet
        done (continue-as-new happens only while no resolution is running)."""
        return ComplaintPending(
            resolution=self._pending_resolution,
            reroute=self._reroute,
            outbox=self._outbox,
            unprojected=self._unprojected,
        )

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

    # --- Follow-up survey ----------------------------------------------------------------

    def _survey_case(self) -> SurveyCase:
        view, routing = self._view, self._view.routing
        assert view.closed_at is not None
        return SurveyCase(
            kind=CaseKind.COMPLAINT,
            case_id=view.complaint_id,
            closed_at=view.closed_at,
            customer=view.intake.customer,
            currency=self._currency,
            team=routing.team if routing else None,
            agent_id=view.assignee,
            supervisor_id=self._staff_at(EscalationLevel.SUPERVISOR),
            manager_id=self._staff_at(EscalationLevel.MANAGER),
            category=view.classification.category if view.classification else None,
        )

    # --- What CaseState needs to know --------------------------------------------------

    @property
    def _case_ref(self) -> str:
        return self._view.complaint_id

    @property
    def _customer(self) -> Customer:
        return self._view.intake.customer

    def _common_params(self) -> dict[str, str]:
        customer = self._view.intake.customer
        return {
            "complaint_id": self._view.complaint_id,
            "customer_name": customer.name or customer.id,
        }

    def _projection(self, new_events: list[Any]) -> tuple[str, Any]:
        return calls.PROJECT, ComplaintProjection(view=self._view, new_events=new_events)

    def _search_attribute_updates(self) -> list[SearchAttributeUpdate[Any]]:
        view = self._view
        updates: list[SearchAttributeUpdate[Any]] = [
            COMPLAINT_STATUS.value_set(view.status.value),
            SLA_BREACHED.value_set(view.sla_breached),
        ]
        if view.classification:
            updates += [
                COMPLAINT_CATEGORY.value_set(view.classification.category.value),
                COMPLAINT_TIER.value_set(view.classification.tier.value),
            ]
        return updates
