"""Reading a service-recovery task and sending the report that closes it: the one path
`POST /recovery-tasks/{id}/complete` and the console's recovery inbox both take.

A task's id is its survey's id. Every refusal is an `ApiError`: 404 no survey or no task
on it, 409 a task already done or lapsed (nothing changes); Temporal trouble is raised as
it comes.
"""

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from api.errors import ApiError
from api.survey_calls import current_survey_view
from api.updates import update_case
from domain.surveys import RecoveryReport, SurveyNotOpen, SurveyView
from store.surveys import get_survey
from workflows.surveys import SurveyWorkflow

# A task's id: the id of the survey whose answer opened it (`survey_workflow_id`).
RECOVERY_TASK_ID_PATTERN = r"^survey-(complaint|return)-[A-Za-z0-9_-]{1,64}$"


def recovery_task_not_found() -> ApiError:
    """Returns the 404 for a survey that opened no recovery task (or no such survey)."""
    return ApiError(404, "recovery_task_not_found", "there is no recovery task with this id")


def recovery_task_closed(detail: str) -> ApiError:
    """Returns the 409 for a task that is no longer open."""
    return ApiError(409, "recovery_task_closed", detail)


async def recovery_task_view(temporal: Client, session: Session, task_id: str) -> SurveyView:
    """Returns the survey whose answer opened the task (its `recovery` is set); raises the
    404 when there is no such survey or it opened no task."""
    try:
        view = await current_survey_view(temporal, session, task_id)
    except ApiError as missing:
        raise recovery_task_not_found() from missing
    if view.recovery is None:
        raise recovery_task_not_found()
    return view


async def send_recovery_report(
    temporal: Client,
    session: Session,
    task_id: str,
    report: RecoveryReport,
    *,
    update_id: str | None = None,
) -> SurveyView:
    """Closes the task with `report` (the survey's `complete_recovery` update) and returns
    the survey afterwards; an `update_id` sent before returns that update's outcome and
    records nothing again."""

    async def stored() -> bool:
        return await run_in_threadpool(get_survey, session, survey_id=task_id) is not None

    try:
        await update_case(
            temporal.get_workflow_handle(task_id),
            SurveyWorkflow.complete_recovery,
            report,
            closed=recovery_task_closed("the survey has ended; its recovery task is closed"),
            unknown=recovery_task_not_found(),
            stored=stored,
            update_id=update_id,
        )
    except WorkflowUpdateFailedError as failed:
        cause = failed.cause
        if isinstance(cause, ApplicationError) and cause.type == SurveyNotOpen.__name__:
            # Raises the 404 itself when the survey never opened a task.
            await recovery_task_view(temporal, session, task_id)
            raise recovery_task_closed(cause.message) from failed
        raise
    return await recovery_task_view(temporal, session, task_id)
