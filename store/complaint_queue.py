"""The console's queues: one agent's complaints, or a team's, most urgent first, with
filters, free-text search and pages.

Urgency is the escalations board's, with the next deadline in place of the resolution's
alone: complaints that need a person first, then those whose SLA was breached, then the
nearest running deadline (the first response while it is unanswered, else the
resolution); complaints whose clocks are stopped (waiting on the customer, closed, or
not started) come last, oldest first.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, and_, case, func, null, or_
from sqlmodel import Session, col, select

from domain.complaints import ComplaintStatus
from domain.taxonomy import Category, Channel, CustomerTier, Tier
from store.complaint_search import matching, search_terms
from store.tables.complaints import ComplaintRecord
from store.tables.teams import Agent, Team

OPEN_STATUSES = tuple(status.value for status in ComplaintStatus if status != "closed")
# Statuses whose SLA clocks are stopped: nothing is due.
CLOCKS_STOPPED = (ComplaintStatus.WAITING_ON_CUSTOMER.value, ComplaintStatus.CLOSED.value)
PAGE_SIZE = 25


class Waiting(StrEnum):
    """The waiting-on-customer filter: only those complaints, or all but them."""

    ONLY = "only"
    HIDE = "hide"


class QueueFilters(BaseModel):
    """What an agent narrowed a queue to; nothing set means every open complaint."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Without a status, the open ones (closed complaints are found by asking for them).
    status: ComplaintStatus | None = None
    tier: Tier | None = None
    category: Category | None = None
    channel: Channel | None = None
    customer_tier: CustomerTier | None = None
    waiting: Waiting | None = None
    # Checked by `search_terms`, which says which limit a search went past.
    q: str = ""


@dataclass(frozen=True)
class QueueScope:
    """Whose complaints a queue holds: one assignee's, one team's, or (neither) all."""

    assignee: str | None = None
    team: str | None = None


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue, the number of complaints matching, and the page's number."""

    rows: list[ComplaintRecord]
    total: int
    page: int
    pages: int


def next_due() -> ColumnElement[object]:
    """Returns the complaint's nearest running deadline as an SQL expression (NULL when
    its clocks are stopped)."""
    first_due = col(ComplaintRecord.first_response_due)
    resolution_due = col(ComplaintRecord.resolution_due)
    first_running = and_(
        col(ComplaintRecord.first_responded_at).is_(None),
        first_due.is_not(None),
        or_(resolution_due.is_(None), first_due < resolution_due),
    )
    return case(
        (col(ComplaintRecord.status).in_(CLOCKS_STOPPED), null()),
        (first_running, first_due),
        else_=resolution_due,
    )


def _conditions(
    session: Session, scope: QueueScope, filters: QueueFilters
) -> list[ColumnElement[bool]]:
    """Returns the WHERE conditions of the queue; raises `InvalidSearchError` for a
    search it cannot run."""
    status = col(ComplaintRecord.status)
    conditions: list[ColumnElement[bool]] = [
        status == filters.status.value if filters.status else status.in_(OPEN_STATUSES)
    ]
    if scope.assignee is not None:
        conditions.append(col(ComplaintRecord.assignee) == scope.assignee)
    if scope.team is not None:
        conditions.append(col(ComplaintRecord.team) == scope.team)
    chosen = {
        "tier": filters.tier,
        "category": filters.category,
        "channel": filters.channel,
        "customer_tier": filters.customer_tier,
    }
    for name, value in chosen.items():
        if value is not None:
            conditions.append(col(getattr(ComplaintRecord, name)) == value.value)
    waiting = ComplaintStatus.WAITING_ON_CUSTOMER.value
    if filters.waiting is Waiting.ONLY:
        conditions.append(status == waiting)
    elif filters.waiting is Waiting.HIDE:
        conditions.append(status != waiting)
    terms = search_terms(filters.q)
    if terms:
        conditions.append(matching(session, terms))
    return conditions


def list_queue(
    session: Session,
    *,
    scope: QueueScope,
    filters: QueueFilters,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> QueuePage:
    """Returns page `page` (from 1) of the queue, most urgent first; a page past the end
    is the last one, so a queue that shrank between two refreshes still shows rows."""
    if page < 1:
        raise ValueError(f"page must be 1 or more, got {page}")
    conditions = _conditions(session, scope, filters)
    total = session.exec(select(func.count()).select_from(ComplaintRecord).where(*conditions)).one()
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    query = (
        select(ComplaintRecord)
        .where(*conditions)
        .order_by(
            col(ComplaintRecord.needs_person).desc(),
            col(ComplaintRecord.sla_breached).desc(),
            next_due().asc().nulls_last(),
            col(ComplaintRecord.created_at).asc(),
            col(ComplaintRecord.complaint_id).asc(),
        )
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return QueuePage(rows=list(session.exec(query).all()), total=total, page=page, pages=pages)


def count_open(session: Session, *, scope: QueueScope) -> int:
    """Returns how many open complaints the queue of `scope` holds."""
    return session.exec(
        select(func.count())
        .select_from(ComplaintRecord)
        .where(*_conditions(session, scope, QueueFilters()))
    ).one()


def team_of(session: Session, *, agent_id: str) -> str | None:
    """Returns the team of the agent `agent_id`, or None for staff who are not agents."""
    return session.exec(select(Agent.team).where(col(Agent.id) == agent_id)).first()


def team_names(session: Session) -> list[str]:
    """Returns every team's name, in order."""
    return list(session.exec(select(Team.name).order_by(col(Team.name))).all())


def due_next(row: ComplaintRecord) -> tuple[str, datetime] | None:
    """Returns which deadline of `row` is due next and when, as `next_due` orders them
    (None when its clocks are stopped): for showing, beside the SQL that sorts."""
    if row.status in CLOCKS_STOPPED:
        return None
    first, resolution = row.first_response_due, row.resolution_due
    if row.first_responded_at is None and first is not None:
        if resolution is None or first < resolution:
            return "first_response", first
    return ("resolution", resolution) if resolution is not None else None
