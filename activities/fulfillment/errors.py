"""Errors a fulfillment provider raises; activities carry them out as `ApplicationError`s."""

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
    "ProviderError",
    "ProviderUnavailable",
    "ReplacementDeclined",
    "UnknownReference",
]


class ReplacementDeclined(ProviderError):
    """The warehouse refuses the replacement for good (out of stock, blocked address...)."""

    error_type = "ReplacementDeclined"
