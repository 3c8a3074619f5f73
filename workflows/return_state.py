"""The return workflow's state and bookkeeping: timeline, queued notifications, the
read-model projection and search attributes."""

from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.notifications import Notification, NotificationTemplate, Recipient, RecipientKind
    from domain.returns import (
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
    from domain.taxonomy import Locale
    from workflows import activity_calls as calls
    from workflows.notify import send_queued

SYSTEM_ACTOR = "redress"
FINAL_STATUSES = {ReturnStatus.COMPLETED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED}


class ReturnState:
    _view: ReturnView
    _unprojected: list[ReturnEvent]
    _outbox: list[Notification]
    _changed: bool
    _search_attributes: tuple[str, ...]

    def _init_state(self, view: ReturnView, fresh: bool) -> None:
        self._view = view
        self._unprojected = []
        self._outbox = []
        self._changed = fresh
        self._search_attributes = ()

    @property
    def _is_final(self) -> bool:
        return self._view.status in FINAL_STATUSES

    @property
    def _currency(self) -> str:
        return self._view.request.orders[0].currency

    def _record(self, kind: ReturnEventKind, actor: str, detail: str = "") -> ReturnEvent:
        view = self._view
        view.timeline_total += 1
        event = ReturnEvent(
            seq=view.timeline_total, at=workflow.now(), kind=kind, actor=actor, detail=detail
        )
        view.timeline.append(event)
        self._unprojected.append(event)
        self._changed = True
        return event

    def _notify_customer(
        self, template: NotificationTemplate, cause: ReturnEvent, **params: str
    ) -> None:
        customer = self._view.request.customer
        recipient = Recipient(
            kind=RecipientKind.CUSTOMER, id=customer.id, address=customer.email or customer.phone
        )
        params = {"customer_name": customer.name or customer.id} | params
        self._queue(template, cause, recipient, customer.locale, params)

    def _notify_staff(
        self, template: NotificationTemplate, cause: ReturnEvent, staff_id: str, **params: str
    ) -> None:
        recipient = Recipient(kind=RecipientKind.STAFF, id=staff_id)
        self._queue(template, cause, recipient, policy.STAFF_LOCALE, params)

    def _queue(
        self,
        template: NotificationTemplate,
        cause: ReturnEvent,
        recipient: Recipient,
        locale: Locale,
        params: dict[str, str],
    ) -> None:
        return_id = self._view.return_id
        self._outbox.append(
            Notification(
                idempotency_key=f"return-{return_id}/{cause.seq}/{template}/{recipient.id}",
                # Notifications are filed by case; a return's id names it.
                complaint_id=f"return-{return_id}",
                template=template,
                locale=locale,
                recipient=recipient,
                params={"return_id": return_id} | params,
            )
        )

    def _finish(self, status: ReturnStatus, kind: ReturnEventKind, detail: str) -> ReturnEvent:
        self._view.status = status
        self._view.closed_at = workflow.now()
        self._view.overdue = False
        return self._record(kind, SYSTEM_ACTOR, detail)

    async def _flush(self) -> None:
        """Sends queued notifications, then projects the read model if anything changed."""
        await send_queued(self._outbox, self._record_failed_notification)
        if self._changed:
            self._changed = False
            self._view.updated_at = workflow.now()
            new_events, self._unprojected = self._unprojected, []
            await workflow.execute_local_activity(
                calls.PROJECT_RETURN,
                ReturnProjection(view=self._view, new_events=new_events),
                start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
            )
            del self._view.timeline[: -policy.TIMELINE_IN_STATE]
            del self._view.seen_events[: -policy.TIMELINE_IN_STATE]
        self._upsert_search_attributes()

    def _record_failed_notification(self, message: Notification, err: ActivityError) -> None:
        self._record(
            ReturnEventKind.NOTIFICATION_FAILED,
            SYSTEM_ACTOR,
            f"{message.template} to {message.recipient.id}: {err.cause or err}",
        )

    def _upsert_search_attributes(self) -> None:
        view = self._view
        courier = view.return_parcel.carrier if view.return_parcel else ""
        outcome = view.outcome.value if view.outcome else ""
        values = (view.status.value, courier, outcome, str(view.overdue))
        if values == self._search_attributes:
            return
        self._search_attributes = values
        updates: list[SearchAttributeUpdate[Any]] = [
            RETURN_STATUS.value_set(view.status.value),
            RETURN_REASON.value_set(view.request.reason.value),
            RETURN_OVERDUE.value_set(view.overdue),
        ]
        if courier:
            updates.append(RETURN_COURIER.value_set(courier))
        if outcome:
            updates.append(RETURN_OUTCOME.value_set(outcome))
        workflow.upsert_search_attributes(updates)
