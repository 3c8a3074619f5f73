import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from temporalio import workflow
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from activities.records import RecordActivities
from domain.complaints import ComplaintProjection
from store.complaints import get_complaint, timeline
from store.db import SessionFactory
from tests.factories import make_projection, make_view


@workflow.defn(sandboxed=False)
class ProjectTwiceWorkflow:
    """Test scaffolding: projects once as a regular and once as a local activity."""

    @workflow.run
    async def run(self, projection: ComplaintProjection) -> None:
        await workflow.execute_activity_method(
            RecordActivities.project_complaint,
            projection,
            start_to_close_timeout=timedelta(seconds=30),
        )
        await workflow.execute_local_activity_method(
            RecordActivities.project_complaint,
            projection,
            start_to_close_timeout=timedelta(seconds=30),
        )


def test_project_complaint_stores_the_view_once(sessions: SessionFactory) -> None:
    records = RecordActivities(sessions)
    projection = make_projection()

    ActivityEnvironment().run(records.project_complaint, projection)
    ActivityEnvironment().run(records.project_complaint, projection)

    with sessions() as session:
        record = get_complaint(session, complaint_id=projection.view.complaint_id)
        events = timeline(session, complaint_id=projection.view.complaint_id)
    assert record is not None
    assert record.as_view() == projection.view
    assert [event.seq for event in events] == [1, 2, 3]


async def test_worker_runs_the_projection_as_activity_and_local_activity(
    time_skipping_env: WorkflowEnvironment, sessions: SessionFactory
) -> None:
    projection = make_projection(make_view())
    task_queue = f"records-{uuid.uuid4()}"
    with ThreadPoolExecutor(max_workers=4) as executor:
        async with Worker(
            time_skipping_env.client,
            task_queue=task_queue,
            workflows=[ProjectTwiceWorkflow],
            activities=[RecordActivities(sessions).project_complaint],
            activity_executor=executor,
            workflow_runner=UnsandboxedWorkflowRunner(),
        ):
            await time_skipping_env.client.execute_workflow(
                ProjectTwiceWorkflow.run,
                projection,
                id=f"project-{projection.view.complaint_id}-{uuid.uuid4()}",
                task_queue=task_queue,
            )

    with sessions() as session:
        record = get_complaint(session, complaint_id=projection.view.complaint_id)
        events = timeline(session, complaint_id=projection.view.complaint_id)
    # The view crossed the pydantic data converter: decimals and aware datetimes intact.
    assert record is not None
    assert record.as_view() == projection.view
    assert record.paid_amount == projection.view.intake.order.paid_amount  # type: ignore[union-attr]
    assert [event.seq for event in events] == [1, 2, 3]
