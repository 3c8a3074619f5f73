"""The analytics page: a period's complaints and returns as charts, for a manager's weekly
review.

Supervisors and admins only (`VIEW_ANALYTICS`, as for `/analytics/*`). The reports come
straight from `store.analytics`, the functions the JSON endpoints serve, so the page and
the API never disagree; the CSV links point at the API's exports, which accept the
console's session cookie.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.analytics_figures import Words
from api.console.analytics_filters import (
    DEFAULT_SPLIT,
    ENUM_FILTERS,
    FILTER_LABELS,
    PRESET_DAYS,
    SPLITS,
    TEXT_FILTERS,
    AnalyticsChoice,
    read_choice,
)
from api.console.analytics_returns import build_returns_view, read_return_reports
from api.console.analytics_view import BREAKDOWN_CHARTS, AnalyticsReports, build_view
from api.console.rendering import choose_language, render
from api.console.routing import ConsoleRoute
from api.console.session import SignedIn, require
from api.deps import SessionDep
from api.routes.analytics import MAX_SPAN_DAYS
from domain.access import Permission
from domain.analytics import Bucket, Scope
from store import analytics
from store.teams import list_agents

router = APIRouter(route_class=ConsoleRoute)

# A form field: empty means "not chosen" (a GET form sends every field, empty or not).
FormField = Annotated[str, Query(max_length=64)]


def read_reports(session: Session, choice: AnalyticsChoice) -> AnalyticsReports:
    """Returns every report the page shows, for the chosen days and filters."""
    chosen = choice.complaint_filter()
    # Only the total of the period before is needed: a month bucket keeps it to a few rows.
    previous = analytics.trend(session, choice.previous_filter(), Bucket.MONTH)
    return AnalyticsReports(
        previous_total=previous.total,
        trend=analytics.trend(session, chosen, choice.bucket, choice.split_by),
        breakdowns={
            dimension: analytics.breakdown(session, chosen, dimension)
            for dimension, _, _ in BREAKDOWN_CHARTS
        },
        service=analytics.service_levels(session, chosen),
        satisfaction=analytics.satisfaction(session, chosen),
        agents=analytics.scoreboard(session, chosen, Scope.AGENT),
        teams=analytics.scoreboard(session, chosen, Scope.TEAM),
    )


def known_teams(session: Session) -> list[str]:
    """Returns the teams agents belong to, for the team filter's suggestions."""
    return sorted({agent.team for agent in list_agents(session, active_only=False)})


@router.get("/analytics")
async def analytics_page(
    request: Request,
    user: SignedIn,
    session: SessionDep,
    days: Annotated[int | None, Query(ge=1, le=MAX_SPAN_DAYS)] = None,
    first_day: FormField = "",
    last_day: FormField = "",
    bucket: FormField = "",
    split: FormField = DEFAULT_SPLIT,
    category: FormField = "",
    tier: FormField = "",
    channel: FormField = "",
    customer_tier: FormField = "",
    region: FormField = "",
    team: FormField = "",
) -> Response:
    """Shows the period's complaints over time, what they are about, service levels,
    satisfaction and the scoreboards, for the chosen filters; then the period's returns:
    return rates, settlements, carrier claims and inspections."""
    require(user, Permission.VIEW_ANALYTICS, "forbidden_analytics")
    choice = read_choice(
        days=days,
        first_day=first_day,
        last_day=last_day,
        bucket=bucket,
        split=split,
        filters={
            "category": category,
            "tier": tier,
            "channel": channel,
            "customer_tier": customer_tier,
            "region": region,
            "team": team,
        },
    )
    reports = await run_in_threadpool(read_reports, session, choice)
    returns = await run_in_threadpool(read_return_reports, session, choice)
    teams = await run_in_threadpool(known_teams, session)
    language, _ = choose_language(request, user)
    return render(
        request,
        "analytics.html",
        user=user,
        choice=choice,
        view=build_view(reports, choice, language),
        returns=build_returns_view(returns, choice, Words(language)),
        presets=PRESET_DAYS,
        enum_filters=ENUM_FILTERS,
        filter_labels=FILTER_LABELS,
        text_filters=TEXT_FILTERS,
        splits=list(SPLITS),
        buckets=[Bucket.DAY, Bucket.WEEK],
        teams=teams,
    )
