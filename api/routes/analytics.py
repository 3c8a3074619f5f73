"""Analytics over the read model: counts, trends, service levels, satisfaction, scoreboards,
and CSV exports of complaints and of the audit trail.

Every report takes the same filter: opened in [since, until) (business-timezone days,
the last 30 by default) and any of the dimension values. Supervisors and admins only.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Annotated, Any, NamedTuple
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.auth import MayViewAnalytics
from api.deps import SessionDep
from api.errors import AUTH_RESPONSES, PROBLEM_RESPONSES
from domain.analytics import (
    Breakdown,
    Bucket,
    ComplaintFilter,
    Dimension,
    Satisfaction,
    Scope,
    Scoreboard,
    ServiceLevels,
    Trend,
)
from domain.complaints import ComplaintStatus
from domain.policy import STAFF_TIMEZONE
from domain.taxonomy import Category, Channel, CustomerTier, RootCause, SubCategory, Tier
from store import analytics, exports
from store.db import SessionFactory
from store.measures import business_day_start

router = APIRouter(
    prefix="/analytics", tags=["analytics"], responses=AUTH_RESPONSES | PROBLEM_RESPONSES
)

DEFAULT_DAYS = 30
# A report covers at most this span; longer questions are exports.
MAX_SPAN_DAYS = 3 * 366
Value = Annotated[str | None, Query(min_length=1, max_length=64)]


def business_today() -> date:
    """Returns today's date in the business timezone."""
    return datetime.now(ZoneInfo(STAFF_TIMEZONE)).date()


class DateRange(NamedTuple):
    """Business-timezone days: from `since` up to, not including, `until`."""

    since: date
    until: date


def date_range(
    since: Annotated[
        date | None, Query(description="First day counted (default: 30 days ago)")
    ] = None,
    until: Annotated[date | None, Query(description="Day after the last one counted")] = None,
) -> DateRange:
    """Returns the days the query string asks for; a bad range is a 422."""
    until = until or business_today() + timedelta(days=1)
    try:
        since = since or until - timedelta(days=DEFAULT_DAYS)
    except OverflowError:  # an `until` in the first days of year 1: no default range fits
        raise _bad_range("until", "is too early to count back from") from None
    if since >= until:
        raise _bad_range("since", "must be before until")
    if (until - since).days > MAX_SPAN_DAYS:
        raise _bad_range("until", f"a report covers at most {MAX_SPAN_DAYS} days")
    return DateRange(since=since, until=until)


DateRangeDep = Annotated[DateRange, Depends(date_range)]


def complaint_filter(
    days: DateRangeDep,
    category: Category | None = None,
    sub_category: SubCategory | None = None,
    tier: Tier | None = None,
    channel: Channel | None = None,
    sku: Value = None,
    region: Value = None,
    customer_tier: CustomerTier | None = None,
    root_cause: RootCause | None = None,
    team: Value = None,
    agent: Value = None,
    status: ComplaintStatus | None = None,
) -> ComplaintFilter:
    """Returns the filter the query string asks for; a bad date range is a 422."""
    return ComplaintFilter(
        since=days.since,
        until=days.until,
        category=category,
        sub_category=sub_category,
        tier=tier,
        channel=channel,
        sku=sku,
        region=region,
        customer_tier=customer_tier,
        root_cause=root_cause,
        team=team,
        agent=agent,
        status=status,
    )


def _bad_range(field: str, problem: str) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": ("query", field), "msg": problem, "type": "value_error"}]
    )


FilterDep = Annotated[ComplaintFilter, Depends(complaint_filter)]


@router.get("/breakdown", response_model=Breakdown)
async def complaints_by_dimension(
    session: SessionDep,
    caller: MayViewAnalytics,
    chosen: FilterDep,
    dimension: Dimension = Dimension.CATEGORY,
) -> Breakdown:
    """Returns complaint counts per value of one dimension, largest first."""
    return await run_in_threadpool(analytics.breakdown, session, chosen, dimension)


@router.get("/trend", response_model=Trend)
async def complaints_over_time(
    session: SessionDep,
    caller: MayViewAnalytics,
    chosen: FilterDep,
    bucket: Bucket = Bucket.DAY,
    split_by: Dimension | None = None,
) -> Trend:
    """Returns complaint counts per day, week or month, optionally split by a dimension."""
    return await run_in_threadpool(analytics.trend, session, chosen, bucket, split_by)


@router.get("/service-levels", response_model=ServiceLevels)
async def service_levels(
    session: SessionDep, caller: MayViewAnalytics, chosen: FilterDep
) -> ServiceLevels:
    """Returns first-response and resolution times (median, p90) against the SLA, and the
    SLA breach, escalation and auto-resolution rates."""
    return await run_in_threadpool(analytics.service_levels, session, chosen)


@router.get("/satisfaction", response_model=Satisfaction)
async def satisfaction(
    session: SessionDep, caller: MayViewAnalytics, chosen: FilterDep
) -> Satisfaction:
    """Returns CSAT, the resolved rate and NPS from the follow-up surveys."""
    return await run_in_threadpool(analytics.satisfaction, session, chosen)


@router.get("/scoreboard", response_model=Scoreboard)
async def scoreboard(
    session: SessionDep, caller: MayViewAnalytics, chosen: FilterDep, scope: Scope = Scope.AGENT
) -> Scoreboard:
    """Returns per-agent or per-team volume, SLA met, resolution time, escalations and CSAT."""
    return await run_in_threadpool(analytics.scoreboard, session, chosen, scope)


def _streamed_csv(request: Request, filename: str, write: Any) -> StreamingResponse:
    """Returns a CSV download whose rows are read in their own session as they are sent
    (the request's session closes before a streamed body is finished)."""
    sessions: SessionFactory = request.app.state.sessions

    def lines() -> Iterator[str]:
        with sessions() as session:
            yield from write(session)

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/complaints.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The complaints, oldest first"}},
)
async def export_complaints(
    request: Request, caller: MayViewAnalytics, chosen: FilterDep
) -> StreamingResponse:
    """Returns the filtered complaints as CSV, one row per complaint."""
    name = f"complaints-{chosen.since}-{chosen.until}.csv"
    return _streamed_csv(request, name, lambda session: exports.complaints_csv(session, chosen))


@router.get(
    "/audit.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Events, oldest first"}},
)
async def export_audit_trail(
    request: Request,
    caller: MayViewAnalytics,
    days: DateRangeDep,
    actor: Value = None,
    case_id: Value = None,
) -> StreamingResponse:
    """Returns the audit trail as CSV: who did what to which complaint or return, and when."""
    start = business_day_start(days.since)
    end = business_day_start(days.until)
    name = f"audit-{days.since}-{days.until}.csv"
    return _streamed_csv(
        request,
        name,
        lambda session: exports.audit_csv(
            session, since=start, until=end, actor=actor, case_id=case_id
        ),
    )
