"""Errors a courier provider raises; activities carry them out as `ApplicationError`s."""

from activities.errors import (
    IdempotencyKeyReused,
    InvalidProviderRequest,
    ProviderError,
    ProviderUnavailable,
)

__all__ = [
    "CourierRefused",
    "IdempotencyKeyReused",
    "InvalidProviderRequest",
    "ParcelAlreadyMoving",
    "ProviderError",
    "ProviderUnavailable",
    "UnknownParcel",
]


class ParcelAlreadyMoving(ProviderError):
    """The parcel left the customer or the warehouse: it can no longer be cancelled."""

    error_type = "ParcelAlreadyMoving"


class UnknownParcel(ProviderError):
    """The courier has no parcel with this id."""

    error_type = "UnknownParcel"


class CourierRefused(ProviderError):
    """The courier refuses the request for good (no service there, a claim it rejects...)."""

    error_type = "CourierRefused"
