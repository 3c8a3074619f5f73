"""The sandbox courier: parcels, traces and claims kept in Redress's own store.

As far as Redress can tell it behaves like a courier: every call is idempotent on its
key, a parcel the courier already has cannot be cancelled, and it fails on demand
(`FaultPlan`). Parcels move on by themselves: `CourierSimulator` walks each one along the
route its fate (drawn here, by the `CourierPlan`) prescribes, and posts every tracking
event to the courier webhook, as a real courier would.
"""

import json
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from activities.couriers.errors import (
    CourierRefused,
    IdempotencyKeyReused,
    InvalidProviderRequest,
    ParcelAlreadyMoving,
    ProviderUnavailable,
    UnknownParcel,
)
from activities.couriers.parcels import (
    events_of,
    record_event,
    schedule_next,
    to_parcel,
    to_tracking_event,
)
from activities.couriers.plan import CourierPlan
from activities.faults import FaultPlan
from activities.idempotency import lock_for_write, write_once
from domain.returns import (
    ClaimReceipt,
    ClaimRequest,
    LabelRequest,
    OutboundRequest,
    Parcel,
    ParcelCancellation,
    ParcelDirection,
    ParcelItem,
    TraceRequest,
    TrackingEvent,
    TrackingStatus,
)
from store.db import SessionFactory
from store.tables.couriers import CarrierClaim, CourierTrace, SandboxParcel

CARRIER = "sandbox"

