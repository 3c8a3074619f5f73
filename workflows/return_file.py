"""What a return's parts read about it: derived facts (final or not, its currency,
deadlines in each reader's time), how its journal files it, and what its follow-up
survey is told; and closing it."""

from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.complaints import Customer
    from domain.notifications import Moment, NotificationTemplate
    from domain.return_deadlines import ReturnCasePolicy
    from domain.returns import (
        RETURN_STAFF,
        ReturnEvent,
        ReturnEventKind,
        ReturnProjection,
        ReturnStatus,
        ReturnView,
    )
    from domain.search_attributes import (
        RETURN_COURIER,
        RETURN_OUTCOME,
        RETURN_OVERDUE,
        RETURN_REASON,
        RETURN_STATUS,
    )
    from domain.surveys import CaseKind, SurveyCase
    from domain.wording import format_deadline
    from workflows import activity_calls as calls
    from workflows.case_journal import SYSTEM_ACTOR, CaseJournal, JournalKinds

FINAL_STATUSES = {ReturnStatus.COMPLETED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED}
# Returns are not routed to a team; surveys and their reports file them under this one.
RETURNS_TEAM = "returns"

RETURN_JOURNAL = JournalKinds(
    event_model=ReturnEvent,
    notification_failed=ReturnEventKind.NOTIFICATION_FAILED,
    needs_person=ReturnEventKind.NEEDS_PERSON,
    needs_person_template=NotificationTemplate.RETURN_NEEDS_PERSON,
)


class ReturnFile:
    """Reads a return's view and the deadlines it runs under; implements `CaseFile` for
    its journal."""

    def __init__(self, view: ReturnView, policy: ReturnCasePolicy) -> None:
        self.view = view
        self.policy = policy

    @property
    def is_final(self) -> bool:
        return self.view.status in FINAL_STATUSES

    @property
    def currency(self) -> str:
        return self.view.request.orders[0].currency

    def deadline(self, moment: datetime | None, for_staff: bool = False) -> Moment | str:
        """Returns a deadline in the reader's time zone ("-": none)."""
        if moment is None:
            return "-"
        locale = self.view.request.customer.locale
        zone = policy.STAFF_TIMEZONE if for_staff else policy.CUSTOMER_TIMEZONE[locale]
        return Moment(at=moment, timezone=zone)

    @property
    def surveyed(self) -> bool:
        """Returns whether the closed return gets a survey: a settled one, not a rejected or
        cancelled one (nothing was done to rate), nor one a complaint started (the
        complaint's survey covers it)."""
        view = self.view
        return view.status is ReturnStatus.COMPLETED and view.request.complaint_id is None

    def survey_case(self) -> SurveyCase:
        view = self.view
        assert view.closed_at is not None
        return SurveyCase(
            kind=CaseKind.RETURN,
            case_id=view.return_id,
            closed_at=view.closed_at,
            customer=view.request.customer,
            currency=self.currency,
            team=RETURNS_TEAM,
            supervisor_id=RETURN_STAFF["supervisor"],
            manager_id=RETURN_STAFF["manager"],
        )

    def waiting_on(self) -> str:
        """Returns what the return waits for and until when: its current details in the
        Temporal UI."""
        view = self.view
        parcel = view.return_parcel.tracking_number if view.return_parcel else None
        waiting, until = {
            ReturnStatus.REQUESTED: ("the eligibility check", None),
            ReturnStatus.UNDER_REVIEW: (f"a review by the {view.review_level}", view.review_due_at),
            ReturnStatus.AWAITING_CONSENT: ("the customer's consent", view.consent_due_at),
            ReturnStatus.AWAITING_SHIPMENT: (f"the customer to ship {parcel}", view.ship_by),
            ReturnStatus.IN_TRANSIT: (f"parcel {parcel} to arrive", None),
            ReturnStatus.AWAITING_INSPECTION: (
                "the warehouse's inspection",
                view.inspection_due_at,
            ),
            ReturnStatus.SETTLING: (
                ("a person to retry the settlement", None)
                if view.needs_person
                else ("the settlement", None)
            ),
            ReturnStatus.EXCHANGE_IN_TRANSIT: ("the exchange to arrive", view.exchange_due_at),
        }.get(view.status, ("nothing: closed", None))
        details = f"{view.status}: waiting for {waiting}"
        if view.overdue:
            details += "; overdue"
        if until is not None:
            details += f"; due {format_deadline(until, 'UTC')}"
        return details

    def trim_seen_events(self) -> None:
        """Keeps only the newest courier event ids in state (the read model has them)."""
        del self.view.seen_events[: -policy.TIMELINE_IN_STATE]

    # --- CaseFile ----------------------------------------------------------------------

    def case_ref(self) -> str:
        # Notifications are filed by case; a return's workflow id names it.
        return f"return-{self.view.return_id}"

    def notification_key_prefix(self) -> str:
        return self.case_ref()

    def customer(self) -> Customer:
        return self.view.request.customer

    def common_params(self) -> dict[str, str]:
        return {"return_id": self.view.return_id}

    def projection(self, new_events: list[Any]) -> tuple[str, Any]:
        return calls.PROJECT_RETURN, ReturnProjection(view=self.view, new_events=new_events)

    def search_attribute_updates(self) -> list[SearchAttributeUpdate[Any]]:
        view = self.view
        updates: list[SearchAttributeUpdate[Any]] = [
            RETURN_STATUS.value_set(view.status.value),
            RETURN_REASON.value_set(view.request.reason.value),
            RETURN_OVERDUE.value_set(view.overdue),
        ]
        if view.return_parcel:
            updates.append(RETURN_COURIER.value_set(view.return_parcel.carrier))
        if view.outcome:
            updates.append(RETURN_OUTCOME.value_set(view.outcome.value))
        return updates


def finish(
    view: ReturnView, journal: CaseJournal, status: ReturnStatus, kind: ReturnEventKind, detail: str
) -> ReturnEvent:
    """Closes the return with `status`; returns the closing event."""
    view.status = status
    view.closed_at = workflow.now()
    view.overdue = False
    event: ReturnEvent = journal.record(kind, SYSTEM_ACTOR, detail)
    return event
