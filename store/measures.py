"""What complaint reports count: the dimensions they cut by, the business day a complaint
counts on, and the measures they add up (each one a condition, counted where it holds).

The reports over the complaints table, the daily roll-ups and their rebuild all use these
definitions, so a figure means the same whichever of them answers it.
"""

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, and_, case, cast, func, true

from domain.analytics import Bucket, ComplaintFilter, Dimension
from domain.policy import STAFF_TIMEZONE
from store.tables import table_of
from store.tables.complaints import ComplaintRecord
from store.tables.surveys import SurveyRecord

complaints = table_of(ComplaintRecord)
surveys = table_of(SurveyRecord)
_c = complaints.c
_s = surveys.c

COLUMNS: dict[Dimension, Any] = {
    Dimension.CATEGORY: _c.category,
    Dimension.SUB_CATEGORY: _c.sub_category,
    Dimension.TIER: _c.tier,
    Dimension.CHANNEL: _c.channel,
    # The order's first line: complaints are about one product far more often than not.
    Dimension.SKU: _c.primary_sku,
    Dimension.REGION: _c.region,
    Dimension.CUSTOMER_TIER: _c.customer_tier,
    Dimension.ROOT_CAUSE: _c.root_cause,
    Dimension.TEAM: _c.team,
    Dimension.AGENT: _c.assignee,
    Dimension.STATUS: _c.status,
}

# Counted once per complaint.
COMPLAINT_MEASURES: dict[str, ColumnElement[bool]] = {
    "complaints": true(),
    # A merged complaint's handling goes on in the survivor: it closed, but is not one
    # more complaint dealt with (it counts as received, and never as resolved).
    "closed": (_c.status == "closed") & _c.close_reason.is_distinct_from("merged"),
    "breached": _c.sla_breached.is_(True),
    "escalated": _c.escalation_level != "agent",
    "auto_resolved": _c.auto_resolved.is_(True),
    "responded": _c.first_response_seconds.is_not(None),
    "responded_in_time": _c.first_response_seconds.is_not(None) & ~_c.first_response_breached,
    "resolved": _c.resolution_seconds.is_not(None),
    "resolved_in_time": _c.resolution_seconds.is_not(None) & ~_c.resolution_breached,
}
# Counted once per survey of a complaint. CSAT is kept as its 1-5 distribution, which
# gives the number of answers and their average too.
CSAT_MEASURES = {score: f"csat_{score}" for score in range(1, 6)}
SURVEY_MEASURES: dict[str, ColumnElement[bool]] = {
    "surveys_sent": _s.sent_at.is_not(None),
    "surveys_answered": _s.answered_at.is_not(None),
    **{name: _s.csat == score for score, name in CSAT_MEASURES.items()},
    "resolved_answers": _s.resolved.is_not(None),
    "resolved_yes": _s.resolved.is_(True),
    "nps_answers": _s.nps.is_not(None),
    "promoters": _s.nps >= 9,
    "detractors": _s.nps <= 6,
}
MEASURES = (*COMPLAINT_MEASURES, *SURVEY_MEASURES)


class Clock(StrEnum):
    """An SLA clock whose durations reports take percentiles of."""

    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


CLOCK_SECONDS: dict[Clock, Any] = {
    Clock.FIRST_RESPONSE: _c.first_response_seconds,
    Clock.RESOLUTION: _c.resolution_seconds,
}


def count_where(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """Returns how many rows meet `condition` (0, never NULL, for one row or many)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def complaint_surveys() -> Any:
    """Returns the complaints joined to their surveys (a complaint without one drops out)."""
    return complaints.join(
        surveys, and_(_s.case_kind == "complaint", _s.case_id == _c.complaint_id)
    )


def business_day_start(day: date) -> datetime:
    """Returns the instant a calendar day starts in the business timezone."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(STAFF_TIMEZONE))


def matching(complaint_filter: ComplaintFilter) -> ColumnElement[bool]:
    """Returns the condition selecting the complaints a filter counts."""
    conditions = [
        _c.created_at >= business_day_start(complaint_filter.since),
        _c.created_at < business_day_start(complaint_filter.until),
    ]
    for dimension, value in complaint_filter.dimension_values().items():
        conditions.append(COLUMNS[dimension] == value)
    return and_(*conditions)


def opened_in(dialect: str, bucket: Bucket, opened_at: Any = None) -> ColumnElement[Any]:
    """Returns the first day of each complaint's day, week or month (or of the moment in
    the column `opened_at`), in business time, on the database `dialect` names."""
    created = _c.created_at if opened_at is None else opened_at
    if dialect == "postgresql":
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


def as_date(value: date | datetime | str) -> date:
    """Returns a day as the databases hand it back (a date, a timestamp or ISO text)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)
