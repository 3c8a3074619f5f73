"""Errors a notification provider raises; activities carry them out as `ApplicationError`s."""

from activities.errors import IdempotencyKeyReused, ProviderError, ProviderUnavailable

__all__ = [
    "IdempotencyKeyReused",
    "MessageUndeliverable",
    "MissingTemplateParameters",
    "ProviderError",
    "ProviderUnavailable",
]


class MissingTemplateParameters(ProviderError):
    """A notification lacks parameters its template needs; resending will not help."""

    error_type = "MissingTemplateParameters"


class MessageUndeliverable(ProviderError):
    """The mail server refused the message for good (a 5xx answer, an invalid address), or
    it could not be delivered within `mail_retry_hours`; resending will not help.

    Non-retryable (as every `ProviderError` but `ProviderUnavailable`), so the workflow
    records `notification_failed` on the case's timeline at once.
    """

    error_type = "MessageUndeliverable"
