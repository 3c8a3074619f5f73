"""The sums and duration percentiles that reports are made of, read from the roll-ups when
they can answer and from the complaints table when they cannot.

A roll-up row holds one dimension, so the roll-ups answer when the filter and the grouping
together name at most one dimension ("per agent", "in Zhejiang", "per team, for the quality
team"); two at once ("per team, in Zhejiang") read the complaints themselves. Either way
the answer is the same: both add up the same measures (`store.measures`).
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import func, literal, select, union_all
from sqlmodel import Session

from domain.analytics import Bucket, ComplaintFilter, Dimension
from store.measures import (
    CLOCK_SECONDS,
    COLUMNS,
    COMPLAINT_MEASURES,
    SURVEY_MEASURES,
    Clock,
    as_date,
    complaint_surveys,
    complaints,
    count_where,
    matching,
    opened_in,
)
from store.percentiles import MEDIAN, P90, Quantile, histogram_query, read_percentiles
from store.rollups import COUNTED, NO_VALUE, TIMED, TOTAL, period_counts, period_durations

# A dimension's value; None for complaints without one, and for "everything" when a
# report is not grouped.
Key = str | None
Sums = dict[str, int]


def measure_sums(
    session: Session,
    chosen: ComplaintFilter,
    names: Sequence[str],
    group: Dimension | None = None,
) -> dict[Key, Sums]:
    """Returns the sums of the measures `names` per value of `group` (under None when not
    grouped), leaving out values whose sums are all zero."""
    dimension = rollup_dimension(chosen, group, COUNTED)
    if dimension is None:
        return _sums_from_complaints(session, chosen, names, group)
    t = period_counts.c
    query = select(t.value, *(func.sum(t[name]).label(name) for name in names))
    sums: dict[Key, Sums] = defaultdict(lambda: dict.fromkeys(names, 0))
    rows = rollup_rows(session, period_counts, query, chosen, dimension, by=[t.value])
    for value, *found in rows:
        totals = sums[key_of(value) if group else None]
        for name, n in zip(names, found, strict=True):
            totals[name] += int(n)
    return {key: totals for key, totals in sums.items() if any(totals.values())}


def counts_per_period(
    session: Session, chosen: ComplaintFilter, bucket: Bucket, group: Dimension | None = None
) -> dict[tuple[date, Key], int]:
    """Returns how many complaints opened in each day, week or month (its first day), per
    value of `group` (None when not grouped)."""
    dimension = rollup_dimension(chosen, group, COUNTED)
    if dimension is None:
        return _periods_from_complaints(session, chosen, bucket, group)
    t = period_counts.c
    query = select(t.first_day, t.value, t.complaints).where(t.complaints > 0)
    # Month rows serve monthly buckets; days and weeks need the days.
    months = bucket is Bucket.MONTH
    rows = rollup_rows(session, period_counts, query, chosen, dimension, months=months)
    counts: dict[tuple[date, Key], int] = defaultdict(int)
    for first_day, value, n in rows:
        counts[(first_day_of(as_date(first_day), bucket), key_of(value) if group else None)] += n
    return dict(counts)


def duration_percentiles(
    session: Session,
    chosen: ComplaintFilter,
    clock: Clock,
    group: Dimension | None = None,
    quantiles: Sequence[Quantile] = (MEDIAN, P90),
) -> dict[Key, list[float | None]]:
    """Returns the nearest-rank percentiles of the clock's durations per value of `group`
    (under None when not grouped)."""
    dimension = rollup_dimension(chosen, group, TIMED)
    if dimension is None:
        key = (COLUMNS[group] if group else literal(TOTAL)).label("key")
        histogram = histogram_query(CLOCK_SECONDS[clock], matching(chosen), key).subquery()
    else:
        t = period_durations.c
        query = select(t.value.label("key"), t.bucket, t.complaints, t.total_seconds)
        query = query.where(t.clock == clock.value)
        spans = in_spans(period_durations, query, chosen, dimension)
        # A bucket may come from a month's rows and from days' rows: add them up.
        rows = union_all(*spans).subquery("rows") if len(spans) > 1 else spans[0].subquery()
        histogram = (
            select(
                rows.c.key, rows.c.bucket,
                func.sum(rows.c.complaints).label("n"),
                func.sum(rows.c.total_seconds).label("total"),
            )
            .group_by(rows.c.key, rows.c.bucket)
            .subquery("histogram")
        )  # fmt: skip
    found = read_percentiles(session, histogram, quantiles)
    return {(key_of(key) if group else None): values for key, values in found.items()}


class PeriodFilter(Protocol):
    """A report's filter: business days [since, until) and dimension values."""

    @property
    def since(self) -> date: ...

    @property
    def until(self) -> date: ...

    def dimension_values(self) -> Mapping[Any, str]: ...


