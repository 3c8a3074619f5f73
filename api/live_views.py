"""Reading a case's state: the workflow's live `view` query, or the read model's copy when
the workflow cannot answer. Complaints, returns and surveys all read this way; a closed
complaint or return also shows what its follow-up survey added to its timeline.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import RPCTimeoutOrCancelledError, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from api.errors import ApiError
from domain.complaints import ComplaintView, TimelineEvent
from domain.returns import ReturnEvent, ReturnView
from domain.survey_timeline import SURVEYED_STATUSES
from domain.surveys import CaseKind
from store.survey_timeline import survey_events_of_case

View = TypeVar("View")
CaseView = TypeVar("CaseView", ComplaintView, ReturnView)

# A query needs a worker; past this the stored view answers instead of a hung request.
QUERY_TIMEOUT = timedelta(seconds=5)


async def live_or_stored(
    live: Callable[[], Awaitable[View]],
    stored: Callable[[], Awaitable[View | None]],
    *,
    unknown: ApiError,
) -> View:
    """Returns the live view, or the stored one when the workflow cannot answer; raises
    `unknown` (a 404) when neither knows the case, or the live error when only the stored
    copy is missing."""
    try:
        return await live()
    except RPCError as error:
        live_error: Exception = error
        if error.status is RPCStatusCode.NOT_FOUND:
            live_error = unknown
    except (WorkflowQueryFailedError, RPCTimeoutOrCancelledError) as error:
        # No worker answered (for example while the stack restarts): the stored view will do.
        live_error = error
    found = await stored()
    if found is None:
        raise live_error
    return found


async def with_survey_events(
    session: Session, view: CaseView, case_kind: CaseKind, case_id: str
) -> CaseView:
    """Returns the case's view with its survey's events after its own, once the case has
    finished; the survey runs after the case's workflow ended, so only the read model
    has them."""
    if view.status not in SURVEYED_STATUSES:
        return view
    events: list[TimelineEvent | ReturnEvent] = await run_in_threadpool(
        survey_events_of_case, session, case_kind=case_kind, case_id=case_id
    )
    if not events:
        return view
    return view.model_copy(
        update={
            "timeline": [*view.timeline, *events],
            "timeline_total": view.timeline_total + len(events),
        }
    )
