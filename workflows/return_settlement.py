"""Settling a return as a saga: refund, store credit or an exchange shipment (plus the
wrong-item apology coupon), undone if a later step fails for good; then restock, claim
against the carrier where it was at fault, and close."""

from collections.abc import Sequence
from decimal import Decimal
from functools import partial

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain import return_policy as rp
    from domain import return_pricing as pricing
    from domain.compensation import (
        CompensationKind,
        CompensationReceipt,
        CompensationRequest,
        UndoRequest,
    )
    from domain.notifications import Money, NotificationTemplate
    from domain.returns import (
        RETURN_STAFF,
        ClaimReceipt,
        ClaimRequest,
        OutboundRequest,
        Parcel,
        ParcelCancellation,
        ParcelItem,
        RestockRequest,
        ReturnEventKind,
        ReturnLine,
        ReturnOutcome,
        ReturnReason,
        ReturnStatus,
        ReturnView,
    )
    from workflows import activity_calls as calls
    from workflows.case_journal import SYSTEM_ACTOR, CaseJournal
    from workflows.provider_calls import call_courier, call_provider
    from workflows.return_file import ReturnFile, finish
    from workflows.saga import Saga


class ReturnSettler:
    def __init__(self, file: ReturnFile, journal: CaseJournal) -> None:
        self._file = file
        self._journal = journal

    @property
    def _view(self) -> ReturnView:
        return self._file.view

    async def settle(self) -> None:
        view = self._view
        view.settlements_run += 1
        accepted = pricing.accepted_lines(view.request, view.inspection, view.last_tracking)
        value = pricing.settlement_value(view.request, accepted, view.eligibility)
        saga = Saga()
        try:
            await self._pay_out(accepted, value, saga)
        except ActivityError as err:
            await self._give_up_settlement(err, saga)
            return
        if accepted:
            items = [ParcelItem(sku=line.sku, quantity=qty) for line, qty in accepted]
            await self._move_stock(calls.RESTOCK, f"return-{view.return_id}/restock", items)
            self._journal.record(
                ReturnEventKind.RESTOCKED, SYSTEM_ACTOR, pricing.describe_accepted(accepted)
            )
        if value > 0 and pricing.carrier_at_fault(view.request.reason, view.last_tracking):
            await self._claim_against_carrier(value)
        view.outcome = view.outcome if value > 0 or accepted else None
        if view.outbound_parcel is not None:
            # Done when the exchange reaches the customer (see ReturnWorkflow).
            view.status = ReturnStatus.EXCHANGE_IN_TRANSIT
            view.exchange_due_at = rp.exchange_due_at(workflow.now(), self._file.policy.shipping)
            return
        self.complete()

    def complete(self) -> None:
        view = self._view
        outcome = view.outcome.value if view.outcome else "none"
        done = finish(
            view, self._journal, ReturnStatus.COMPLETED, ReturnEventKind.COMPLETED, outcome
        )
        self._journal.notify_customer(
            NotificationTemplate.RETURN_COMPLETED,
            done,
            outcome=outcome,
        )

    async def _move_stock(self, activity: str, key: str, items: list[ParcelItem]) -> int:
        view = self._view
        moved: int = await workflow.execute_activity(
            activity,
            RestockRequest(idempotency_key=key, return_id=view.return_id, items=items),
            result_type=int,
            start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
            retry_policy=calls.NOTIFY_RETRY,
        )
        return moved

    async def _pay_out(
        self, accepted: Sequence[tuple[ReturnLine, int]], value: Decimal, saga: Saga
    ) -> None:
        view = self._view
        if view.outcome is ReturnOutcome.EXCHANGE and accepted:
            await self._ship_exchange(accepted, saga)
        elif view.outcome is ReturnOutcome.STORE_CREDIT and value > 0:
            receipt = await self._compensate(CompensationKind.STORE_CREDIT, "credit", value, saga)
            view.store_credit_total += receipt.amount
            event = self._journal.record(
                ReturnEventKind.STORE_CREDITED, SYSTEM_ACTOR, receipt.reference
            )
            self._journal.notify_customer(
                NotificationTemplate.RETURN_STORE_CREDITED,
                event,
                amount=Money(amount=receipt.amount, currency=self._file.currency),
            )
        elif value > 0:
            for order_id, amount in pricing.refunds_by_order(view.request, accepted, value):
                receipt = await self._compensate(
                    CompensationKind.REFUND, f"refund/{order_id}", amount, saga, order_id
                )
                view.refunded_total += receipt.amount
                self._journal.record(ReturnEventKind.REFUNDED, SYSTEM_ACTOR, receipt.reference)
            event = view.timeline[-1]
            self._journal.notify_customer(
                NotificationTemplate.RETURN_REFUNDED,
                event,
                amount=Money(amount=view.refunded_total, currency=self._file.currency),
            )
        if (
            view.request.reason is ReturnReason.WRONG_ITEM
            and view.consent
            and view.consent.accepted
        ):
            receipt = await self._compensate(
                CompensationKind.COUPON,
                "apology-coupon",
                self._file.policy.wrong_item_apology_coupon,
                saga,
            )
            self._journal.record(ReturnEventKind.COUPON_ISSUED, SYSTEM_ACTOR, receipt.reference)

    async def _ship_exchange(self, accepted: Sequence[tuple[ReturnLine, int]], saga: Saga) -> None:
        view = self._view
        address = view.request.pickup_address
        items = [
            ParcelItem(sku=line.exchange_sku or line.sku, quantity=qty) for line, qty in accepted
        ]
        reservation = self._settlement_key("exchange-reservation")
        await self._move_stock(calls.RESERVE_STOCK, reservation, items)
        saga.add(
            "stock reservation",
            partial(self._move_stock, calls.RESTOCK, f"{reservation}/release", items),
        )
        shipment = self._settlement_key("exchange")
        parcel = await call_courier(
            calls.CREATE_OUTBOUND_SHIPMENT,
            OutboundRequest(
                idempotency_key=shipment,
                return_id=view.return_id,
                customer_id=view.request.customer.id,
                address=address,
                items=items,
            ),
            result_type=Parcel,
        )
        view.outbound_parcel = parcel
        saga.add(
            f"exchange {parcel.tracking_number}",
            partial(
                call_courier,
                calls.CANCEL_PARCEL,
                ParcelCancellation(
                    idempotency_key=f"{shipment}/undo",
                    parcel_id=parcel.parcel_id,
                ),
                Parcel,
            ),
        )
        event = self._journal.record(
            ReturnEventKind.EXCHANGE_SHIPPED, parcel.carrier, parcel.tracking_number
        )
        self._journal.notify_customer(
            NotificationTemplate.EXCHANGE_SHIPPED, event, tracking_number=parcel.tracking_number
        )

    async def _compensate(
        self,
        kind: CompensationKind,
        step: str,
        amount: Decimal,
        saga: Saga,
        order_id: str | None = None,
    ) -> CompensationReceipt:
        view = self._view
        order = next(
            (o for o in view.request.orders if o.order_id == order_id), view.request.orders[0]
        )
        key = self._settlement_key(step)
        receipt = await call_provider(
            calls.DO_COMPENSATION[kind],
            CompensationRequest(
                idempotency_key=key,
                complaint_id=f"return-{view.return_id}",
                customer_id=view.request.customer.id,
                kind=kind,
                amount=amount,
                currency=order.currency,
                payment_id=order.payment_id,
                paid_amount=order.paid_amount,
                order_id=order.order_id,
            ),
        )
        saga.add(
            f"{kind} {receipt.reference}",
            partial(
                call_provider,
                calls.UNDO_COMPENSATION[kind],
                UndoRequest(idempotency_key=f"{key}/undo", receipt=receipt),
                undoing=True,
            ),
        )
        return receipt

    def _settlement_key(self, step: str) -> str:
        """Returns the idempotency key of one step of the current settlement.

        A settlement retried after one failed and was undone needs keys of its own: under
        the first one's keys the providers would answer with the receipts of what was just
        reversed (or cancelled), and the customer would be told of money never paid. The
        first settlement keeps the keys it always had, so returns already running keep
        their receipts.
        """
        view = self._view
        if view.settlements_run <= 1:
            return f"return-{view.return_id}/{step}"
        return f"return-{view.return_id}/settlement-{view.settlements_run}/{step}"

    async def _give_up_settlement(self, err: ActivityError, saga: Saga) -> None:
        """A step failed for good: undo the others and ask a person, never a half-state."""
        view = self._view
        self._journal.record(ReturnEventKind.STEP_FAILED, SYSTEM_ACTOR, str(err.cause or err))
        try:
            undone = await saga.compensate()
            self._journal.record(
                ReturnEventKind.STEP_UNDONE, SYSTEM_ACTOR, ", ".join(undone) or "nothing"
            )
            view.refunded_total = Decimal("0")
            view.store_credit_total = Decimal("0")
            view.outbound_parcel = None
            reason = f"settlement failed and was undone: {err.cause or err}"
        except ActivityError as undo_err:
            reason = (
                f"settlement failed and could not be fully undone: {undo_err.cause or undo_err}"
            )
        self._journal.hand_to_person(reason, RETURN_STAFF["supervisor"])

    async def _claim_against_carrier(self, value: Decimal) -> None:
        view = self._view
        supervisor = RETURN_STAFF["supervisor"]
        try:
            claim = await self._claim(value)
        except ActivityError as err:
            # The customer is already paid; the claim is the merchant's to chase by hand.
            reason = f"carrier claim refused: {err.cause or err}"
            event = self._journal.record(ReturnEventKind.NEEDS_PERSON, SYSTEM_ACTOR, reason)
            self._journal.notify_staff(
                NotificationTemplate.RETURN_NEEDS_PERSON, event, supervisor, reason=reason
            )
            return
        view.claim = claim
        event = self._journal.record(ReturnEventKind.CLAIM_FILED, SYSTEM_ACTOR, claim.claim_id)
        self._journal.notify_staff(
            NotificationTemplate.RETURN_CLAIM_FILED,
            event,
            supervisor,
            amount=Money(amount=claim.amount, currency=self._file.currency),
        )

    async def _claim(self, value: Decimal) -> ClaimReceipt:
        view = self._view
        claim: ClaimReceipt = await call_courier(
            calls.FILE_CLAIM,
            ClaimRequest(
                idempotency_key=f"return-{view.return_id}/claim",
                return_id=view.return_id,
                parcel_id=view.return_parcel.parcel_id if view.return_parcel else None,
                amount=value,
                currency=self._file.currency,
                reason=f"{view.request.reason}; last scan {view.last_tracking}",
            ),
            result_type=ClaimReceipt,
        )
        return claim

    # --- What was returned ----------------------------------------------------------------

    def returned_items(self) -> list[ParcelItem]:
        return [
            ParcelItem(sku=line.sku, quantity=line.quantity) for line in self._view.request.lines
        ]
