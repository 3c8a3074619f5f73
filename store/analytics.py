"""Analytics queries over the complaint read model, the same SQL on SQLite and PostgreSQL.

Each report is one or two aggregate queries: counting, grouping and percentiles happen in
the database, never by loading rows into Python, so they stay fast at millions of rows.
Percentiles come from a histogram the database counts (`store.percentiles`), so the two
databases give the same answer on the same data.
"""

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    case,
    cast,
    func,
    literal,
    select,
)
from sqlmodel import Session

from domain.analytics import (
    Breakdown,
    Bucket,
    ComplaintFilter,
    CountRow,
    Dimension,
    DurationStats,
    Satisfaction,
    Scope,
    Scoreboard,
    ScoreRow,
    ServiceLevels,
    Trend,
    TrendPoint,
)
from domain.policy import STAFF_TIMEZONE
from store.percentiles import MEDIAN, percentiles
from store.tables.complaints import ComplaintRecord
from store.tables.surveys import SurveyRecord

complaints = ComplaintRecord.__table__  # type: ignore[attr-defined]
surveys = SurveyRecord.__table__  # type: ignore[attr-defined]

COLUMNS: dict[Dimension, Any] = {
    Dimension.CATEGORY: complaints.c.category,
    Dimension.SUB_CATEGORY: complaints.c.sub_category,
    Dimension.TIER: complaints.c.tier,
    Dimension.CHANNEL: complaints.c.channel,
    # The order's first line: complaints are about one product far more often than not.
    Dimension.SKU: complaints.c.primary_sku,
    Dimension.REGION: complaints.c.region,
    Dimension.CUSTOMER_TIER: complaints.c.customer_tier,
    Dimension.ROOT_CAUSE: complaints.c.root_cause,
    Dimension.TEAM: complaints.c.team,
    Dimension.AGENT: complaints.c.assignee,
    Dimension.STATUS: complaints.c.status,
}
# Rows a breakdown returns at most (the long tail of SKUs adds nothing to a chart).
MAX_GROUPS = 100
SECONDS_PER_HOUR = 3600


