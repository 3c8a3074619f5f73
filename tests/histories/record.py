"""Records the histories that `tests/workflows/test_replay.py` replays.

Run `python -m tests.histories.record` (with the virtualenv's bin on PATH) after a
deliberate change to a workflow, then commit the JSON files it rewrites. Each path runs
on its own time-skipping server with Redress's real workers and a fresh SQLite store,
driven the way the workflow tests drive it.
"""

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.client import WorkflowHandle

from activities.faults import FaultPlan
from domain.compensation import CompensationKind
from domain.complaints import AgentAction, ComplaintStatus, ReplyAction
from domain.returns import ConsentDecision, InspectionVerdict, ReturnStatus
from domain.taxonomy import EscalationLevel
from store.db import make_engine, prepare_database, session_factory
from tests.servers import time_skipping_server
from tests.workflows.conftest import Redress, open_redress
from tests.workflows.helpers import intake, outbox, propose
from tests.workflows.test_return_workflow import (
    deliver_exchange,
    inspection,
    return_request,
    ship_to_warehouse,
    start_return,
    until_status,
)
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow

HISTORIES = Path(__file__).parent
KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
AGENT = "agent-quality-1"

Handle = WorkflowHandle[Any, Any]


async def complaint_happy(redress: Redress) -> Handle:
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.assignee
    reply = AgentAction(actor=view.assignee, action=ReplyAction(message="Sorry!"))
    await handle.execute_update(ComplaintWorkflow.act, reply)
    await handle.execute_update(
        ComplaintWorkflow.act, propose(view.assignee, (CompensationKind.REFUND, "60.00"))
    )
    await handle.result()
    return handle


async def complaint_escalated(redress: Redress) -> Handle:
    handle = await redress.start(intake(KETTLE))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    await redress.env.sleep(timedelta(hours=25))  # past the general tier's first response
    await redress.until(
        handle, lambda v: v.escalation_level is EscalationLevel.SUPERVISOR, "supervisor"
    )
    await redress.env.sleep(timedelta(hours=24))  # past the supervisor's window
    await redress.until(handle, lambda v: v.escalation_level is EscalationLevel.MANAGER, "manager")
    await handle.execute_update(
        ComplaintWorkflow.act, propose(AGENT, (CompensationKind.REFUND, "60.00"))
    )
    await handle.result()
    return handle


async def complaint_compensated(redress: Redress) -> Handle:
    handle = await redress.start(intake(KETTLE, paid="120.00"))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    steps = (
        (CompensationKind.REFUND, "50.00"),
        (CompensationKind.COUPON, "10.00"),
        (CompensationKind.STORE_CREDIT, "20.00"),  # declined by the fault plan
    )
    await handle.execute_update(ComplaintWorkflow.act, propose(AGENT, *steps))
    await redress.until(
        handle,
        lambda v: ("resolution_failed", "cust-1001") in outbox(redress.sessions, v.complaint_id),
        "the undo",
    )
    await handle.execute_update(ComplaintWorkflow.act, propose(AGENT))  # an apology alone
    await handle.result()
    return handle


async def complaint_auto_resolved(redress: Redress) -> Handle:
    late = "My parcel is late, it still has not arrived after a week."
    handle = await redress.start(intake(late, paid="89.00"))
    await handle.result()
    return handle


async def return_refunded(redress: Redress) -> Handle:
    handle = await start_return(redress, return_request(quantity=2))
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    await handle.result()
    return handle


async def return_exchange(redress: Redress) -> Handle:
    handle = await start_return(redress, return_request(reason="wrong_item", evidence=True))
    await until_status(redress, handle, ReturnStatus.AWAITING_CONSENT)
    await handle.execute_update(ReturnWorkflow.give_consent, ConsentDecision(accepted=True))
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    await deliver_exchange(redress, handle)
    return handle


async def return_cancelled(redress: Redress) -> Handle:
    handle = await start_return(redress, return_request())
    await handle.result()  # the time-skipping server runs the reminder and the cancel
    return handle


@dataclass(frozen=True)
class RecordedPath:
    name: str
    drive: Callable[[Redress], Awaitable[Handle]]
    faults: FaultPlan | None = None


PATHS = [
    RecordedPath("complaint-happy", complaint_happy),
    RecordedPath("complaint-escalated", complaint_escalated),
    RecordedPath(
        "complaint-compensated",
        complaint_compensated,
        FaultPlan(decline_kinds={CompensationKind.STORE_CREDIT}),
    ),
    RecordedPath("complaint-auto-resolved", complaint_auto_resolved),
    RecordedPath("return-refunded", return_refunded),
    RecordedPath("return-exchange", return_exchange),
    RecordedPath("return-cancelled", return_cancelled),
]


async def record(path: RecordedPath) -> Path:
    """Drives one path on a fresh server and store; returns the history file written."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'redress.db'}")
        prepare_database(engine)
        try:
            async with (
                time_skipping_server() as env,
                open_redress(env, session_factory(engine), path.faults) as redress,
            ):
                handle = await path.drive(redress)
                # Fetched before open_redress terminates whatever is still running.
                history = await handle.fetch_history()
        finally:
            engine.dispose()
    target = HISTORIES / f"{path.name}.json"
    target.write_text(history.to_json() + "\n")
    return target


async def main() -> None:
    for path in PATHS:
        started = time.monotonic()
        target = await record(path)
        print(f"{target.name}: {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    asyncio.run(main())
