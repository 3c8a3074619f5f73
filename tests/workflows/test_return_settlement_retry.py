"""A settlement that failed for good, was undone and is retried by a person pays for real:
its steps get idempotency keys of their own, so no provider answers with the receipt of a
refund that was already reversed."""

from decimal import Decimal

import pytest
from sqlmodel import col, select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain.returns import InspectionVerdict, ReturnStatus, ReviewDecision
from store.tables.ledger import LedgerEntry, record_charge
from tests.workflows.conftest import Redress
from tests.workflows.test_return_workflow import (
    inspection,
    return_request,
    ship_to_warehouse,
    start_return,
    until,
)
from workflows.returns import ReturnWorkflow


def _two_order_request() -> object:
    request = return_request()
    second = request.orders[0].model_copy(
        update={"order_id": "ORD-501", "payment_id": "PAY-501", "paid_amount": Decimal("20.00")}
    )
    return request.model_copy(
        update={
            "orders": [request.orders[0], second],
            "lines": [
                request.lines[0],
                request.lines[0].model_copy(update={"order_id": "ORD-501", "sku": "SOCK-1"}),
            ],
        }
    )


def _record_second_charge(redress: Redress, amount: str) -> None:
    with redress.sessions() as session:
        record_charge(
            session,
            payment_id="PAY-501",
            order_id="ORD-501",
            amount=Decimal(amount),
            currency="CNY",
        )
        session.commit()


def _ledger(redress: Redress, case: str) -> list[tuple[str, str, Decimal, bool]]:
    """Returns (key, kind, amount, reversed) of the case's ledger entries, in order."""
    with redress.sessions() as session:
        rows = session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.complaint_id == case)
            .order_by(col(LedgerEntry.id))
        ).all()
    reversed_refs = {row.reverses_reference for row in rows}
    return [
        (row.idempotency_key, row.kind, row.amount, row.reference in reversed_refs) for row in rows
    ]


async def test_a_retried_settlement_refunds_again_under_keys_of_its_own(redress: Redress) -> None:
    # The gateway captured only 5.00 of the second order's 20.00: its refund is refused for
    # good, and the first order's refund is reversed.
    _record_second_charge(redress, "5.00")
    handle = await start_return(redress, _two_order_request())  # type: ignore[arg-type]
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    await until(redress, handle, lambda v: v.needs_person, "a person asked")

    _record_second_charge(redress, "20.00")  # the card is fixed
    await handle.execute_update(
        ReturnWorkflow.retry_settlement,
        ReviewDecision(reviewer="sup-r", approved=True, reason="card fixed"),
    )
    final = await handle.result()

    case = f"return-{final.return_id}"
    assert final.status is ReturnStatus.COMPLETED
    assert _ledger(redress, case) == [
        (f"{case}/refund/ORD-500", "refund", Decimal("80.00"), True),
        (f"{case}/refund/ORD-500/undo", "refund_reversal", Decimal("80.00"), False),
        (f"{case}/settlement-2/refund/ORD-500", "refund", Decimal("80.00"), False),
        (f"{case}/settlement-2/refund/ORD-501", "refund", Decimal("20.00"), False),
    ]
    assert final.refunded_total == Decimal("100.00"), "what the customer is told is what was paid"


async def test_a_retry_with_nothing_waiting_is_refused_before_it_reaches_the_history(
    redress: Redress,
) -> None:
    handle = await start_return(redress, return_request())
    await until(redress, handle, lambda v: v.return_parcel is not None, "a label")
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            ReturnWorkflow.retry_settlement,
            ReviewDecision(reviewer="sup-r", approved=True, reason="retry"),
        )
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "ActionNotAllowed"
    assert "no settlement is waiting for a person" in cause.message
    # Refused by the validator: the update never became part of the history.
    history = await handle.fetch_history()
    assert not any(
        e.HasField("workflow_execution_update_accepted_event_attributes") for e in history.events
    )
    view = await handle.query(ReturnWorkflow.view)
    assert view.status is ReturnStatus.AWAITING_SHIPMENT
