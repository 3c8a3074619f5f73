"""Errors a payments provider raises; activities carry them out as `ApplicationError`s."""

from activities.errors import (
    IdempotencyKeyReused,
    InvalidProviderRequest,
    ProviderError,
    ProviderUnavailable,
    UnknownReference,
)

__all__ = [
    "IdempotencyKeyReused",
    "InvalidProviderRequest",
    "PaymentDeclined",
    "ReversalRefused",
    "ProviderError",
    "ProviderUnavailable",
    "RefundExceedsPaid",
    "UnknownPayment",
    "UnknownReference",
]


class RefundExceedsPaid(ProviderError):
    """The refunds on a payment would add up to more than the customer paid."""

    error_type = "RefundExceedsPaid"


class PaymentDeclined(ProviderError):
    """The provider refuses this compensation for good; retrying will not change that."""

    error_type = "PaymentDeclined"


class UnknownPayment(ProviderError):
    """The provider has no record of the payment and cannot learn what was paid."""

    error_type = "UnknownPayment"


class ReversalRefused(ProviderError):
    """The provider will not reverse this compensation (it has already reached the
    customer); retrying will not change that, so a person must settle it."""

    error_type = "ReversalRefused"
