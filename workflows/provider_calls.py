"""Calling providers from a workflow: payments and fulfilment on the providers' queue,
couriers on theirs, each with the retry policy that tells transient from permanent."""

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.compensation import CompensationReceipt, CompensationRequest, UndoRequest
    from domain.complaints import providers_task_queue
    from domain.returns import couriers_task_queue
    from workflows import activity_calls as calls


async def call_provider(
    name: str, request: CompensationRequest | UndoRequest, *, undoing: bool = False
) -> CompensationReceipt:
    """Returns the provider's receipt for one compensation step, or for undoing one.

    An undo has no overall deadline: it retries until the provider takes it.
    """
    receipt: CompensationReceipt = await workflow.execute_activity(
        name,
        request,
        result_type=CompensationReceipt,
        summary=_summary(request),
        task_queue=providers_task_queue(workflow.info().task_queue),
        start_to_close_timeout=calls.PROVIDER_START_TO_CLOSE,
        schedule_to_close_timeout=None if undoing else calls.PROVIDER_SCHEDULE_TO_CLOSE,
        retry_policy=calls.UNDO_RETRY if undoing else calls.PROVIDER_RETRY,
    )
    return receipt


async def call_courier(name: str, request: Any, result_type: Any = None) -> Any:
    """Returns the courier's answer to one call (a parcel, a claim receipt, or nothing)."""
    return await workflow.execute_activity(
        name,
        request,
        result_type=result_type,
        summary=f"{name} ({request.idempotency_key})",
        task_queue=couriers_task_queue(workflow.info().task_queue),
        start_to_close_timeout=calls.COURIER_START_TO_CLOSE,
        schedule_to_close_timeout=calls.COURIER_SCHEDULE_TO_CLOSE,
        retry_policy=calls.COURIER_RETRY,
    )


def _summary(request: CompensationRequest | UndoRequest) -> str:
    """Returns what ops read beside the activity in the Temporal UI."""
    if isinstance(request, UndoRequest):
        receipt = request.receipt
        return f"undo {receipt.kind} {receipt.amount} {receipt.reference}"
    return f"{request.kind} {request.amount} {request.currency} ({request.idempotency_key})"
