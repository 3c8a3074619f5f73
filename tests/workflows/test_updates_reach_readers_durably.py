"""What an update changes reaches the read model only once the update is in the case's
history.

An update's handler runs inside a workflow task; until that task completes, the update is
not accepted and nothing it did is durable. The chaos run found a warehouse inspection in
the read model (status "settling", an "inspected" event) of a return whose workflow never
accepted it: the handler's projection had run as a local activity inside the task, the
worker was killed before the task completed, the API that sent the update was killed too,
and nobody sent it again, since every reader saw the inspection done. The return sat
waiting for an inspection everyone believed made.

The test holds the projection at the moment it writes the inspection to the store and
reads the history then: the update must already be accepted there.
"""

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.returns import InspectionVerdict, ReturnStatus
from store.db import SessionFactory
from tests.workflows.conftest import open_redress
from tests.workflows.test_return_workflow import (
    inspection,
    return_request,
    ship_to_warehouse,
    start_return,
)
from workflows.returns import ReturnWorkflow

# Longer than a workflow task's timeout (10 s): a projection inside the task would keep it
# open all this time, so the history could not hold the update yet.
HOLD_SECONDS = 15


class StoreGate:
    """Holds the first write of a return's `inspected` event until the test has looked."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()

    def before_execute(
        self, _conn: Any, _cursor: Any, statement: str, params: Any, *_: Any
    ) -> None:
        if self.reached.is_set() or "return_events" not in statement:
            return
        if "'inspected'" in repr(params):
            self.reached.set()
            self.release.wait(HOLD_SECONDS)


@contextmanager
def gated_writes(engine: Engine) -> Iterator[StoreGate]:
    gate = StoreGate()
    event.listen(engine, "before_cursor_execute", gate.before_execute)
    try:
        yield gate
    finally:
        gate.release.set()
        event.remove(engine, "before_cursor_execute", gate.before_execute)


async def accepted_updates(handle: WorkflowHandle[Any, Any]) -> list[str]:
    """Returns the names of the updates the workflow's history holds as accepted."""
    names = []
    async for history_event in handle.fetch_history_events():
        if history_event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            attributes = history_event.workflow_execution_update_accepted_event_attributes
            names.append(attributes.accepted_request.input.name)
    return names


async def test_an_inspection_reaches_the_read_model_only_once_the_update_is_accepted(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, engine: Engine
) -> None:
    async with open_redress(dev_server_env, sessions) as redress:
        handle = await start_return(redress, return_request())
        await ship_to_warehouse(redress, handle)

        with gated_writes(engine) as gate:
            reported = asyncio.create_task(
                handle.execute_update(
                    ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
                )
            )
            if not await asyncio.to_thread(gate.reached.wait, HOLD_SECONDS):
                raise AssertionError("the inspection never reached the read model")
            in_history = await accepted_updates(handle)
            gate.release.set()
            await reported

        assert "report_inspection" in in_history, (
            "the read model showed the inspection before the update was in the history"
        )
        final = await asyncio.wait_for(handle.result(), 30)
        assert final.status is ReturnStatus.COMPLETED
