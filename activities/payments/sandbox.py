"""The sandbox payments provider: a persistent ledger in Redress's own store.

As far as Redress can tell it behaves like a gateway: every call is idempotent on its
key, refunds never add up to more than was paid, and it fails on demand (`FaultPlan`).
Unlike a gateway it does not know every charge in advance: a refund on a payment it has
not seen registers the charge from the request's `paid_amount` (taken from the order
reference), and only without one is the payment unknown.
"""

import uuid

from sqlmodel import Session, select

from activities.faults import FaultPlan
from activities.idempotency import write_once
from activities.payments.errors import (
    IdempotencyKeyReused,
    InvalidProviderRequest,
    PaymentDeclined,
    ProviderUnavailable,
    RefundExceedsPaid,
    ReversalRefused,
    UnknownPayment,
    UnknownReference,
)
from domain.compensation import (
    CompensationKind,
    CompensationReceipt,
    CompensationRequest,
    DuplicateChargeQuery,
    DuplicateChargeResult,
    UndoRequest,
)
from store.db import SessionFactory
from store.tables.ledger import (
    LedgerEntry,
    LedgerKind,
    SandboxCharge,
    record_charge,
    refunded_amount,
)

_ISSUED_AS = {
    CompensationKind.REFUND: LedgerKind.REFUND,
    CompensationKind.COUPON: LedgerKind.COUPON,
    CompensationKind.STORE_CREDIT: LedgerKind.STORE_CREDIT,
}
_REVERSED_AS = {
    LedgerKind.REFUND: LedgerKind.REFUND_REVERSAL,
    LedgerKind.COUPON: LedgerKind.COUPON_VOID,
    LedgerKind.STORE_CREDIT: LedgerKind.STORE_CREDIT_REVOKE,
}
# Receipts speak of compensation kinds: a reversal's receipt has the kind it reverses.
_RECEIPT_KIND = {
    LedgerKind.REFUND: CompensationKind.REFUND,
    LedgerKind.REFUND_REVERSAL: CompensationKind.REFUND,
    LedgerKind.COUPON: CompensationKind.COUPON,
    LedgerKind.COUPON_VOID: CompensationKind.COUPON,
    LedgerKind.STORE_CREDIT: CompensationKind.STORE_CREDIT,
    LedgerKind.STORE_CREDIT_REVOKE: CompensationKind.STORE_CREDIT,
}
_REFERENCE_PREFIX = {
    LedgerKind.REFUND: "RF",
    LedgerKind.REFUND_REVERSAL: "RR",
    LedgerKind.COUPON: "CP",
    LedgerKind.COUPON_VOID: "CV",
    LedgerKind.STORE_CREDIT: "SC",
    LedgerKind.STORE_CREDIT_REVOKE: "SR",
}


