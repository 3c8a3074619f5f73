"""Reading a service-recovery task and sending the report that closes it: the one path
`POST /recovery-tasks/{id}/complete` and the console's recovery inbox both take.

A task is opened by a low survey answer (its id is the survey's id, and the survey's
workflow holds it) or by a failure of service on a complaint (its id is its own
workflow's, `recovery-<complaint id>-<failure>`). Both are read as a `RecoveryTaskView`
and closed by the same report, sent as the `complete_recovery` update of the workflow
that holds the task. Every refusal is an `ApiError`: 404 no such task, 409 a task already
done or lapsed (nothing changes); Temporal trouble is raised as it comes.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import ApiError
from api.live_views import QUERY_TIMEOUT, stored_or_live
from api.survey_calls import current_survey_view
from api.updates import update_case
from domain.service_failures import ServiceFailure
from domain.service_recovery import RecoveryTaskClosed, ServiceRecoveryView
from domain.surveys import (
    CaseKind,
    RecoveryReport,
    RecoveryTask,
    SurveyAnswer,
    SurveyNotOpen,
    SurveyView,
)
from store.service_recovery import get_service_recovery
from store.surveys import get_survey
from workflows.service_recovery import ServiceRecoveryWorkflow
from workflows.surveys import SurveyWorkflow

_FAILURES = "|".join(failure.value for failure in ServiceFailure)
# A task's id: the id of the survey whose answer opened it (`survey_workflow_id`), or of
# the workflow a failure of service started (`service_recovery_workflow_id`).
RECOVERY_TASK_ID_PATTERN = (
    r"^(?:survey-(?:complaint|return)-[A-Za-z0-9_-]{1,64}"
    rf"|recovery-[A-Za-z0-9_-]{{1,64}}-(?:{_FAILURES}))$"
)
# The workflows' refusals of a report on a task that is no longer open.
_CLOSED_REFUSALS = {SurveyNotOpen.__name__, RecoveryTaskClosed.__name__}


@dataclass(frozen=True)
class RecoveryTaskView:
    """A recovery task with its case, whichever workflow holds it: a survey's carries the
    customer's answer, a failure's says what failed (`task.failure`, `task.reason`)."""

    task_id: str
    case_kind: CaseKind
    case_id: str
    customer_id: str
    team: str | None
    agent_id: str | None
    task: RecoveryTask
    answer: SurveyAnswer | None = None
    answered_at: datetime | None = None


def is_failure_task(task_id: str) -> bool:
    """Returns whether the task was opened by a failure of service (not by a survey)."""
    return task_id.startswith("recovery-")


def recovery_task_not_found() -> ApiError:
    """Returns the 404 for a survey that opened no recovery task (or no such task)."""
    return ApiError(404, "recovery_task_not_found", "there is no recovery task with this id")


def recovery_task_closed(detail: str) -> ApiError:
    """Returns the 409 for a task that is no longer open."""
    return ApiError(409, "recovery_task_closed", detail)


async def recovery_task_view(temporal: Client, session: Session, task_id: str) -> RecoveryTaskView:
    """Returns the task and its case; raises the 404 when there is no such task."""
    if is_failure_task(task_id):
        failure = await _failure_view(temporal, session, task_id)
        return _task_view(failure, failure.task_id, failure.recovery)
    try:
        view = await current_survey_view(temporal, session, task_id)
    except ApiError as missing:
        raise recovery_task_not_found() from missing
    if view.recovery is None:
        raise recovery_task_not_found()
    return _task_view(view, view.survey_id, view.recovery, view.answer, view.answered_at)


async def _failure_view(temporal: Client, session: Session, task_id: str) -> ServiceRecoveryView:
    """Returns the stored view of a failure's recovery (the live one before its first
    projection); raises the 404 when neither knows it."""

    async def stored() -> ServiceRecoveryView | None:
        record = await run_in_threadpool(get_service_recovery, session, task_id=task_id)
        return record.as_view() if record is not None else None

    handle = temporal.get_workflow_handle(task_id)
    return await stored_or_live(
        stored,
        lambda: handle.query(ServiceRecoveryWorkflow.view, rpc_timeout=QUERY_TIMEOUT),
        unknown=recovery_task_not_found(),
    )


def _task_view(
    view: SurveyView | ServiceRecoveryView,
    task_id: str,
    task: RecoveryTask,
    answer: SurveyAnswer | None = None,
    answered_at: datetime | None = None,
) -> RecoveryTaskView:
    return RecoveryTaskView(
        task_id=task_id,
        case_kind=view.case_kind,
        case_id=view.case_id,
        customer_id=view.customer_id,
        team=view.team,
        agent_id=view.agent_id,
        task=task,
        answer=answer,
        answered_at=answered_at,
    )


async def send_recovery_report(
    temporal: Client,
    session: Session,
    task_id: str,
    report: RecoveryReport,
    *,
    update_id: str | None = None,
) -> RecoveryTaskView:
    """Closes the task with `report` (the `complete_recovery` update of the workflow that
    holds it) and returns the task afterwards; an `update_id` sent before returns that
    update's outcome and records nothing again."""
    failure_task = is_failure_task(task_id)

    async def stored() -> bool:
        read = get_service_recovery if failure_task else _stored_survey
        return await run_in_threadpool(read, session, task_id=task_id) is not None

    # The same report, to whichever workflow holds the task.
    update: UpdateMethodMultiParam[[Any, RecoveryReport], object] = (
        ServiceRecoveryWorkflow.complete_recovery
        if failure_task
        else SurveyWorkflow.complete_recovery
    )
    try:
        await update_case(
            temporal.get_workflow_handle(task_id),
            update,
            report,
            closed=recovery_task_closed("the task's workflow has ended; the task is closed"),
            unknown=recovery_task_not_found(),
            stored=stored,
            update_id=update_id,
        )
    except WorkflowUpdateFailedError as failed:
        cause = failed.cause
        if isinstance(cause, ApplicationError) and cause.type in _CLOSED_REFUSALS:
            # Raises the 404 itself when the survey never opened a task.
            await recovery_task_view(temporal, session, task_id)
            raise recovery_task_closed(cause.message) from failed
        raise
    return await recovery_task_view(temporal, session, task_id)


def _stored_survey(session: Session, *, task_id: str) -> object | None:
    return get_survey(session, survey_id=task_id)