def rollup_dimension(
    chosen: PeriodFilter, group: StrEnum | None, rolled_up: tuple[StrEnum, ...]
) -> str | None:
    """Returns the dimension of the roll-up rows that answer for this filter and grouping
    (`rolled_up` lists the dimensions that roll-up keeps), or None when none can."""
    named = set(chosen.dimension_values()) | ({group} if group else set())
    if not named:
        return TOTAL
    [only, *others] = named
    return only.value if not others and only in rolled_up else None


def rollup_rows(
    session: Session,
    table: Any,
    query: Any,
    chosen: PeriodFilter,
    dimension: str,
    *,
    months: bool = True,
    by: Sequence[Any] = (),
) -> Iterator[Any]:
    """Yields the rows of `query` over the roll-up `table` (grouped `by` those columns)
    that cover the filter's days, one query per span of `in_spans`."""
    for span in in_spans(table, query, chosen, dimension, months=months):
        yield from session.execute(span.group_by(*by) if by else span).all()


def in_spans(
    table: Any, query: Any, chosen: PeriodFilter, dimension: str, *, months: bool = True
) -> list[Any]:
    """Returns `query` over the roll-up `table` restricted to the rows of `dimension` that
    cover the filter's days, once per span: whole months from month rows when `months`
    allows, the other days from day rows. Each is one range of the primary key, which both
    databases read faster than an OR of ranges."""
    t = table.c
    query = query.where(t.dimension == dimension)
    for value in chosen.dimension_values().values():
        query = query.where(t.value == value)
    whole = [(Bucket.DAY, chosen.since, chosen.until)]
    return [
        query.where(t.period == period.value, t.first_day >= start, t.first_day < end)
        for period, start, end in (period_spans(chosen.since, chosen.until) if months else whole)
    ]


def period_spans(since: date, until: date) -> list[tuple[Bucket, date, date]]:
    """Returns [since, until) as the whole months in it and the days before and after."""
    if since.day == 1:
        first_month = since
    elif (since.year, since.month) == (date.max.year, 12):
        return [(Bucket.DAY, since, until)]
    else:
        first_month = (since.replace(day=1) + timedelta(days=31)).replace(day=1)
    last_month = until.replace(day=1)
    if first_month >= last_month:
        return [(Bucket.DAY, since, until)]
    spans = [(Bucket.MONTH, first_month, last_month)]
    if since < first_month:
        spans.append((Bucket.DAY, since, first_month))
    if last_month < until:
        spans.append((Bucket.DAY, last_month, until))
    return spans


def key_of(value: str | None) -> Key:
    """Returns a dimension's value as reports give it: None for "no value"."""
    # The roll-ups keep "no value" as "", the complaints table as NULL.
    return None if value == NO_VALUE else value


def first_day_of(day: date, bucket: Bucket) -> date:
    """Returns the first day of the day, week (from Monday) or month `day` falls in."""
    if bucket is Bucket.WEEK:
        return day - timedelta(days=day.weekday())
    if bucket is Bucket.MONTH:
        return day.replace(day=1)
    return day


def _sums_from_complaints(
    session: Session, chosen: ComplaintFilter, names: Sequence[str], group: Dimension | None
) -> dict[Key, Sums]:
    sums: dict[Key, Sums] = defaultdict(lambda: dict.fromkeys(names, 0))
    for measures, source in (
        (COMPLAINT_MEASURES, complaints),
        (SURVEY_MEASURES, complaint_surveys()),
    ):
        wanted = [name for name in names if name in measures]
        if not wanted:
            continue
        counted = [count_where(measures[name]).label(name) for name in wanted]
        if group is None:
            query = select(*counted).select_from(source).where(matching(chosen))
        else:
            column = COLUMNS[group]
            query = select(column, *counted).select_from(source).where(matching(chosen))
            query = query.group_by(column)
        for row in session.execute(query):
            totals = sums[key_of(row[0]) if group else None]
            for name in wanted:
                totals[name] += int(row._mapping[name])
    return {key: totals for key, totals in sums.items() if any(totals.values())}


def _periods_from_complaints(
    session: Session, chosen: ComplaintFilter, bucket: Bucket, group: Dimension | None
) -> dict[tuple[date, Key], int]:
    period = opened_in(session.get_bind().dialect.name, bucket).label("period")
    if group is None:
        query = select(period, func.count()).where(matching(chosen)).group_by(period)
        return {(as_date(day), None): n for day, n in session.execute(query)}
    column = COLUMNS[group]
    query = select(period, column, func.count()).where(matching(chosen)).group_by(period, column)
    return {(as_date(day), key_of(key)): n for day, key, n in session.execute(query)}
