"""The return queues: what waits for a review, for the customer's parcel, for the
courier, for the warehouse, for a person, and what is late, each with its count, the
nearest deadline first, 25 a page.

Supervisors and admins see every queue; the warehouse sees the returns awaiting
inspection and no other queue (asking for one is the 403 page); agents, who act on no
return, get the 403 page. The queue and the page are in the URL like the complaint
queues', so a link or a reload keeps the place.
"""

from dataclasses import dataclass, field

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.queue_page import QueueInputError, page_number, queue_links
from api.console.rendering import render
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem, ConsoleUser, SignedIn
from api.deps import SessionDep
from domain.access import Permission
from domain.return_queues import ReturnQueue
from domain.returns import ReturnView
from store.return_queues import ReturnQueuePage, count_return_queues, list_return_queue
from store.tables.returns import ReturnRecord

router = APIRouter(route_class=ConsoleRoute)

RETURNS_PATH = "/console/returns"


def may_see_returns(user: ConsoleUser) -> bool:
    """Returns whether the user works returns: reviews them or inspects them."""
    return user.may(Permission.REVIEW_RETURNS) or user.may(Permission.INSPECT_RETURNS)


def require_returns(user: ConsoleUser) -> None:
    """Raises the 403 page unless the user works returns."""
    if not may_see_returns(user):
        raise ConsoleProblem(403, "forbidden_returns")


def queues_for_user(user: ConsoleUser) -> list[ReturnQueue]:
    """Returns the queues the user may open, their first queue first: every queue for
    reviewers, the inspection queue alone for the warehouse."""
    if user.may(Permission.REVIEW_RETURNS):
        return list(ReturnQueue)
    return [ReturnQueue.AWAITING_INSPECTION]


@dataclass(frozen=True)
class ReturnRow:
    """One row of a queue: the stored columns and the view they came from."""

    record: ReturnRecord
    view: ReturnView


@dataclass
class ReturnQueueView:
    """What the queue template shows; `result` is None when nothing could be listed."""

    queues: list[ReturnQueue]
    queue: ReturnQueue
    counts: dict[ReturnQueue, int] = field(default_factory=dict)
    result: ReturnQueuePage | None = None
    rows: list[ReturnRow] = field(default_factory=list)
    error: QueueInputError | None = None


def _chosen_queue(request: Request, queues: list[ReturnQueue]) -> ReturnQueue:
    """Returns the queue asked for (the user's first without one); raises the refusal
    naming `queue` for a queue that is not one, the 403 page for one not theirs."""
    asked = request.query_params.get("queue", "")
    if not asked:
        return queues[0]
    if asked not in {queue.value for queue in ReturnQueue}:
        raise QueueInputError("queue_filter_invalid", field_key="return_queue", name="queue")
    if asked not in queues:
        raise ConsoleProblem(403, "forbidden_return_queue")
    return ReturnQueue(asked)


def _read(session: Session, request: Request, queues: list[ReturnQueue]) -> ReturnQueueView:
    view = ReturnQueueView(queues=queues, queue=queues[0])
    view.counts = count_return_queues(session)
    try:
        view.queue = _chosen_queue(request, queues)
        page = page_number(request)
    except QueueInputError as refused:
        view.error = refused
        return view
    view.result = list_return_queue(session, queue=view.queue, page=page)
    view.rows = [ReturnRow(record=row, view=row.as_view()) for row in view.result.rows]
    return view


@router.get("/returns")
async def return_queues(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows one return queue (the user's first unless asked), with every queue's count."""
    require_returns(user)
    view = await run_in_threadpool(_read, session, request, queues_for_user(user))
    return render(
        request,
        "returns.html",
        user=user,
        status_code=422 if view.error else 200,
        returns=view,
        page_url=queue_links(request)["page_url"],
    )
