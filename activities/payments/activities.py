"""Payment activities: each wraps one provider call, idempotent on its request's key.

They are synchronous (run them on a worker with an `activity_executor`) and raise
provider errors as `ApplicationError`s typed after `activities.payments.errors`.
"""

from temporalio import activity

from activities.errors import call_provider
from activities.payments.base import PaymentsProvider
from domain.compensation import (
    CompensationReceipt,
    CompensationRequest,
    DuplicateChargeQuery,
    DuplicateChargeResult,
    UndoRequest,
)


class PaymentActivities:
    """Payment activities over one `PaymentsProvider`, built once by the worker."""

    def __init__(self, provider: PaymentsProvider) -> None:
        self._provider = provider

    @activity.defn(name="refund_payment")
    def refund_payment(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of a refund to the customer's payment method."""
        return call_provider(self._provider.refund, request)

    @activity.defn(name="reverse_refund")
    def reverse_refund(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of the reversal of a refund."""
        return call_provider(self._provider.reverse_refund, undo)

    @activity.defn(name="issue_coupon")
    def issue_coupon(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of a coupon issued to the customer."""
        return call_provider(self._provider.issue_coupon, request)

    @activity.defn(name="void_coupon")
    def void_coupon(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of voiding a coupon."""
        return call_provider(self._provider.void_coupon, undo)

    @activity.defn(name="issue_store_credit")
    def issue_store_credit(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of store credit added to the customer's account."""
        return call_provider(self._provider.issue_store_credit, request)

    @activity.defn(name="revoke_store_credit")
    def revoke_store_credit(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of revoking store credit."""
        return call_provider(self._provider.revoke_store_credit, undo)

    @activity.defn(name="find_duplicate_charge")
    def find_duplicate_charge(self, query: DuplicateChargeQuery) -> DuplicateChargeResult:
        """Returns whether the payment was captured more than once, and the surplus."""
        return call_provider(self._provider.find_duplicate_charge, query)
