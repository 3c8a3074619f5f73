"""Checks on the workflows' own histories: every call that created money or goods was
scheduled inside the providers' idempotency window, and every history replays against the
code as it is now, which is what a worker started after a kill has to do."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

from temporalio.client import Client, WorkflowHistory
from temporalio.service import RPCError
from temporalio.worker import Replayer

from chaos.checks import READ_CONCURRENCY
from chaos.findings import Findings
from chaos.scenarios import Case
from core.codec import codec_from_keys, data_converter
from domain.policy import PROVIDER_IDEMPOTENCY_WINDOW
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow

# Provider calls that create money or goods: each must end inside the providers'
# idempotency window, or a late retry could create it again.
CREATING_ACTIVITIES = {
    "refund_payment",
    "issue_coupon",
    "issue_store_credit",
    "create_replacement",
    "create_return_label",
    "create_outbound_shipment",
}


async def fetch_histories(cases: list[Case], temporal: Client) -> list[WorkflowHistory]:
    """Returns the history of every opened case's workflow (its newest run)."""
    limit = asyncio.Semaphore(READ_CONCURRENCY)

    async def fetch(case: Case) -> WorkflowHistory | None:
        async with limit:
            try:
                return await temporal.get_workflow_handle(case.workflow_id).fetch_history()
            except RPCError:
                return None  # a case with no workflow is already a loss

    fetched = await asyncio.gather(*(fetch(c) for c in cases if c.case_id is not None))
    return [history for history in fetched if history is not None]


def check_provider_deadlines(histories: list[WorkflowHistory], findings: Findings) -> None:
    """Every call that created money or goods was scheduled, as its history records, with a
    schedule-to-close inside half the providers' idempotency window."""
    most = PROVIDER_IDEMPOTENCY_WINDOW / 2
    for history in histories:
        for event in history.events:
            if not event.HasField("activity_task_scheduled_event_attributes"):
                continue
            scheduled = event.activity_task_scheduled_event_attributes
            name = scheduled.activity_type.name
            if name not in CREATING_ACTIVITIES:
                continue
            deadline = scheduled.schedule_to_close_timeout.ToTimedelta()
            if not timedelta(0) < deadline <= most:
                findings.risk("deadline", history.workflow_id, f"{name} may run for {deadline}")
            else:
                findings.made["provider calls inside the idempotency window"] += 1


async def check_replay(
    histories: list[WorkflowHistory], codec_keys: str, findings: Findings
) -> None:
    """Every history replays against the workflow code: a worker that takes a workflow over
    after another was killed replays it from the start, and a non-deterministic step
    would leave the workflow stuck."""
    replayer = Replayer(
        workflows=[ComplaintWorkflow, ReturnWorkflow],
        data_converter=data_converter(codec_from_keys(codec_keys)),
    )

    async def each() -> AsyncIterator[WorkflowHistory]:
        for history in histories:
            yield history

    async with replayer.workflow_replay_iterator(each()) as results:
        async for result in results:
            if result.replay_failure is not None:
                findings.risk("replay", result.history.workflow_id, str(result.replay_failure))
            else:
                findings.made["histories replayed"] += 1