# Parcels the courier never carried: nothing to trace or claim.
_NEVER_CARRIED = {TrackingStatus.LABEL_CREATED, TrackingStatus.CANCELLED}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SandboxCourier:
    """A `CourierProvider` whose parcels live in `store.tables.couriers`."""

    def __init__(
        self,
        sessions: SessionFactory,
        faults: FaultPlan | None = None,
        plan: CourierPlan | None = None,
        *,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._sessions = sessions
        self._faults = faults or FaultPlan()
        self._plan = plan or CourierPlan()
        self._clock = clock

    def create_return_label(self, request: LabelRequest) -> Parcel:
        """Returns a return parcel: a pickup booked at `request.pickup_address`, or a
        drop-off label that the sandbox customer hands in after the first step delay."""
        return self._create(
            key=request.idempotency_key,
            direction=ParcelDirection.RETURN,
            return_id=request.return_id,
            customer_id=request.customer_id,
            items=request.items,
            pickup_booked=request.pickup_address is not None,
            ship_by=request.ship_by,
        )

    def create_outbound_shipment(self, request: OutboundRequest) -> Parcel:
        """Returns a parcel from the warehouse to the customer, collected after one step."""
        return self._create(
            key=request.idempotency_key,
            direction=ParcelDirection.OUTBOUND,
            return_id=request.return_id,
            customer_id=request.customer_id,
            items=request.items,
            pickup_booked=False,
            ship_by=None,
        )

    def cancel_parcel(self, cancellation: ParcelCancellation) -> Parcel:
        """Returns the parcel, cancelled; a cancelled parcel stays so whatever the key."""
        key, parcel_id = cancellation.idempotency_key, cancellation.parcel_id
        self._fail_if_unavailable(key)
        with self._sessions() as session:
            lock_for_write(session)
            parcel = _parcel_for_update(session, parcel_id)
            if parcel.status == TrackingStatus.CANCELLED:
                return to_parcel(parcel)
            other = session.exec(
                select(SandboxParcel).where(col(SandboxParcel.cancel_idempotency_key) == key)
            ).first()
            if other is not None:
                raise IdempotencyKeyReused(
                    f"idempotency key {key} already cancelled parcel {other.parcel_id}; "
                    f"send a new key to cancel {parcel_id}",
                    parcel_id=other.parcel_id,
                )
            if parcel.status != TrackingStatus.LABEL_CREATED:
                raise ParcelAlreadyMoving(
                    f"parcel {parcel_id} is already {parcel.status} and can no longer be "
                    "cancelled; wait for it to arrive and handle it there",
                    parcel_id=parcel_id,
                    status=parcel.status,
                )
            now = self._clock()
            parcel.cancelled_at = now
            parcel.cancel_idempotency_key = key
            parcel.next_event_at = None
            record_event(session, parcel, TrackingStatus.CANCELLED, now)
            session.commit()
        self._fail_if_response_lost(f"parcel {parcel_id} was cancelled", key)
        return to_parcel(parcel)

    def open_trace(self, request: TraceRequest) -> None:
        """Opens a trace on a parcel; a repeated request changes nothing."""
        key = request.idempotency_key
        self._fail_if_unavailable(key)

        def create(session: Session) -> CourierTrace:
            parcel = _parcel(session, request.parcel_id)
            if parcel.status == TrackingStatus.CANCELLED:
                raise CourierRefused(
                    f"parcel {request.parcel_id} was cancelled; there is nothing to trace",
                    parcel_id=request.parcel_id,
                )
            trace = CourierTrace(
                idempotency_key=key,
                parcel_id=request.parcel_id,
                reason=request.reason,
                created_at=self._clock(),
            )
            session.add(trace)
            session.flush()
            return trace

        trace, created = write_once(
            self._sessions,
            find=lambda session: session.exec(
                select(CourierTrace).where(CourierTrace.idempotency_key == key)
            ).first(),
            create=create,
        )
        if trace.parcel_id != request.parcel_id:
            raise IdempotencyKeyReused(
                f"idempotency key {key} already opened a trace on parcel {trace.parcel_id}; "
                f"send a new key to trace {request.parcel_id}",
                parcel_id=trace.parcel_id,
            )
        if created:
            self._fail_if_response_lost(f"a trace on parcel {request.parcel_id} was opened", key)

    def file_claim(self, request: ClaimRequest) -> ClaimReceipt:
        """Returns the receipt of a claim; a parcel is claimed once, so a second claim on
        it, whatever its key, gets the first claim's receipt."""
        key = request.idempotency_key
        if request.amount <= 0:
            raise InvalidProviderRequest(
                f"claim {key} asks for {request.amount}; claim an amount above zero",
                amount=str(request.amount),
            )
        self._fail_if_unavailable(key)

        def find(session: Session) -> CarrierClaim | None:
            claim = session.exec(
                select(CarrierClaim).where(CarrierClaim.idempotency_key == key)
            ).first()
            if claim is None and request.parcel_id is not None:
                claim = session.exec(
                    select(CarrierClaim).where(CarrierClaim.parcel_id == request.parcel_id)
                ).first()
            return claim

        def create(session: Session) -> CarrierClaim:
            if request.parcel_id is not None:
                parcel = _parcel(session, request.parcel_id)
                if parcel.status in _NEVER_CARRIED:
                    raise CourierRefused(
                        f"parcel {parcel.parcel_id} is {parcel.status}: the courier never "
                        "carried it, so there is nothing to claim",
                        parcel_id=parcel.parcel_id,
                        status=parcel.status,
                    )
            number = session.exec(select(func.count()).select_from(CarrierClaim)).one() + 1
            claim = CarrierClaim(
                claim_id=f"CLM-{number:06d}",
                idempotency_key=key,
                return_id=request.return_id,
                parcel_id=request.parcel_id,
                amount=request.amount,
                currency=request.currency,
                reason=request.reason,
                created_at=self._clock(),
            )
            session.add(claim)
            session.flush()
            return claim

        claim, created = write_once(self._sessions, find=find, create=create)
        if claim.idempotency_key == key and (
            claim.amount != request.amount
            or claim.parcel_id != request.parcel_id
            or claim.return_id != request.return_id
        ):
            raise IdempotencyKeyReused(
                f"idempotency key {key} already filed claim {claim.claim_id} for another "
                "parcel or amount; send a new key for a new claim",
                claim_id=claim.claim_id,
            )
        if created:
            self._fail_if_response_lost(f"claim {claim.claim_id} was filed", key)
        return ClaimReceipt(claim_id=claim.claim_id, amount=claim.amount)

    def get_tracking(self, parcel_id: str) -> list[TrackingEvent]:
        """Returns the parcel's tracking events, oldest first."""
        self._fail_if_unavailable(f"tracking:{parcel_id}")
        with self._sessions() as session:
            parcel = _parcel(session, parcel_id)
            events = events_of(session, parcel_id)
        return [to_tracking_event(event, parcel.tracking_number) for event in events]

    def _create(
        self,
        *,
        key: str,
        direction: ParcelDirection,
        return_id: str,
        customer_id: str,
        items: list[ParcelItem],
        pickup_booked: bool,
        ship_by: datetime | None,
    ) -> Parcel:
        items_json = _items_json(key, items)
        self._fail_if_unavailable(key)

        def create(session: Session) -> SandboxParcel:
            # Parcels are never deleted, so the count numbers them (under the write lock).
            number = session.exec(select(func.count()).select_from(SandboxParcel)).one() + 1
            parcel_id = f"PCL-{number:06d}"
            now = self._clock()
            parcel = SandboxParcel(
                parcel_id=parcel_id,
                idempotency_key=key,
                tracking_number=f"SBX{number:09d}",
                carrier=CARRIER,
                direction=direction,
                return_id=return_id,
                customer_id=customer_id,
                items_json=items_json,
                label_url=self._plan.label_url(parcel_id),
                pickup_booked=pickup_booked,
                ship_by=ship_by,
                status=TrackingStatus.LABEL_CREATED,
                created_at=now,
                events_sent=1,
                fate=self._plan.draw_fate(return_id=return_id, direction=direction),
            )
            schedule_next(parcel, self._plan, now)
            session.add(parcel)
            record_event(session, parcel, TrackingStatus.LABEL_CREATED, now)
            return parcel

        parcel, created = write_once(
            self._sessions,
            find=lambda session: session.exec(
                select(SandboxParcel).where(SandboxParcel.idempotency_key == key)
            ).first(),
            create=create,
        )
        if not created and (
            parcel.direction != direction
            or parcel.return_id != return_id
            or parcel.items_json != items_json
            or parcel.pickup_booked != pickup_booked
        ):
            raise IdempotencyKeyReused(
                f"idempotency key {key} already created parcel {parcel.parcel_id} "
                f"({parcel.direction} for return {parcel.return_id}) with other contents; "
                "send a new key for a new parcel",
                parcel_id=parcel.parcel_id,
            )
        if created:
            self._fail_if_response_lost(f"parcel {parcel.parcel_id} was created", key)
        return to_parcel(parcel)

    def _fail_if_unavailable(self, key: str) -> None:
        if self._faults.fails_before_work(key):
            raise ProviderUnavailable(
                f"the sandbox courier is unavailable (injected fault, key {key}); retry later",
                idempotency_key=key,
            )

    def _fail_if_response_lost(self, what: str, key: str) -> None:
        if self._faults.loses_response():
            raise ProviderUnavailable(
                f"{what} but the response was lost (injected fault); "
                "retry with the same idempotency key",
                idempotency_key=key,
            )


def _parcel(session: Session, parcel_id: str) -> SandboxParcel:
    parcel = session.get(SandboxParcel, parcel_id)
    if parcel is None:
        raise _unknown(parcel_id)
    return parcel


def _parcel_for_update(session: Session, parcel_id: str) -> SandboxParcel:
    parcel = session.exec(
        select(SandboxParcel).where(SandboxParcel.parcel_id == parcel_id).with_for_update()
    ).first()
    if parcel is None:
        raise _unknown(parcel_id)
    return parcel


def _unknown(parcel_id: str) -> UnknownParcel:
    return UnknownParcel(
        f"the sandbox courier has no parcel {parcel_id}; use a parcel_id it returned",
        parcel_id=parcel_id,
    )


def _items_json(key: str, items: list[ParcelItem]) -> str:
    if not items:
        raise InvalidProviderRequest(
            f"parcel request {key} lists no items; send the SKUs and quantities it carries"
        )
    if any(item.quantity < 1 for item in items):
        raise InvalidProviderRequest(
            f"parcel request {key} has an item with a quantity below 1; "
            "send only items that travel",
        )
    ordered = sorted(items, key=lambda item: (item.sku, item.quantity))
    return json.dumps([item.model_dump() for item in ordered], sort_keys=True)
