"""The interface every fulfillment provider implements (the sandbox, or a warehouse system)."""

from typing import Protocol

from domain.compensation import CompensationReceipt, CompensationRequest, UndoRequest


class FulfillmentProvider(Protocol):
    """Ships replacements; every call is idempotent on its request's key.

    Calls raise the errors in `activities.fulfillment.errors`.
    """

    def create_replacement(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of a replacement order for `request.items`."""
        ...

    def cancel_replacement(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of cancelling a replacement order (repeats change nothing)."""
        ...
