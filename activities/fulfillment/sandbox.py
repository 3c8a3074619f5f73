"""The sandbox fulfillment provider: replacement orders kept in Redress's own store."""

import json
import uuid
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from activities.faults import FaultPlan
from activities.fulfillment.errors import (
    IdempotencyKeyReused,
    InvalidProviderRequest,
    ProviderUnavailable,
    ReplacementDeclined,
    UnknownReference,
)
from activities.idempotency import lock_for_write, write_once
from domain.compensation import (
    CompensationKind,
    CompensationReceipt,
    CompensationRequest,
    ReplacementItem,
    UndoRequest,
)
from store.db import SessionFactory
from store.tables.fulfillment import ReplacementOrder, ReplacementStatus


class SandboxFulfillment:
    """A `FulfillmentProvider` whose orders live in `store.tables.fulfillment`."""

    def __init__(self, sessions: SessionFactory, faults: FaultPlan | None = None) -> None:
        self._sessions = sessions
        self._faults = faults or FaultPlan()

    def create_replacement(self, request: CompensationRequest) -> CompensationReceipt:
        """Returns the receipt ("RP-...") of a replacement order for `request.items`."""
        _validate(request)
        self._fail_if_unavailable(request.idempotency_key)
        items_json = _items_json(request.items)

        def create(session: Session) -> ReplacementOrder:
            if self._faults.declines(CompensationKind.REPLACEMENT):
                raise ReplacementDeclined(
                    f"the warehouse declined the replacement for complaint "
                    f"{request.complaint_id}; offer a refund or a coupon instead",
                )
            order = ReplacementOrder(
                idempotency_key=request.idempotency_key,
                complaint_id=request.complaint_id,
                customer_id=request.customer_id,
                order_id=request.order_id,
                items_json=items_json,
                reference=f"pending-{uuid.uuid4().hex}",
            )
            session.add(order)
            session.flush()
            order.reference = f"RP-{order.id:06d}"
            session.flush()
            return order

        order, created = write_once(
            self._sessions,
            find=lambda session: session.exec(
                select(ReplacementOrder).where(
                    ReplacementOrder.idempotency_key == request.idempotency_key
                )
            ).first(),
            create=create,
        )
        if not created and (
            order.items_json != items_json or order.complaint_id != request.complaint_id
        ):
            raise IdempotencyKeyReused(
                f"idempotency key {request.idempotency_key} already created replacement "
                f"{order.reference} for other items; send a new key for a new request",
                reference=order.reference,
            )
        if created:
            self._fail_if_response_lost(order.reference, request.idempotency_key)
        return _receipt(order, order.idempotency_key)

    def cancel_replacement(self, undo: UndoRequest) -> CompensationReceipt:
        """Returns the receipt of the cancellation; cancelling again returns the same one."""
        reference = undo.receipt.reference
        if undo.receipt.kind is not CompensationKind.REPLACEMENT:
            raise InvalidProviderRequest(
                f"receipt {reference} is for a {undo.receipt.kind}, not a replacement; "
                "call the matching undo",
                reference=reference,
            )
        self._fail_if_unavailable(undo.idempotency_key)
        with self._sessions() as session:
            lock_for_write(session)
            order = session.exec(
                select(ReplacementOrder)
                .where(ReplacementOrder.reference == reference)
                .with_for_update()
            ).first()
            if order is None:
                raise UnknownReference(
                    f"the sandbox created no replacement with reference {reference}; "
                    "cancel only receipts the provider returned",
                    reference=reference,
                )
            if order.status == ReplacementStatus.CANCELLED:
                return _receipt(order, order.cancel_idempotency_key or undo.idempotency_key)
            other = session.exec(
                select(ReplacementOrder).where(
                    col(ReplacementOrder.cancel_idempotency_key) == undo.idempotency_key
                )
            ).first()
            if other is not None:
                raise IdempotencyKeyReused(
                    f"idempotency key {undo.idempotency_key} already cancelled "
                    f"{other.reference}; send a new key to cancel {reference}",
                    reference=other.reference,
                )
            order.status = ReplacementStatus.CANCELLED
            order.cancelled_at = datetime.now(UTC)
            order.cancel_idempotency_key = undo.idempotency_key
            session.add(order)
            session.commit()
        self._fail_if_response_lost(reference, undo.idempotency_key)
        return _receipt(order, undo.idempotency_key)

    def _fail_if_unavailable(self, key: str) -> None:
        if self._faults.fails_before_work(key):
            raise ProviderUnavailable(
                f"the sandbox fulfillment provider is unavailable (injected fault, key {key}); "
                "retry later",
                idempotency_key=key,
            )

    def _fail_if_response_lost(self, reference: str, key: str) -> None:
        if self._faults.loses_response():
            raise ProviderUnavailable(
                f"replacement {reference} was updated but the response was lost "
                "(injected fault); retry with the same idempotency key",
                idempotency_key=key,
            )


def _validate(request: CompensationRequest) -> None:
    if request.kind is not CompensationKind.REPLACEMENT:
        raise InvalidProviderRequest(
            f"request {request.idempotency_key} asks for a {request.kind}, not a "
            "replacement; call the activity that matches its kind",
            kind=request.kind.value,
        )
    if not request.items:
        raise InvalidProviderRequest(
            f"replacement {request.idempotency_key} lists no items; "
            "send the SKUs and quantities to ship",
        )


def _items_json(items: list[ReplacementItem]) -> str:
    return json.dumps([item.model_dump() for item in items], sort_keys=True)


def _receipt(order: ReplacementOrder, key: str) -> CompensationReceipt:
    return CompensationReceipt(
        idempotency_key=key, kind=CompensationKind.REPLACEMENT, reference=order.reference
    )
