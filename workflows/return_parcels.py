"""Following a return's parcels: the label or pickup booked, the courier's scans taken one
at a time, a reminder and then a cancellation when nothing ships in time, a trace and
then a loss when a parcel stops moving, the warehouse asked to inspect what arrived; and
the exchange shipped back, until it reaches the customer.

A component the return workflow holds (`ReturnWorkflow`): it works on the workflow's
view, journal and pending events, and awaits nothing the workflow would not.
"""

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain import return_policy as rp
    from domain.notifications import NotificationTemplate
    from domain.returns import (
        RETURN_STAFF,
        LabelRequest,
        Parcel,
        ParcelCancellation,
        ReturnEventKind,
        ReturnPending,
        ReturnStatus,
        ReturnView,
        TraceRequest,
        TrackingEvent,
        TrackingStatus,
        couriers_task_queue,
    )
    from domain.taxonomy import RootCause
    from workflows import activity_calls as calls
    from workflows.case_journal import SYSTEM_ACTOR, CaseJournal
    from workflows.provider_calls import call_courier
    from workflows.return_file import ReturnFile, finish
    from workflows.return_settlement import ReturnSettler
    from workflows.waiting import wait_until


class ReturnParcels:
    def __init__(
        self,
        file: ReturnFile,
        journal: CaseJournal,
        pending: ReturnPending,
        settler: ReturnSettler,
    ) -> None:
        self._file = file
        self._journal = journal
        self._pending = pending
        self._settler = settler

    @property
    def _view(self) -> ReturnView:
        return self._file.view

    async def follow_parcel(self) -> None:
        view = self._view
        if view.return_parcel is None:
            await self._send_label()
            return
        deadline = rp.next_parcel_deadline(view, self._file.policy.shipping)
        if not await wait_until(lambda: bool(self._pending.tracking), deadline):
            await self._parcel_deadline_passed()
            return
        event = self._take_tracking_event()
        if view.return_parcel.parcel_id != event.parcel_id:
            return
        view.last_tracking = event.status
        match event.status:
            case TrackingStatus.PICKED_UP | TrackingStatus.IN_TRANSIT:
                if view.status is ReturnStatus.AWAITING_SHIPMENT:
                    view.status = ReturnStatus.IN_TRANSIT
                    view.picked_up_at = event.at
                    view.overdue = False
            case TrackingStatus.DELIVERED:
                self._expect_inspection(event.at)
            case TrackingStatus.LOST:
                await self._lost_in_transit()

    async def _send_label(self) -> None:
        view = self._view
        view.ship_by = rp.ship_by(workflow.now(), self._file.policy.shipping)
        parcel = await workflow.execute_activity(
            calls.CREATE_RETURN_LABEL,
            LabelRequest(
                idempotency_key=f"return-{view.return_id}/label",
                return_id=view.return_id,
                customer_id=view.request.customer.id,
                pickup_address=view.request.pickup_address,
                items=self._settler.returned_items(),
                ship_by=view.ship_by,
            ),
            result_type=Parcel,
            task_queue=couriers_task_queue(workflow.info().task_queue),
            start_to_close_timeout=calls.COURIER_START_TO_CLOSE,
            schedule_to_close_timeout=calls.COURIER_SCHEDULE_TO_CLOSE,
            retry_policy=calls.COURIER_RETRY,
        )
        view.return_parcel = parcel
        kind = (
            ReturnEventKind.PICKUP_BOOKED if parcel.pickup_booked else ReturnEventKind.LABEL_CREATED
        )
        event = self._journal.record(kind, parcel.carrier, parcel.tracking_number)
        self._journal.notify_customer(
            NotificationTemplate.RETURN_LABEL,
            event,
            tracking_number=parcel.tracking_number,
            label_url=parcel.label_url or "-",
            ship_by=self._file.deadline(view.ship_by),
            how="pickup" if parcel.pickup_booked else "drop_off",
        )

    async def _parcel_deadline_passed(self) -> None:
        view = self._view
        assert view.return_parcel is not None
        if view.status is ReturnStatus.AWAITING_SHIPMENT and not view.ship_reminded:
            view.ship_reminded = True
            event = self._journal.record(ReturnEventKind.SHIP_REMINDER, SYSTEM_ACTOR)
            self._journal.notify_customer(
                NotificationTemplate.RETURN_SHIP_REMINDER,
                event,
                ship_by=self._file.deadline(view.ship_by),
            )
        elif view.status is ReturnStatus.AWAITING_SHIPMENT:
            await self._cancel_unshipped()
        elif not view.trace_opened:
            view.trace_opened = True
            view.overdue = True
            await call_courier(
                calls.OPEN_TRACE,
                TraceRequest(
                    idempotency_key=f"return-{view.return_id}/trace",
                    parcel_id=view.return_parcel.parcel_id,
                    reason="no scan since pickup",
                ),
            )
            event = self._journal.record(ReturnEventKind.TRACE_OPENED, SYSTEM_ACTOR)
            self._journal.notify_customer(
                NotificationTemplate.RETURN_TRACE_OPENED,
                event,
                tracking_number=view.return_parcel.tracking_number,
            )
        else:
            await self._lost_in_transit()

    async def _cancel_unshipped(self) -> None:
        view = self._view
        assert view.return_parcel is not None
        try:
            await call_courier(
                calls.CANCEL_PARCEL,
                ParcelCancellation(
                    idempotency_key=f"return-{view.return_id}/cancel",
                    parcel_id=view.return_parcel.parcel_id,
                ),
                result_type=Parcel,
            )
        except ActivityError:
            # The courier says the parcel already moved: its scan is on the way, so wait.
            view.ship_by = workflow.now()
            view.overdue = True
            self._journal.record(
                ReturnEventKind.NEEDS_PERSON, SYSTEM_ACTOR, "label could not be voided"
            )
            return
        done = finish(
            view,
            self._journal,
            ReturnStatus.CANCELLED,
            ReturnEventKind.CANCELLED,
            "not shipped in time",
        )
        self._journal.notify_customer(
            NotificationTemplate.RETURN_CANCELLED, done, reason="not shipped in time"
        )

    async def _lost_in_transit(self) -> None:
        """The carrier lost the parcel: the customer is not made to pay for it; the refund
        goes ahead in full and the carrier is claimed against."""
        view = self._view
        view.last_tracking = TrackingStatus.LOST
        view.root_cause = RootCause.CARRIER
        view.status = ReturnStatus.SETTLING

    def _expect_inspection(self, delivered_at: datetime) -> None:
        view = self._view
        view.status = ReturnStatus.AWAITING_INSPECTION
        view.delivered_at = delivered_at
        view.overdue = False
        self.ask_for_inspection(ReturnEventKind.INSPECTION_REQUESTED, "warehouse")

    def ask_for_inspection(self, kind: ReturnEventKind, staff: str) -> None:
        """Gives the inspection a new deadline, records `kind` and asks `staff` for it."""
        view = self._view
        view.inspection_due_at = workflow.now() + self._file.policy.inspection_window
        event = self._journal.record(kind, SYSTEM_ACTOR)
        self._journal.notify_staff(
            NotificationTemplate.RETURN_INSPECTION_REQUESTED,
            event,
            RETURN_STAFF[staff],
            deadline=self._file.deadline(view.inspection_due_at, for_staff=True),
        )

    async def follow_exchange(self) -> None:
        """The return is done when the exchange reaches the customer; a parcel that stops
        moving is put in front of a person."""
        view = self._view
        assert view.outbound_parcel is not None and view.exchange_due_at is not None
        if not await wait_until(lambda: bool(self._pending.tracking), view.exchange_due_at):
            view.overdue = True
            view.exchange_due_at = rp.exchange_checked_again_at(
                workflow.now(), self._file.policy.shipping
            )
            reason = f"exchange {view.outbound_parcel.tracking_number} is not moving"
            event = self._journal.record(ReturnEventKind.NEEDS_PERSON, SYSTEM_ACTOR, reason)
            self._journal.notify_staff(
                NotificationTemplate.RETURN_NEEDS_PERSON,
                event,
                RETURN_STAFF["supervisor"],
                reason=reason,
            )
            return
        scan = self._take_tracking_event()
        if scan.parcel_id == view.outbound_parcel.parcel_id and (
            scan.status is TrackingStatus.DELIVERED
        ):
            self._settler.complete()

    def _take_tracking_event(self) -> TrackingEvent:
        event = self._pending.tracking.pop(0)
        self._view.seen_events.append(event.event_id)
        self._journal.record(
            ReturnEventKind.TRACKING,
            "courier",
            f"{event.status}: {event.detail} ({event.tracking_number})",
        )
        return event