def business_day_start(day: date) -> datetime:
    """Returns the instant a calendar day starts in the business timezone."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(STAFF_TIMEZONE))


def matching(complaint_filter: ComplaintFilter) -> ColumnElement[bool]:
    """Returns the condition selecting the complaints a filter counts."""
    conditions = [
        complaints.c.created_at >= business_day_start(complaint_filter.since),
        complaints.c.created_at < business_day_start(complaint_filter.until),
    ]
    for dimension, value in complaint_filter.dimension_values().items():
        conditions.append(COLUMNS[dimension] == value)
    return and_(*conditions)


def _rate(part: int | None, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole and part is not None else None


def breakdown(
    session: Session, complaint_filter: ComplaintFilter, dimension: Dimension
) -> Breakdown:
    """Returns complaint counts per value of `dimension`, largest first."""
    column = COLUMNS[dimension]
    counted = func.count().label("n")
    query = (
        select(column.label("key"), counted)
        .where(matching(complaint_filter))
        .group_by(column)
        .order_by(counted.desc(), column)
        .limit(MAX_GROUPS)
    )
    rows = session.exec(query).all()  # type: ignore[call-overload]
    total = _count(session, complaint_filter)
    return Breakdown(
        dimension=dimension,
        total=total,
        rows=[CountRow(key=key, count=n, share=_rate(n, total) or 0.0) for key, n in rows],
    )


def _count(session: Session, complaint_filter: ComplaintFilter) -> int:
    query = select(func.count()).select_from(complaints).where(matching(complaint_filter))
    return int(session.exec(query).one()[0])  # type: ignore[call-overload]


def _bucket_expression(session: Session, bucket: Bucket) -> ColumnElement[Any]:
    """Returns the first day of each complaint's day, week or month, in business time."""
    created = complaints.c.created_at
    if session.get_bind().dialect.name == "postgresql":
        local = func.timezone(STAFF_TIMEZONE, created)
        return cast(func.date_trunc(bucket.value, local), Date)
    # SQLite has no time zones: shift by the business zone's offset (China keeps no
    # daylight saving time, so one offset is exact there).
    offset = ZoneInfo(STAFF_TIMEZONE).utcoffset(datetime.now())
    minutes = int(offset.total_seconds() // 60) if offset else 0
    shift = f"{minutes:+d} minutes"
    if bucket is Bucket.DAY:
        return func.date(created, shift)
    if bucket is Bucket.WEEK:
        return func.date(created, shift, "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01", created, shift)


def trend(
    session: Session,
    complaint_filter: ComplaintFilter,
    bucket: Bucket,
    split_by: Dimension | None = None,
) -> Trend:
    """Returns complaint counts per time bucket, split by one dimension if asked."""
    period = _bucket_expression(session, bucket).label("period")
    key = (COLUMNS[split_by] if split_by else literal(None)).label("key")
    query = (
        select(period, key, func.count().label("n"))
        .where(matching(complaint_filter))
        .group_by(period, key)
        .order_by(period, key)
    )
    points = [
        TrendPoint(bucket=_as_date(day), key=group, count=n)
        for day, group, n in session.exec(query).all()  # type: ignore[call-overload]
    ]
    return Trend(
        bucket=bucket,
        split_by=split_by,
        total=sum(point.count for point in points),
        points=points,
    )


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _count_where(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.sum(case((condition, 1), else_=0))


def _hours(seconds: float | None) -> float | None:
    return round(seconds / SECONDS_PER_HOUR, 2) if seconds is not None else None


def service_levels(session: Session, complaint_filter: ComplaintFilter) -> ServiceLevels:
    """Returns first-response and resolution times (median, p90) against the SLA, and the
    breach, escalation and auto-resolution rates."""
    where = matching(complaint_filter)
    c = complaints.c
    totals = session.exec(  # type: ignore[call-overload]
        select(
            func.count(),
            func.sum(case((c.sla_breached, 1), else_=0)),
            func.sum(case((c.escalation_level != "agent", 1), else_=0)),
            func.sum(case((c.auto_resolved, 1), else_=0)),
            func.count(c.first_response_seconds),
            func.sum(
                case(
                    (c.first_response_seconds.is_not(None) & ~c.first_response_breached, 1), else_=0
                )
            ),
            func.count(c.resolution_seconds),
            func.sum(
                case((c.resolution_seconds.is_not(None) & ~c.resolution_breached, 1), else_=0)
            ),
        ).where(where)
    ).one()
    n, breached, escalated, auto, responded, responded_in_time, resolved, resolved_in_time = (
        int(value or 0) for value in totals
    )
    first = percentiles(session, c.first_response_seconds, where).get("all", [None, None])
    resolution = percentiles(session, c.resolution_seconds, where).get("all", [None, None])
    return ServiceLevels(
        complaints=n,
        first_response=DurationStats(
            measured=responded,
            median_hours=_hours(first[0]),
            p90_hours=_hours(first[1]),
            within_sla_rate=_rate(responded_in_time, responded),
        ),
        resolution=DurationStats(
            measured=resolved,
            median_hours=_hours(resolution[0]),
            p90_hours=_hours(resolution[1]),
            within_sla_rate=_rate(resolved_in_time, resolved),
        ),
        sla_breach_rate=_rate(breached, n),
        escalation_rate=_rate(escalated, n),
        auto_resolution_rate=_rate(auto, n),
    )


def _joined_surveys() -> Any:
    return complaints.join(
        surveys,
        and_(surveys.c.case_kind == "complaint", surveys.c.case_id == complaints.c.complaint_id),
    )


def satisfaction(session: Session, complaint_filter: ComplaintFilter) -> Satisfaction:
    """Returns CSAT, resolved rate and NPS from the surveys of the complaints counted."""
    s = surveys.c
    answered = s.answered_at.is_not(None)
    row = session.exec(  # type: ignore[call-overload]
        select(
            func.count(s.sent_at),
            func.sum(case((answered, 1), else_=0)),
            func.avg(s.csat),
            func.count(s.resolved),
            func.sum(case((s.resolved.is_(True), 1), else_=0)),
            func.count(s.nps),
            func.sum(case((s.nps >= 9, 1), else_=0)),
            func.sum(case((s.nps <= 6, 1), else_=0)),
        )
        .select_from(_joined_surveys())
        .where(matching(complaint_filter))
    ).one()
    sent, n_answered, csat_avg, n_resolved_answers, n_resolved, n_nps, promoters, detractors = row
    distribution_rows = session.exec(  # type: ignore[call-overload]
        select(s.csat, func.count())
        .select_from(_joined_surveys())
        .where(matching(complaint_filter), s.csat.is_not(None))
        .group_by(s.csat)
    ).all()
    n_nps = int(n_nps or 0)
    nps = round(100 * (int(promoters or 0) - int(detractors or 0)) / n_nps, 1) if n_nps else None
    return Satisfaction(
        surveys_sent=int(sent or 0),
        answered=int(n_answered or 0),
        response_rate=_rate(int(n_answered or 0), int(sent or 0)),
        csat_average=round(float(csat_avg), 2) if csat_avg is not None else None,
        csat_distribution={score: 0 for score in range(1, 6)}
        | {int(score): int(n) for score, n in distribution_rows},
        resolved_rate=_rate(int(n_resolved or 0), int(n_resolved_answers or 0)),
        nps=nps,
        nps_answers=n_nps,
    )


def scoreboard(session: Session, complaint_filter: ComplaintFilter, scope: Scope) -> Scoreboard:
    """Returns per-agent or per-team volume, SLA met, median resolution time and CSAT."""
    c = complaints.c
    group = c.assignee if scope is Scope.AGENT else c.team
    where = and_(matching(complaint_filter), group.is_not(None))
    volume = session.exec(  # type: ignore[call-overload]
        select(
            group,
            func.count(),
            func.sum(case((c.status == "closed", 1), else_=0)),
            func.sum(case((c.sla_breached, 0), else_=1)),
            func.sum(case((c.escalation_level != "agent", 1), else_=0)),
        )
        .where(where)
        .group_by(group)
    ).all()
    csat = {
        key: (avg, n)
        for key, avg, n in session.exec(  # type: ignore[call-overload]
            select(group, func.avg(surveys.c.csat), func.count(surveys.c.csat))
            .select_from(_joined_surveys())
            .where(where, surveys.c.csat.is_not(None))
            .group_by(group)
        ).all()
    }
    medians = percentiles(session, c.resolution_seconds, where, group, quantiles=(MEDIAN,))
    rows = []
    for key, n, closed, met, escalated in volume:
        avg, answers = csat.get(key, (None, 0))
        rows.append(
            ScoreRow(
                key=key,
                complaints=int(n),
                closed=int(closed or 0),
                sla_met_rate=_rate(int(met or 0), int(n)),
                median_resolution_hours=_hours(medians.get(key, [None])[0]),
                csat_average=round(float(avg), 2) if avg is not None else None,
                csat_answers=int(answers),
                escalation_rate=_rate(int(escalated or 0), int(n)),
            )
        )
    rows.sort(key=lambda row: (-row.complaints, row.key))
    return Scoreboard(scope=scope, rows=rows)
