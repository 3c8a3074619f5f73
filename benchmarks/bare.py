"""The baseline: what bare Temporal does with the same server and the same machine.

`BareWorkflow` runs N no-op activities (and M local ones) in a row and ends; started in a loop with
`client.start_workflow`, it is the floor any application on Temporal pays. Its worker runs
in its own process, as Redress's does: `python -m benchmarks.bare_worker --task-queue Q`.
"""

from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow


@activity.defn
async def bare_step(step: int) -> int:
    """Returns its input: an activity that does nothing but cost a round trip."""
    return step


@dataclass
class BareSteps:
    """How many no-op activities to run: regular ones, then local ones."""

    activities: int = 1
    local_activities: int = 0


@workflow.defn
class BareWorkflow:
    @workflow.run
    async def run(self, steps: BareSteps) -> int:
        for step in range(steps.activities):
            await workflow.execute_activity(
                bare_step, step, start_to_close_timeout=timedelta(seconds=30)
            )
        for step in range(steps.local_activities):
            await workflow.execute_local_activity(
                bare_step, step, start_to_close_timeout=timedelta(seconds=30)
            )
        return steps.activities + steps.local_activities
