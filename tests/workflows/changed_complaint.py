"""A complaint workflow changed the way that breaks running complaints: it starts a timer
before anything else. `test_replay` proves that replay catches it."""

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.complaints import ComplaintInput, ComplaintView


@workflow.defn(name="ComplaintWorkflow")
class TimerFirstComplaintWorkflow:
    @workflow.run
    async def run(self, input: ComplaintInput) -> ComplaintView:
        await workflow.sleep(timedelta(minutes=1))
        raise RuntimeError("replay never gets this far")
