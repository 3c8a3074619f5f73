"""Errors providers raise, and their translation to Temporal `ApplicationError`s.

Providers know nothing of Temporal: they raise a `ProviderError` subclass, and the
activity that called them turns it into an `ApplicationError` whose `type` is the
subclass's `error_type`. Permanent (business) errors are non-retryable; a provider that
is merely unreachable raises `ProviderUnavailable`, which Temporal retries.
"""

from collections.abc import Callable
from typing import ClassVar, TypeVar

from temporalio.exceptions import ApplicationError

_Input = TypeVar("_Input")
_Output = TypeVar("_Output")


class ProviderError(Exception):
    """Base for provider errors; `details` travel with the `ApplicationError`."""

    error_type: ClassVar[str] = "ProviderError"
    non_retryable: ClassVar[bool] = True

    def __init__(self, message: str, **details: str) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_application_error(self) -> ApplicationError:
        """Returns the Temporal error that carries this one out of an activity."""
        return ApplicationError(
            self.message,
            self.details,
            type=self.error_type,
            non_retryable=self.non_retryable,
        )


class ProviderUnavailable(ProviderError):
    """The provider could not be reached or did not answer; a retry may succeed."""

    error_type = "ProviderUnavailable"
    non_retryable = False


class InvalidProviderRequest(ProviderError):
    """The request can never succeed as sent (wrong kind, no amount, no items...)."""

    error_type = "InvalidProviderRequest"


class IdempotencyKeyReused(ProviderError):
    """The idempotency key already identifies a different request."""

    error_type = "IdempotencyKeyReused"


class UnknownReference(ProviderError):
    """An undo names a receipt reference the provider never issued."""

    error_type = "UnknownReference"


def call_provider(call: Callable[[_Input], _Output], request: _Input) -> _Output:
    """Returns `call(request)`, raising provider errors as typed `ApplicationError`s."""
    try:
        return call(request)
    except ProviderError as err:
        raise err.to_application_error() from err
