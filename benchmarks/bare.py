"""The baseline: what bare Temporal does with the same server and the same machine.

`BareWorkflow` runs N no-op activities in a row and ends; started in a loop with
`client.start_workflow`, it is the floor any application on Temporal pays. Its worker runs
in its own process, as Redress's does: `python -m benchmarks.bare_worker --task-queue Q`.
"""

from datetime import timedelta

from temporalio import activity, workflow


@activity.defn
async def bare_step(step: int) -> int:
    """Returns its input: an activity that does nothing but cost a round trip."""
    return step


@workflow.defn
class BareWorkflow:
    @workflow.run
    async def run(self, steps: int) -> int:
        for step in range(steps):
            await workflow.execute_activity(
                bare_step, step, start_to_close_timeout=timedelta(seconds=30)
            )
        return steps
