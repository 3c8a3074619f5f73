"""Reading a case's state: the read model's copy, or the workflow's live `view` query while
the read model has none yet. Complaints, returns and surveys all read this way; a closed
complaint or return also shows what its follow-up survey added to its timeline, and a
complaint the outcome of the recovery tasks its failures opened.

Why the read model first: the workflows project their view in the same workflow task as
every change, before an update's answer goes back, so the stored view is as fresh as a
query's answer, costs no worker time and answers while no worker runs. And a query can
wedge a workflow: when it reaches a worker that holds the workflow in its cache while a
signal or activity result waits for the workflow's next task, the SDK's core (temporalio
1.35) applies that event during the query; the workflow's reaction is then sent ahead of
an update accepted in that next task, in an order a replay cannot reproduce (the chaos run
caught two cases; docs/operations.md, "A case stuck on a nondeterminism error").
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError, RPCStatusCode

from api.errors import ApiError
from domain.complaints import ComplaintView, TimelineEvent
from domain.returns import ReturnEvent, ReturnView
from domain.surveys import CaseKind
from store.survey_timeline import survey_events_of_case

View = TypeVar("View")
CaseView = TypeVar("CaseView", ComplaintView, ReturnView)

# A query needs a worker; past this the stored view answers instead of a hung request.
QUERY_TIMEOUT = timedelta(seconds=5)


async def stored_or_live(
    stored: Callable[[], Awaitable[View | None]],
    live: Callable[[], Awaitable[View]],
    *,
    unknown: ApiError,
) -> View:
    """Returns the stored view, or the live one while the case has not been projected yet;
    raises `unknown` (a 404) when neither knows the case, or the live error when the
    workflow cannot answer either."""
    found = await stored()
    if found is not None:
        return found
    # Only in the moment between a case's start and its first projection, when the
    # workflow's first task is still pending: the query waits for that task.
    try:
        return await live()
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:
            raise unknown from error
        raise


async def with_survey_events(
    session: Session, view: CaseView, case_kind: CaseKind, case_id: str
) -> CaseView:
    """Returns the case's view with the events its follow-up workflows added to its
    timeline, in time order among its own: its survey's, which runs after the case's
    workflow ended, and a complaint's recovery tasks' (done or lapsed), which may end
    after it too. Only the read model has them."""
    events: list[TimelineEvent | ReturnEvent] = await run_in_threadpool(
        survey_events_of_case, session, case_kind=case_kind, case_id=case_id
    )
    if not events:
        return view
    return view.model_copy(
        update={
            "timeline": sorted([*view.timeline, *events], key=lambda event: event.at),
            "timeline_total": view.timeline_total + len(events),
        }
    )
