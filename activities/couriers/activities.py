"""Courier activities: each wraps one provider call, idempotent on its request's key.

They are synchronous (run them on a worker with an `activity_executor`) and raise
provider errors as `ApplicationError`s typed after `activities.couriers.errors`.
"""

from temporalio import activity

from activities.couriers.base import CourierProvider
from activities.errors import call_provider
from domain.returns import (
    ClaimReceipt,
    ClaimRequest,
    LabelRequest,
    OutboundRequest,
    Parcel,
    ParcelCancellation,
    TraceRequest,
)


class CourierActivities:
    """Courier activities over one `CourierProvider`, built once by the worker."""

    def __init__(self, provider: CourierProvider) -> None:
        self._provider = provider

    @activity.defn(name="create_return_label")
    def create_return_label(self, request: LabelRequest) -> Parcel:
        """Returns the return parcel: a booked pickup, or a label for a drop-off point."""
        return call_provider(self._provider.create_return_label, request)

    @activity.defn(name="create_outbound_shipment")
    def create_outbound_shipment(self, request: OutboundRequest) -> Parcel:
        """Returns the parcel carrying an exchange or a replacement to the customer."""
        return call_provider(self._provider.create_outbound_shipment, request)

    @activity.defn(name="cancel_parcel")
    def cancel_parcel(self, cancellation: ParcelCancellation) -> Parcel:
        """Returns the cancelled parcel (ParcelAlreadyMoving once the courier has it)."""
        return call_provider(self._provider.cancel_parcel, cancellation)

    @activity.defn(name="open_trace")
    def open_trace(self, request: TraceRequest) -> None:
        """Opens a trace with the courier on a parcel that stopped moving."""
        call_provider(self._provider.open_trace, request)

    @activity.defn(name="file_claim")
    def file_claim(self, request: ClaimRequest) -> ClaimReceipt:
        """Returns the receipt of a claim on the carrier for a lost or damaged parcel."""
        return call_provider(self._provider.file_claim, request)
