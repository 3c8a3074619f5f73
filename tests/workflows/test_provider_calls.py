"""Provider calls from workflows: deadlines inside the providers' idempotency window, and
idempotency keys that come from the case and the step, never from a run."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import col, select
from temporalio.client import WorkflowHandle

from domain.compensation import CompensationKind
from domain.complaints import ComplaintStatus
from domain.policy import PROVIDER_IDEMPOTENCY_WINDOW
from domain.returns import InspectionVerdict
from store.tables.ledger import LedgerEntry
from tests.workflows.conftest import Redress
from tests.workflows.helpers import intake, propose
from tests.workflows.test_return_workflow import (
    inspection,
    return_request,
    ship_to_warehouse,
    start_return,
)
from workflows import activity_calls as calls
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
# Calls that create money or goods; their undos retry without a deadline (see the policy).
CREATING_CALLS = {*calls.DO_COMPENSATION.values(), calls.CREATE_RETURN_LABEL}


def test_calls_that_move_money_or_goods_end_well_inside_the_idempotency_window() -> None:
    for deadline in (calls.PROVIDER_SCHEDULE_TO_CLOSE, calls.COURIER_SCHEDULE_TO_CLOSE):
        assert timedelta(0) < deadline <= PROVIDER_IDEMPOTENCY_WINDOW / 2
        assert calls.PROVIDER_START_TO_CLOSE < deadline


async def _scheduled_deadlines(handle: WorkflowHandle[Any, Any]) -> dict[str, timedelta]:
    """Returns each creating activity's schedule-to-close, as the history recorded it."""
    history = await handle.fetch_history()
    deadlines: dict[str, timedelta] = {}
    for event in history.events:
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled = event.activity_task_scheduled_event_attributes
            if scheduled.activity_type.name in CREATING_CALLS:
                timeout = scheduled.schedule_to_close_timeout.ToTimedelta()
                deadlines[scheduled.activity_type.name] = timeout
    return deadlines


def _ledger_keys(redress: Redress, case: str) -> list[str]:
    with redress.sessions() as session:
        rows = session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.complaint_id == case)
            .order_by(col(LedgerEntry.id))
        ).all()
        return [row.idempotency_key for row in rows]


async def test_a_complaint_refund_is_keyed_by_complaint_and_step_inside_the_window(
    redress: Redress,
) -> None:
    handle = await redress.start(intake(KETTLE, paid="120.00"))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    await handle.execute_update(
        ComplaintWorkflow.act,
        propose(
            "agent-quality-1",
            (CompensationKind.REFUND, "50.00"),
            (CompensationKind.COUPON, "5.00"),
        ),
    )
    final = await handle.result()
    run_id = (await handle.describe()).run_id

    deadlines = await _scheduled_deadlines(handle)
    assert set(deadlines) == {"refund_payment", "issue_coupon"}
    for deadline in deadlines.values():
        assert timedelta(0) < deadline <= PROVIDER_IDEMPOTENCY_WINDOW / 2
    keys = _ledger_keys(redress, final.complaint_id)
    assert keys == [
        f"{final.complaint_id}/resolution-1/0-refund",
        f"{final.complaint_id}/resolution-1/1-coupon",
    ]
    assert run_id and not any(run_id in key for key in keys)


async def test_a_return_refund_is_keyed_by_return_and_order_inside_the_window(
    redress: Redress,
) -> None:
    handle = await start_return(redress, return_request())
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    final = await handle.result()

    deadlines = await _scheduled_deadlines(handle)
    assert set(deadlines) == {"refund_payment", "create_return_label"}
    for deadline in deadlines.values():
        assert timedelta(0) < deadline <= PROVIDER_IDEMPOTENCY_WINDOW / 2
    case = f"return-{final.return_id}"
    assert _ledger_keys(redress, case) == [f"{case}/refund/ORD-500"]
    assert final.refunded_total == Decimal("80.00")