class SandboxPayments:
    """A `PaymentsProvider` that keeps its ledger in the store (tables in `store.tables.ledger`)."""

    def __init__(self, sessions: SessionFactory, faults: FaultPlan | None = None) -> None:
        self._sessions = sessions
        self._faults = faults or FaultPlan()

    def refund(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of a refund; refuses one beyond what is left of the payment."""
        return self._issue(request, CompensationKind.REFUND)

    def reverse_refund(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of the reversal, which gives the refunded amount back."""
        return self._undo(undo, LedgerKind.REFUND)

    def issue_coupon(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of a coupon worth `request.amount`."""
        return self._issue(request, CompensationKind.COUPON)

    def void_coupon(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of voiding a coupon."""
        return self._undo(undo, LedgerKind.COUPON)

    def issue_store_credit(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt of store credit worth `request.amount`."""
        return self._issue(request, CompensationKind.STORE_CREDIT)

    def revoke_store_credit(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of revoking store credit."""
        return self._undo(undo, LedgerKind.STORE_CREDIT)

    def find_duplicate_charge(self, query: DuplicateChargeQuery) -> DuplicateChargeResult:
        """Returns whether the payment was captured twice or more, and the surplus."""
        self._fail_if_unavailable(f"duplicate-charge:{query.payment_id}")
        with self._sessions() as session:
            charge = session.get(SandboxCharge, query.payment_id)
        if charge is None or (
            query.order_id is not None
            and charge.order_id is not None
            and charge.order_id != query.order_id
        ):
            raise UnknownPayment(
                f"payment {query.payment_id} of order {query.order_id} is not in the sandbox; "
                "record the charge first (store.tables.ledger.record_charge)",
                payment_id=query.payment_id,
            )
        return DuplicateChargeResult(
            duplicated=charge.captures >= 2,
            surplus=charge.amount * (charge.captures - 1),
        )

    def _issue(self, request: CompensationRequest, kind: CompensationKind) -> CompensationReceipt:
        _validate_issue(request, kind)
        self._fail_if_unavailable(request.idempotency_key)
        ledger_kind = _ISSUED_AS[kind]

        def create(session: Session) -> LedgerEntry:
            if self._faults.declines(kind):
                raise PaymentDeclined(
                    f"the provider declined the {kind} for complaint {request.complaint_id}; "
                    "offer the customer another kind of compensation",
                    kind=kind.value,
                )
            if kind is CompensationKind.REFUND:
                _check_refund_headroom(session, request)
            entry = LedgerEntry(
                idempotency_key=request.idempotency_key,
                kind=ledger_kind,
                complaint_id=request.complaint_id,
                customer_id=request.customer_id,
                payment_id=request.payment_id,
                amount=request.amount,
                currency=request.currency,
                reference="",
            )
            return _add_entry(session, entry)

        entry, created = write_once(
            self._sessions,
            find=lambda session: _entry_by_key(session, request.idempotency_key),
            create=create,
        )
        if not created and not _same_issue(entry, ledger_kind, request):
            raise IdempotencyKeyReused(
                f"idempotency key {request.idempotency_key} already paid for "
                f"{entry.kind} {entry.reference}; send a new key for a new request",
                reference=entry.reference,
            )
        if created:
            self._fail_if_response_lost(entry)
        return _receipt(entry)

    def _undo(self, undo: UndoRequest, issued_as: LedgerKind) -> CompensationReceipt:
        reference = undo.receipt.reference
        if _RECEIPT_KIND[issued_as] is not undo.receipt.kind:
            raise InvalidProviderRequest(
                f"receipt {reference} is for a {undo.receipt.kind}, not a "
                f"{_RECEIPT_KIND[issued_as]}; call the matching undo",
                reference=reference,
            )
        self._fail_if_unavailable(undo.idempotency_key)
        if self._faults.refuses_reversal(undo.receipt.kind):
            raise ReversalRefused(
                f"{undo.receipt.kind} {reference} has already reached the customer and "
                "cannot be reversed (injected fault); settle it by hand",
                reference=reference,
            )
        reversal_kind = _REVERSED_AS[issued_as]

        def find(session: Session) -> LedgerEntry | None:
            # A step is undone once: a second undo, whatever its key, gets the first receipt.
            return _entry_by_key(session, undo.idempotency_key) or _reversal_of(session, reference)

        def create(session: Session) -> LedgerEntry:
            original = session.exec(
                select(LedgerEntry).where(LedgerEntry.reference == reference)
            ).first()
            if original is None or original.kind != issued_as:
                raise UnknownReference(
                    f"the sandbox issued no {issued_as} with reference {reference}; "
                    "undo only receipts the provider returned",
                    reference=reference,
                )
            reversal = LedgerEntry(
                idempotency_key=undo.idempotency_key,
                kind=reversal_kind,
                complaint_id=original.complaint_id,
                customer_id=original.customer_id,
                payment_id=original.payment_id,
                amount=original.amount,
                currency=original.currency,
                reference="",
                reverses_reference=original.reference,
            )
            return _add_entry(session, reversal)

        entry, created = write_once(self._sessions, find=find, create=create)
        if entry.kind != reversal_kind or entry.reverses_reference != reference:
            raise IdempotencyKeyReused(
                f"idempotency key {undo.idempotency_key} already paid for "
                f"{entry.kind} {entry.reference}; send a new key to undo {reference}",
                reference=entry.reference,
            )
        if created:
            self._fail_if_response_lost(entry)
        return _receipt(entry)

    def _fail_if_unavailable(self, key: str) -> None:
        if self._faults.fails_before_work(key):
            raise ProviderUnavailable(
                f"the sandbox payments provider is unavailable (injected fault, key {key}); "
                "retry later",
                idempotency_key=key,
            )

    def _fail_if_response_lost(self, entry: LedgerEntry) -> None:
        if self._faults.loses_response():
            raise ProviderUnavailable(
                f"{entry.kind} {entry.reference} was recorded but the response was lost "
                "(injected fault); retry with the same idempotency key",
                idempotency_key=entry.idempotency_key,
            )


def _validate_issue(request: CompensationRequest, kind: CompensationKind) -> None:
    if request.kind is not kind:
        raise InvalidProviderRequest(
            f"request {request.idempotency_key} asks for a {request.kind}, not a {kind}; "
            "call the activity that matches its kind",
            kind=request.kind.value,
        )
    if request.amount <= 0:
        raise InvalidProviderRequest(
            f"a {kind} needs an amount above zero (request {request.idempotency_key})",
            amount=str(request.amount),
        )
    if kind is CompensationKind.REFUND and not request.payment_id:
        raise InvalidProviderRequest(
            f"refund {request.idempotency_key} names no payment_id; "
            "take it from the complaint's order reference",
        )


def _check_refund_headroom(session: Session, request: CompensationRequest) -> None:
    """Raises unless the refund fits in what is left of the payment (registering it if new)."""
    assert request.payment_id is not None
    payment_id = request.payment_id
    charge = session.exec(
        select(SandboxCharge).where(SandboxCharge.payment_id == payment_id).with_for_update()
    ).first()
    if charge is None:
        if request.paid_amount is None:
            raise UnknownPayment(
                f"payment {payment_id} is unknown to the sandbox and the refund carries no "
                "paid_amount; send the order's paid amount with the request",
                payment_id=payment_id,
            )
        charge = record_charge(
            session,
            payment_id=payment_id,
            order_id=request.order_id,
            amount=request.paid_amount,
            currency=request.currency,
        )
    if charge.currency != request.currency:
        raise InvalidProviderRequest(
            f"payment {payment_id} was made in {charge.currency}, "
            f"the refund asks for {request.currency}",
            payment_id=payment_id,
        )
    refunded = refunded_amount(session, payment_id=payment_id)
    if refunded + request.amount > charge.captured_total:
        raise RefundExceedsPaid(
            f"refunding {request.amount} on payment {payment_id} would exceed what was paid: "
            f"paid {charge.captured_total}, already refunded {refunded}; "
            f"at most {charge.captured_total - refunded} can still be refunded",
            payment_id=payment_id,
            paid=str(charge.captured_total),
            refunded=str(refunded),
            requested=str(request.amount),
        )


def _add_entry(session: Session, entry: LedgerEntry) -> LedgerEntry:
    """Returns `entry` added and flushed, its reference derived from the id it was given."""
    entry.reference = f"pending-{uuid.uuid4().hex}"
    session.add(entry)
    session.flush()
    entry.reference = f"{_REFERENCE_PREFIX[LedgerKind(entry.kind)]}-{entry.id:06d}"
    session.flush()
    return entry


def _entry_by_key(session: Session, key: str) -> LedgerEntry | None:
    return session.exec(select(LedgerEntry).where(LedgerEntry.idempotency_key == key)).first()


def _reversal_of(session: Session, reference: str) -> LedgerEntry | None:
    return session.exec(
        select(LedgerEntry).where(LedgerEntry.reverses_reference == reference)
    ).first()


def _same_issue(entry: LedgerEntry, kind: LedgerKind, request: CompensationRequest) -> bool:
    return (
        entry.kind == kind
        and entry.amount == request.amount
        and entry.payment_id == request.payment_id
        and entry.complaint_id == request.complaint_id
    )


def _receipt(entry: LedgerEntry) -> CompensationReceipt:
    return CompensationReceipt(
        idempotency_key=entry.idempotency_key,
        kind=_RECEIPT_KIND[LedgerKind(entry.kind)],
        reference=entry.reference,
        amount=entry.amount,
    )
