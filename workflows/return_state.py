"""The return workflow's state, and what the shared case bookkeeping
(`workflows/case_state.py`) needs to know about returns."""

from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.complaints import Customer
    from domain.notifications import NotificationTemplate
    from domain.returns import (
        RETURN_STAFF,
        ConsentDecision,
        InspectionReport,
        ReturnEvent,
        ReturnEventKind,
        ReturnPending,
        ReturnProjection,
        ReturnStatus,
        ReturnView,
        ReviewDecision,
        TrackingEvent,
    )
    from domain.search_attributes import (
        RETURN_COURIER,
        RETURN_OUTCOME,
        RETURN_OVERDUE,
        RETURN_REASON,
        RETURN_STATUS,
    )
    from domain.surveys import CaseKind, SurveyCase
    from workflows import activity_calls as calls
    from workflows.case_state import SYSTEM_ACTOR, CaseState

FINAL_STATUSES = {ReturnStatus.COMPLETED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED}
# Returns are not routed to a team; surveys and their reports file them under this one.
RETURNS_TEAM = "returns"


class ReturnState(CaseState):
    _event_model = ReturnEvent
    _failed_notification_kind = ReturnEventKind.NOTIFICATION_FAILED
    _needs_person_kind = ReturnEventKind.NEEDS_PERSON
    _needs_person_template = NotificationTemplate.RETURN_NEEDS_PERSON
    _view: ReturnView
    # What people and the courier sent that the loop has not taken yet.
    _review: ReviewDecision | None
    _consent: ConsentDecision | None
    _inspection: InspectionReport | None
    _retry_settlement: bool
    _tracking: list[TrackingEvent]

    def _init_state(self, view: ReturnView, fresh: bool, pending: ReturnPending) -> None:
        self._view = view
        self._init_case_state(fresh, pending.outbox, pending.unprojected)
        self._review = pending.review
        self._consent = pending.consent
        self._inspection = pending.inspection
        self._retry_settlement = pending.retry_settlement
        self._tracking = list(pending.tracking)

    def _pending_work(self) -> ReturnPending:
        """Returns what the next run must carry on with: everything accepted and not yet
        taken, sent or projected."""
        return ReturnPending(
            review=self._review,
            consent=self._consent,
            inspection=self._inspection,
            retry_settlement=self._retry_settlement,
            tracking=self._tracking,
            outbox=self._outbox,
            unprojected=self._unprojected,
        )

    @property
    def _is_final(self) -> bool:
        return self._view.status in FINAL_STATUSES

    @property
    def _currency(self) -> str:
        return self._view.request.orders[0].currency

    def _finish(self, status: ReturnStatus, kind: ReturnEventKind, detail: str) -> ReturnEvent:
        self._view.status = status
        self._view.closed_at = workflow.now()
        self._view.overdue = False
        event: ReturnEvent = self._record(kind, SYSTEM_ACTOR, detail)
        return event

    # --- Follow-up survey ----------------------------------------------------------------

    @property
    def _surveyed(self) -> bool:
        view = self._view
        return view.status is ReturnStatus.COMPLETED and view.request.complaint_id is None

    def _survey_case(self) -> SurveyCase:
        view = self._view
        assert view.closed_at is not None
        return SurveyCase(
            kind=CaseKind.RETURN,
            case_id=view.return_id,
            closed_at=view.closed_at,
            customer=view.request.customer,
            currency=self._currency,
            team=RETURNS_TEAM,
            supervisor_id=RETURN_STAFF["supervisor"],
            manager_id=RETURN_STAFF["manager"],
        )

    # --- What CaseState needs to know --------------------------------------------------

    @property
    def _case_ref(self) -> str:
        # Notifications are filed by case; a return's workflow id names it.
        return f"return-{self._view.return_id}"

    @property
    def _customer(self) -> Customer:
        return self._view.request.customer

    def _common_params(self) -> dict[str, str]:
        return {"return_id": self._view.return_id}

    def _projection(self, new_events: list[Any]) -> tuple[str, Any]:
        return calls.PROJECT_RETURN, ReturnProjection(view=self._view, new_events=new_events)

    def _trim_state(self) -> None:
        super()._trim_state()
        del self._view.seen_events[: -policy.TIMELINE_IN_STATE]

    def _search_attribute_updates(self) -> list[SearchAttributeUpdate[Any]]:
        view = self._view
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
