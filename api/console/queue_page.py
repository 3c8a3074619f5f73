"""The queues: my queue (complaints assigned to me) and team queues (my team's; every
team's for supervisors), most urgent first, filtered, searched and paged.

Everything the agent chose is in the URL (a GET form), so a reload, a bookmark or the
back button finds the same place. The list part is fetched again every few seconds
(`/live`, an HTML fragment, by the console's one static script), so countdowns and new
complaints show up while the filters, the page and the scroll position stay.
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.rendering import render
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem, ConsoleUser, SignedIn
from api.deps import SessionDep
from domain.access import Permission
from domain.complaints import ComplaintStatus
from domain.taxonomy import Category, Channel, CustomerTier, Tier
from store.complaint_queue import (
    QueueFilters,
    QueuePage,
    QueueScope,
    due_next,
    list_queue,
    team_names,
    team_of,
)
from store.complaint_search import InvalidSearchError

router = APIRouter(route_class=ConsoleRoute)

REFRESH_SECONDS = 15
# Query parameters that choose something other than a filter.
NOT_FILTERS = ("lang", "page", "team")
# The filters offered as lists: (parameter, label family, label key, values).
SELECTS = [
    ("tier", "tier", "severity", [tier.value for tier in Tier]),
    ("category", "category", "category", [category.value for category in Category]),
    ("channel", "channel", "channel", [channel.value for channel in Channel]),
    ("customer_tier", "customer_tier", "customer_tier", [tier.value for tier in CustomerTier]),
]
STATUSES = [status.value for status in ComplaintStatus]
# The words a refused parameter is named by, as its label on the form.
FIELD_LABELS = {
    "status": "status",
    "tier": "severity",
    "category": "category",
    "channel": "channel",
    "customer_tier": "customer_tier",
    "waiting": "waiting_on_customer",
    "q": "search",
    "team": "team",
}


class QueueInputError(Exception):
    """A filter, page or search the queue cannot use: `message_key` and its `values`."""

    def __init__(self, message_key: str, **values: object) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self.values = values


@dataclass
class QueueView:
    """What the queue templates show; `result` is None when nothing could be listed."""

    mine: bool
    filters: QueueFilters = field(default_factory=QueueFilters)
    team: str | None = None
    teams: list[str] = field(default_factory=list)
    has_team: bool = True
    result: QueuePage | None = None
    error: QueueInputError | None = None


def _filters(request: Request) -> QueueFilters:
    chosen = {
        name: value
        for name, value in request.query_params.items()
        if name not in NOT_FILTERS and value != ""
    }
    try:
        return QueueFilters.model_validate(chosen)
    except ValidationError as invalid:
        name = str(invalid.errors()[0]["loc"][0])
        raise QueueInputError(
            "queue_filter_invalid", field_key=FIELD_LABELS.get(name), name=name
        ) from None


def page_number(request: Request) -> int:
    """Returns the `page` asked for (1 without one); raises the refusal unless it is a
    whole number from 1."""
    raw = request.query_params.get("page", "1") or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise QueueInputError("queue_page_invalid")
    return int(raw)


def _team_scope(session: Session, user: ConsoleUser, asked: str, view: QueueView) -> QueueScope:
    """Returns the team queue's scope: any team (or all) for supervisors, the agent's own
    for agents; raises the 403 page for an agent asking for another team."""
    if user.may(Permission.WORK_ANY_COMPLAINT):
        view.teams = team_names(session)
        if asked and asked not in view.teams:
            raise QueueInputError("queue_filter_invalid", field_key="team", name="team")
        view.team = asked or None
        return QueueScope(team=view.team)
    own = team_of(session, agent_id=user.principal.user_id)
    if asked and asked != own:
        raise ConsoleProblem(403, "forbidden_team")
    view.team, view.has_team = own, own is not None
    return QueueScope(team=own)


def _read(session: Session, request: Request, user: ConsoleUser, *, mine: bool) -> QueueView:
    view = QueueView(mine=mine)
    try:
        if mine:
            scope = QueueScope(assignee=user.principal.user_id)
        else:
            scope = _team_scope(session, user, request.query_params.get("team", ""), view)
        view.filters = _filters(request)
        page = page_number(request)
        if view.has_team:
            view.result = list_queue(session, scope=scope, filters=view.filters, page=page)
    except InvalidSearchError as refused:
        view.error = QueueInputError(f"search_{refused.reason}", limit=refused.limit)
    except QueueInputError as refused:
        view.error = refused
    return view


def queue_links(request: Request) -> dict[str, Any]:
    """Returns the URLs the queue's templates link to: its pages and its live part."""
    path = request.url.path.removesuffix("/live")
    kept = {k: v for k, v in request.query_params.items() if k != "lang"}

    def page_url(number: int) -> str:
        return f"{path}?{urlencode(kept | {'page': str(number)})}"

    return {
        "page_url": page_url,
        "clear_url": path + (f"?{urlencode({'team': kept['team']})}" if kept.get("team") else ""),
        "live_url": f"{path}/live" + (f"?{urlencode(kept)}" if kept else ""),
    }


async def _queue(request: Request, user: ConsoleUser, session: Session, *, mine: bool) -> Response:
    view = await run_in_threadpool(_read, session, request, user, mine=mine)
    part = request.url.path.endswith("/live")
    return render(
        request,
        "queue_live.html" if part else "queue.html",
        user=user,
        status_code=422 if view.error else 200,
        queue=view,
        refresh_seconds=REFRESH_SECONDS,
        due_next=due_next,
        statuses=STATUSES,
        selects=SELECTS,
        blank_filters=QueueFilters(),
        **queue_links(request),
    )


# Each queue answers at /live too with its list part alone, which the page's script
# fetches to refresh itself.
@router.get("/queue")
@router.get("/queue/live")
async def my_queue(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows the complaints assigned to the signed-in user, most urgent first."""
    return await _queue(request, user, session, mine=True)


@router.get("/queue/team")
@router.get("/queue/team/live")
async def team_queue(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows the team's open complaints (any team's, or all, for supervisors)."""
    return await _queue(request, user, session, mine=False)
