"""Reading a follow-up survey and sending it the customer's answer (the survey page's path
to `SurveyWorkflow`).

Every refusal is an `ApiError` with its own status, so the page and its JSON variant say
the same thing: 404 no such survey, 409 already answered or not open yet, 410 closed (the
link's time is up, or the survey ended). Temporal trouble is raised as it comes.
"""

from datetime import datetime

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from api.errors import ApiError
from api.live_views import QUERY_TIMEOUT, stored_or_live
from api.updates import update_case
from domain.surveys import (
    SurveyAlreadyAnswered,
    SurveyAnswer,
    SurveyExpired,
    SurveyNotOpen,
    SurveyRefused,
    SurveyResult,
    SurveyView,
    check_answer,
)
from store.surveys import get_survey
from workflows.surveys import SurveyWorkflow


def survey_not_found() -> ApiError:
    """Returns the 404 for a valid link whose survey neither Temporal nor the store knows."""
    return ApiError(404, "survey_not_found", "there is no survey behind this link")


def survey_already_answered() -> ApiError:
    """Returns the 409 for a second answer: a survey takes one."""
    return ApiError(
        409, "survey_already_answered", "this survey has already been answered; it takes one"
    )


def survey_closed() -> ApiError:
    """Returns the 410 for a survey that no longer takes answers."""
    return ApiError(410, "survey_closed", "this survey has closed and no longer takes answers")


def survey_not_open() -> ApiError:
    """Returns the 409 for a survey that has not been sent to the customer yet."""
    return ApiError(409, "survey_not_open", "this survey has not been sent yet; try again later")


# The workflow's typed refusals (the `ApplicationError` type) and the domain's, as answers.
_REFUSALS = {
    SurveyAlreadyAnswered.__name__: survey_already_answered,
    SurveyExpired.__name__: survey_closed,
    SurveyNotOpen.__name__: survey_not_open,
}


def refusal_of(refused: SurveyRefused) -> ApiError:
    """Returns the answer to a refusal the domain check raised."""
    return _REFUSALS.get(type(refused).__name__, survey_closed)()


def check_open(view: SurveyView, now: datetime) -> None:
    """Raises the 409 or 410 unless the survey waits for the customer's answer."""
    try:
        check_answer(view, now)
    except SurveyRefused as refused:
        raise refusal_of(refused) from refused


async def current_survey_view(temporal: Client, session: Session, survey_id: str) -> SurveyView:
    """Returns the survey's stored view (its live state before its first projection);
    raises the 404 when neither knows it."""
    handle = temporal.get_workflow_handle(survey_id)

    async def stored() -> SurveyView | None:
        record = await run_in_threadpool(get_survey, session, survey_id=survey_id)
        return record.as_view() if record is not None else None

    return await stored_or_live(
        stored,
        lambda: handle.query(SurveyWorkflow.view, rpc_timeout=QUERY_TIMEOUT),
        unknown=survey_not_found(),
    )


async def send_survey_answer(
    temporal: Client, session: Session, survey_id: str, answer: SurveyAnswer
) -> SurveyResult:
    """Returns the survey's result of recording `answer` (the `answer` update)."""

    async def stored() -> bool:
        return await run_in_threadpool(get_survey, session, survey_id=survey_id) is not None

    try:
        return await update_case(
            temporal.get_workflow_handle(survey_id),
            SurveyWorkflow.answer,
            answer,
            closed=survey_closed(),
            unknown=survey_not_found(),
            stored=stored,
        )
    except WorkflowUpdateFailedError as failed:
        cause = failed.cause
        refusal = _REFUSALS.get(cause.type or "") if isinstance(cause, ApplicationError) else None
        raise (refusal or survey_closed)() from failed
    except ApiError as refused:
        if refused.error != "survey_closed":
            raise
        # The workflow has finished: answered before (409) or closed unanswered (410).
        view = await current_survey_view(temporal, session, survey_id)
        raise (survey_already_answered() if view.answer else refused) from refused
