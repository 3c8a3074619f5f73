"""The interface every courier provider implements (the sandbox, or a courier's REST API)."""

from typing import Protocol

from domain.returns import (
    ClaimReceipt,
    ClaimRequest,
    LabelRequest,
    OutboundRequest,
    Parcel,
    ParcelCancellation,
    TraceRequest,
    TrackingEvent,
)


class CourierProvider(Protocol):
    """Carries parcels to and from customers; every call is idempotent on its request's key.

    Calls raise the errors in `activities.couriers.errors`. Tracking updates arrive on
    their own, through the courier webhook; `get_tracking` reads them on demand.
    """

    def create_return_label(self, request: LabelRequest) -> Parcel:
        """Returns a return parcel: a doorstep pickup booked when `request.pickup_address`
        is set, else a label the customer takes to a drop-off point."""
        ...

    def create_outbound_shipment(self, request: OutboundRequest) -> Parcel:
        """Returns a parcel from the warehouse to the customer."""
        ...

    def cancel_parcel(self, cancellation: ParcelCancellation) -> Parcel:
        """Returns the parcel, cancelled (again, if it already was); raises
        `ParcelAlreadyMoving` once the courier has it."""
        ...

    def open_trace(self, request: TraceRequest) -> None:
        """Opens a trace on a parcel that stopped moving (repeats change nothing)."""
        ...

    def file_claim(self, request: ClaimRequest) -> ClaimReceipt:
        """Returns the receipt of a claim for a lost or damaged parcel."""
        ...

    def get_tracking(self, parcel_id: str) -> list[TrackingEvent]:
        """Returns the parcel's tracking events, oldest first."""
        ...
