"""Errors a notification provider raises; activities carry them out as `ApplicationError`s."""

from activities.errors import IdempotencyKeyReused, ProviderError, ProviderUnavailable

__all__ = [
    "IdempotencyKeyReused",
    "MissingTemplateParameters",
    "ProviderError",
    "ProviderUnavailable",
]


class MissingTemplateParameters(ProviderError):
    """A notification lacks parameters its template needs; resending will not help."""

    error_type = "MissingTemplateParameters"
