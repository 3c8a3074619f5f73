"""Sandbox parcel rows and their tracking events, shared by the sandbox courier and its
simulator: recording an event, moving a parcel one step, and the contract types they map to.
"""

import uuid
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from activities.couriers.plan import CourierPlan, next_status
from domain.returns import Parcel, ParcelDirection, TrackingEvent, TrackingStatus
from store.tables.couriers import ParcelFate, SandboxParcel, SandboxParcelEvent

_OUTBOUND_DETAIL = {
    TrackingStatus.LABEL_CREATED: "label created at the warehouse",
    TrackingStatus.PICKED_UP: "collected from the warehouse",
    TrackingStatus.IN_TRANSIT: "on its way to the customer",
    TrackingStatus.DELIVERED: "delivered to the customer",
}
_RETURN_DETAIL = {
    TrackingStatus.LABEL_CREATED: "label created; waiting for the customer to hand it in",
    TrackingStatus.PICKED_UP: "handed in at a drop-off point",
    TrackingStatus.IN_TRANSIT: "on its way to the warehouse",
    TrackingStatus.DELIVERED: "delivered to the warehouse",
}
_PICKUP_DETAIL = _RETURN_DETAIL | {
    TrackingStatus.LABEL_CREATED: "pickup booked at the customer's address",
    TrackingStatus.PICKED_UP: "collected from the customer's door",
}
_ANY_DETAIL = {
    TrackingStatus.EXCEPTION: "delivery attempt failed; the courier will try again",
    TrackingStatus.LOST: "the courier cannot find the parcel and declares it lost",
    TrackingStatus.CANCELLED: "cancelled before the courier collected it",
}


def describe(parcel: SandboxParcel, status: TrackingStatus) -> str:
    """Returns the courier's words for `parcel` reaching `status`."""
    if parcel.direction == ParcelDirection.OUTBOUND:
        details = _OUTBOUND_DETAIL
    elif parcel.pickup_booked:
        details = _PICKUP_DETAIL
    else:
        details = _RETURN_DETAIL
    return details.get(status) or _ANY_DETAIL.get(status, "")


def record_event(
    session: Session, parcel: SandboxParcel, status: TrackingStatus, at: datetime
) -> SandboxParcelEvent:
    """Returns a new event of `parcel`, added to `session` (the caller commits)."""
    seq = session.exec(
        select(func.count()).where(SandboxParcelEvent.parcel_id == parcel.parcel_id)
    ).one()
    event = SandboxParcelEvent(
        event_id=f"EVT-{uuid.uuid4().hex}",
        parcel_id=parcel.parcel_id,
        seq=seq,
        status=status,
        at=at,
        detail=describe(parcel, status),
    )
    session.add(event)
    parcel.status = status
    session.add(parcel)
    session.flush()
    return event


def schedule_next(parcel: SandboxParcel, plan: CourierPlan, now: datetime) -> None:
    """Sets when `parcel` moves on next along its fate's route (None at the route's end)."""
    upcoming = next_status(ParcelFate(parcel.fate), parcel.events_sent)
    parcel.next_event_at = None if upcoming is None else now + plan.delay_before(upcoming)


def advance(
    session: Session, parcel: SandboxParcel, plan: CourierPlan, now: datetime
) -> SandboxParcelEvent | None:
    """Returns the event of moving `parcel` one step along its route at `now`, or None
    when it has nowhere left to go (the caller commits)."""
    if parcel.status == TrackingStatus.CANCELLED:
        parcel.next_event_at = None
        return None
    status = next_status(ParcelFate(parcel.fate), parcel.events_sent)
    if status is None:
        parcel.next_event_at = None
        return None
    event = record_event(session, parcel, status, now)
    parcel.events_sent += 1
    schedule_next(parcel, plan, now)
    session.add(parcel)
    session.flush()
    return event


def events_of(session: Session, parcel_id: str) -> list[SandboxParcelEvent]:
    """Returns the events of a parcel, oldest first."""
    return list(
        session.exec(
            select(SandboxParcelEvent)
            .where(SandboxParcelEvent.parcel_id == parcel_id)
            .order_by(col(SandboxParcelEvent.seq))
        )
    )


def to_parcel(row: SandboxParcel) -> Parcel:
    """Returns the contract's view of a sandbox parcel."""
    return Parcel(
        parcel_id=row.parcel_id,
        tracking_number=row.tracking_number,
        carrier=row.carrier,
        direction=ParcelDirection(row.direction),
        label_url=row.label_url,
        pickup_booked=row.pickup_booked,
    )


def to_tracking_event(event: SandboxParcelEvent, tracking_number: str) -> TrackingEvent:
    """Returns the contract's view of a sandbox parcel event."""
    return TrackingEvent(
        event_id=event.event_id,
        parcel_id=event.parcel_id,
        tracking_number=tracking_number,
        status=TrackingStatus(event.status),
        at=event.at,
        detail=event.detail,
    )
