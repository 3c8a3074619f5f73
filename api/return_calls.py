"""Reading a return and sending it decisions: the one path the JSON routes and the
customer's page share, so consent given on the page reaches the workflow exactly as one
sent to `POST /returns/{id}/consent` does.

Errors are raised, never turned into responses here (see `api.complaint_calls`).
"""

from typing import TypeVar

from pydantic import BaseModel
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import ApiError
from api.live_views import QUERY_TIMEOUT, stored_or_live, with_survey_events
from api.updates import update_case
from domain.returns import ReturnView, return_workflow_id
from domain.surveys import CaseKind as SurveyCaseKind
from store.returns import get_return
from workflows.returns import ReturnWorkflow

_Decision = TypeVar("_Decision", bound=BaseModel)


def return_not_found(return_id: str) -> ApiError:
    """Returns the 404 for a return id that neither Temporal nor the read model knows."""
    return ApiError(404, "return_not_found", f"no return {return_id}; check the id in the URL")


def return_closed(return_id: str) -> ApiError:
    """Returns the 409 for a decision sent to a return that already finished."""
    return ApiError(
        409,
        "return_closed",
        f"return {return_id} is closed and takes no more decisions; open a new return instead",
    )


async def current_return_view(temporal: Client, session: Session, return_id: str) -> ReturnView:
    """Returns the return's stored view (its live state before its first projection),
    with its survey's events; raises the 404 when neither knows it."""
    handle = temporal.get_workflow_handle(return_workflow_id(return_id))

    async def stored() -> ReturnView | None:
        record = await run_in_threadpool(get_return, session, return_id=return_id)
        return record.as_view() if record is not None else None

    view = await stored_or_live(
        stored,
        lambda: handle.query(ReturnWorkflow.view, rpc_timeout=QUERY_TIMEOUT),
        unknown=return_not_found(return_id),
    )
    return await with_survey_events(session, view, SurveyCaseKind.RETURN, return_id)


async def decide_return(
    temporal: Client,
    session: Session,
    return_id: str,
    update: UpdateMethodMultiParam[[ReturnWorkflow, _Decision], ReturnView],
    decision: _Decision,
    *,
    update_id: str | None = None,
) -> ReturnView:
    """Returns the view after the workflow took `decision` through `update` (the view the
    earlier update with `update_id` returned, when there was one)."""

    async def stored() -> bool:
        return await run_in_threadpool(get_return, session, return_id=return_id) is not None

    return await update_case(
        temporal.get_workflow_handle(return_workflow_id(return_id)),
        update,
        decision,
        closed=return_closed(return_id),
        unknown=return_not_found(return_id),
        stored=stored,
        update_id=update_id,
    )
