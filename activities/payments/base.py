"""The interface every payments provider implements (the sandbox, or a real gateway)."""

from typing import Protocol

from domain.compensation import (
    CompensationReceipt,
    CompensationRequest,
    DuplicateChargeQuery,
    DuplicateChargeResult,
    UndoRequest,
)


class PaymentsProvider(Protocol):
    """Moves money back to customers; every call is idempotent on its request's key.

    Calls raise the errors in `activities.payments.errors`.
    """

    def refund(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of a refund to the customer's payment method."""
        ...

    def reverse_refund(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of the reversal of a refund (one reversal per refund)."""
        ...

    def issue_coupon(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of a coupon issued to the customer."""
        ...

    def void_coupon(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of voiding a coupon."""
        ...

    def issue_store_credit(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of store credit added to the customer's account."""
        ...

    def revoke_store_credit(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of revoking store credit."""
        ...

    def find_duplicate_charge(self, query: DuplicateChargeQuery) -> DuplicateChargeResult:
        """Returns whether the payment was captured more than once, and the surplus."""
        ...
