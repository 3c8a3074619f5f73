"""Fulfillment activities: each wraps one provider call, idempotent on its request's key.

They are synchronous (run them on a worker with an `activity_executor`) and raise
provider errors as `ApplicationError`s typed after `activities.fulfillment.errors`.
"""

from temporalio import activity

from activities.errors import call_provider
from activities.fulfillment.base import FulfillmentProvider
from domain.compensation import CompensationReceipt, CompensationRequest, UndoRequest


class FulfillmentActivities:
    """Fulfillment activities over one `FulfillmentProvider`, built once by the worker."""

    def __init__(self, provider: FulfillmentProvider) -> None:
        self._provider = provider

    @activity.defn(name="create_replacement")
    def create_replacement(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of a replacement order for the request's items."""
        return call_provider(self._provider.create_replacement, request)

    @activity.defn(name="cancel_replacement")
    def cancel_replacement(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of cancelling a replacement order."""
        return call_provider(self._provider.cancel_replacement, undo)
