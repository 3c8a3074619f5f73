"""What a complaint's parts read about it: derived facts (its customer, calendar, SLA
rules, who owns it at each level, deadlines in each reader's time), how its journal files
it, and what its follow-up survey is told."""

from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.calendar import BusinessCalendar
    from domain.complaint_policy import ComplaintPolicy, SlaPolicy
    from domain.complaints import (
        ActionResult,
        Classification,
        ComplaintProjection,
        ComplaintStatus,
        ComplaintView,
        Customer,
        providers_task_queue,
    )
    from domain.notifications import Moment
    from domain.resolution_preview import owner_at
    from domain.return_deadlines import ReturnCasePolicy
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


class ComplaintFile:
    """Reads a complaint's view and the policies it runs under; implements `CaseFile` for
    its journal."""

    def __init__(
        self,
        view: ComplaintView,
        policy: ComplaintPolicy,
        *,
        return_policy: ReturnCasePolicy | None = None,
    ) -> None:
        self.view = view
        self.policy = policy
        # What a return the resolution starts runs under (None: the shipped values).
        self.return_policy = return_policy

    # --- Derived facts -----------------------------------------------------------------

    @property
    def customer_id(self) -> str:
        return self.view.intake.customer.id

    @property
    def classification(self) -> Classification:
        assert self.view.classification is not None, "classified during intake"
        return self.view.classification

    @property
    def calendar(self) -> BusinessCalendar:
        assert self.view.routing is not None, "routed during intake"
        return self.view.routing.calendar

    @property
    def sla_policy(self) -> SlaPolicy:
        return self.policy.sla[self.classification.tier]

    @property
    def providers_queue(self) -> str:
        return providers_task_queue(workflow.info().task_queue)

    @property
    def currency(self) -> str:
        order = self.view.intake.order
        return order.currency if order else "CNY"

    def staff_at(self, level: EscalationLevel) -> str:
        """Returns who owns the complaint at `level` (a team mailbox when nobody is named)."""
        return owner_at(self.view, level)

    def staff_deadline(self, moment: datetime | None) -> Moment | str:
        """Returns a deadline in the team's time zone, for staff messages ("-": none)."""
        routing = self.view.routing
        if moment is None:
            return "-"
        return Moment(at=moment, timezone=routing.calendar.timezone if routing else "UTC")

    def customer_deadline(self, moment: datetime | None) -> Moment | str:
        """Returns a deadline in the customer's time zone, for customer messages."""
        if moment is None:
            return "-"
        locale = self.view.intake.customer.locale
        return Moment(at=moment, timezone=policy.CUSTOMER_TIMEZONE[locale])

    def waiting_on(self, deadline: datetime | None) -> str:
        """Returns what the complaint waits for and until when: its current details in the
        Temporal UI."""
        view = self.view
        waiting = {
            ComplaintStatus.RECEIVED: "classification and routing",
            ComplaintStatus.OPEN: f"{view.assignee or 'an agent'} ({view.escalation_level})",
            ComplaintStatus.WAITING_ON_CUSTOMER: "the customer's answer",
            ComplaintStatus.AWAITING_APPROVAL: (
                f"approval by the {view.approval.level}" if view.approval else "approval"
            ),
            ComplaintStatus.RESOLVING: "compensation, or the return, to finish",
            ComplaintStatus.CLOSED: "nothing: closed",
        }[view.status]
        details = f"{view.status}: waiting for {waiting}"
        if view.needs_person:
            details += "; needs a person"
        if deadline is not None:
            details += f"; next deadline {format_deadline(deadline, 'UTC')}"
        return details

    def result(self, detail: str) -> ActionResult:
        return ActionResult(status=self.view.status, detail=detail)

    def survey_case(self) -> SurveyCase:
        view, routing = self.view, self.view.routing
        assert view.closed_at is not None
        return SurveyCase(
            kind=CaseKind.COMPLAINT,
            case_id=view.complaint_id,
            closed_at=view.closed_at,
            customer=view.intake.customer,
            currency=self.currency,
            team=routing.team if routing else None,
            agent_id=view.assignee,
            supervisor_id=self.staff_at(EscalationLevel.SUPERVISOR),
            manager_id=self.staff_at(EscalationLevel.MANAGER),
            category=view.classification.category if view.classification else None,
        )

    # --- CaseFile ----------------------------------------------------------------------

    def case_ref(self) -> str:
        return self.view.complaint_id

    def notification_key_prefix(self) -> str:
        return self.view.complaint_id

    def customer(self) -> Customer:
        return self.view.intake.customer

    def common_params(self) -> dict[str, str]:
        customer = self.view.intake.customer
        return {
            "complaint_id": self.view.complaint_id,
            "customer_name": customer.name or customer.id,
        }

    def projection(self, new_events: list[Any]) -> tuple[str, Any]:
        return calls.PROJECT, ComplaintProjection(view=self.view, new_events=new_events)

    def search_attribute_updates(self) -> list[SearchAttributeUpdate[Any]]:
        view = self.view
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
