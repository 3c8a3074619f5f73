"""Keeping the roll-ups (`store.tables.rollups`) equal to the complaints they add up.

What a complaint contributes (its measures under each dimension's value, its durations'
buckets) is read from the database before and after a projection rewrites the complaint or
one of its surveys; the difference is added to the roll-ups in the same transaction. A
replay, or a late older view that the upsert refuses, changes nothing, so it adds nothing.
`rebuild_rollups` recomputes them from scratch, for rows written some other way.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from hashlib import blake2b
from typing import Any, TypeVar

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    bindparam,
    case,
    delete,
    false,
    func,
    insert,
    literal,
    select,
    text,
    true,
    update,
)
from sqlmodel import Session

from domain.analytics import Bucket, Dimension
from store.measures import (
    CLOCK_SECONDS,
    COLUMNS,
    COMPLAINT_MEASURES,
    MEASURES,
    SURVEY_MEASURES,
    Clock,
    as_date,
    complaints,
    count_where,
    opened_in,
    surveys,
)
from store.percentiles import bucket_floor, bucket_of
from store.tables import table_of
from store.tables.rollups import ComplaintPeriodCounts, ComplaintPeriodDurations
from store.upsert import built_once, insert_on_conflict

period_counts = table_of(ComplaintPeriodCounts)
period_durations = table_of(ComplaintPeriodDurations)

# The dimension that counts every complaint, and the value of a complaint without one.
TOTAL = "all"
NO_VALUE = ""
COUNTED: tuple[Dimension, ...] = tuple(Dimension)
# A day's histogram per SKU would hold about one complaint: SKU reports read the complaints.
TIMED: tuple[Dimension, ...] = tuple(d for d in Dimension if d is not Dimension.SKU)
COUNT_KEY = ["dimension", "period", "first_day", "value"]
DURATION_KEY = ["dimension", "clock", "period", "first_day", "value", "bucket"]
DURATION_SUMS = ["complaints", "total_seconds"]

# Each complaint counts in its day's row and in its month's, so that a report over months
# reads one row per month and only its first and last weeks day by day.
PERIODS = (Bucket.DAY, Bucket.MONTH)
CountKey = tuple[str, str, date, str]  # as COUNT_KEY
DurationKey = tuple[str, str, str, date, str, int]  # as DURATION_KEY


@dataclass
class Contribution:
    """What some complaints add to the roll-ups (or, as a difference, what they change)."""

    counts: dict[CountKey, dict[str, int]] = field(default_factory=dict)
    durations: dict[DurationKey, tuple[int, int]] = field(default_factory=dict)

    def minus(self, before: "Contribution") -> "Contribution":
        """Returns what turns `before` into this contribution, leaving out what is equal."""
        change = Contribution(counts=sums_change(self.counts, before.counts, MEASURES))
        for timed in self.durations.keys() | before.durations.keys():
            count, seconds = self.durations.get(timed, (0, 0))
            count_was, seconds_was = before.durations.get(timed, (0, 0))
            if (count, seconds) != (count_was, seconds_was):
                change.durations[timed] = (count - count_was, seconds - seconds_was)
        return change


Key = TypeVar("Key", bound=tuple[Any, ...])


def sums_change(
    now: dict[Key, dict[str, int]], before: dict[Key, dict[str, int]], names: Sequence[str]
) -> dict[Key, dict[str, int]]:
    """Returns what turns the sums `before` into `now` per roll-up row, leaving out rows
    that stay equal."""
    change = {}
    for key in now.keys() | before.keys():
        is_now, was = now.get(key, {}), before.get(key, {})
        delta = {name: is_now.get(name, 0) - was.get(name, 0) for name in names}
        if any(delta.values()):
            change[key] = delta
    return change


@contextmanager
def complaint_rollups_kept(session: Session, *, complaint_id: str) -> Iterator[None]:
    """Runs a block that rewrites a complaint or one of its surveys, then moves the
    complaint's contribution to the roll-ups from what it was to what it is. The caller
    commits."""
    hold_case(session, f"complaint-rollups:{complaint_id}", period_counts, "complaints")
    before = contribution_of(session, complaint_id)
    yield
    apply_change(session, contribution_of(session, complaint_id).minus(before))


def hold_case(session: Session, lock: str, table: Any, column: str) -> None:
    """Waits until no other transaction holds `lock` (a case's name), then holds it until
    this one ends; on SQLite, by a write to `table` that changes nothing in `column`."""
    # Two writers of the same case (its projection and its survey's, or a retried attempt
    # still running) must not both read the same "before". PostgreSQL locks the name until
    # commit, whether or not the case's row exists yet; SQLite has one writer at a time,
    # and a first write (this one changes nothing) takes that lock before the reads, which
    # then see every commit made before it.
    if session.get_bind().dialect.name == "postgresql":
        digest = blake2b(lock.encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        unchanged = {column: table.c[column]}
        session.execute(update(table).where(false()).values(unchanged))


def contribution_of(session: Session, complaint_id: str) -> Contribution:
    """Returns what the stored complaint and its surveys add to the roll-ups now."""
    query = _facts_query(session.get_bind().dialect.name)
    row = session.execute(query, {"complaint_id": complaint_id}).first()
    if row is None:
        return Contribution()
    facts = row._mapping
    day = as_date(facts["day"])
    periods = [(Bucket.DAY.value, day), (Bucket.MONTH.value, day.replace(day=1))]
    measures = {name: int(facts[name]) for name in COMPLAINT_MEASURES}
    measures |= {name: int(facts[name]) for name in SURVEY_MEASURES}
    values = {dimension: facts[dimension.value] or NO_VALUE for dimension in COLUMNS}
    counted = [(TOTAL, NO_VALUE), *((d.value, values[d]) for d in COUNTED)]
    timed = [(TOTAL, NO_VALUE), *((d.value, values[d]) for d in TIMED)]
    result = Contribution()
    for period, first_day in periods:
        for dimension, value in counted:
            result.counts[(dimension, period, first_day, value)] = dict(measures)
        for clock in Clock:
            seconds = facts[clock.value]
            if seconds is None:
                continue
            bucket = bucket_floor(int(seconds))
            for dimension, value in timed:
                key = (dimension, clock.value, period, first_day, value, bucket)
                result.durations[key] = (1, int(seconds))
    return result


@cache
def _facts_query(dialect: str) -> Any:
    """Returns the query for one complaint's day, dimension values, durations and measures
    (1 or 0 each, and its surveys' summed)."""
    s = surveys.c
    wanted: BindParameter[str] = bindparam("complaint_id")
    answers = select(*_survey_counts()).where(s.case_kind == "complaint", s.case_id == wanted)
    answered = answers.subquery("answers")
    return (
        select(
            opened_in(dialect, Bucket.DAY).label("day"),
            *(column.label(dimension.value) for dimension, column in COLUMNS.items()),
            *(case((met, 1), else_=0).label(name) for name, met in COMPLAINT_MEASURES.items()),
            *(seconds.label(clock.value) for clock, seconds in CLOCK_SECONDS.items()),
            *answered.c,
        )
        .select_from(complaints.join(answered, true()))
        .where(complaints.c.complaint_id == wanted)
    )


def apply_change(session: Session, change: Contribution) -> None:
    """Adds a change to the roll-ups, creating the rows it needs. The caller commits."""
    add_sums(session, period_counts, change.counts, COUNT_KEY, MEASURES)
    if change.durations:
        durations = [
            dict(zip(DURATION_KEY, key, strict=True))
            | dict(zip(DURATION_SUMS, change.durations[key], strict=True))
            for key in sorted(change.durations)
        ]
        _add(session, period_durations, durations, DURATION_KEY, DURATION_SUMS)


def add_sums(
    session: Session,
    table: Any,
    change: dict[Key, dict[str, int]],
    keys: Sequence[str],
    sums: Sequence[str],
) -> None:
    """Adds `change` (sums per roll-up row, keyed by the columns `keys`) to the roll-up
    `table`, creating the rows it needs. The caller commits."""
    # Rows are written in key order, so two projections that both change the rows of one
    # day take their locks in the same order and never wait for each other in a circle.
    if change:
        rows = [dict(zip(keys, key, strict=True)) | change[key] for key in sorted(change)]
        _add(session, table, rows, keys, sums)


def _add(
    session: Session,
    table: Any,
    rows: list[dict[str, Any]],
    keys: Sequence[str],
    sums: Sequence[str],
) -> None:
    # One statement run for every row rather than one statement holding every row: its
    # SQL stays the same whatever the number of rows.
    def build() -> Any:
        upsert = insert_on_conflict(session, table)
        return upsert.on_conflict_do_update(
            index_elements=keys,
            set_={name: table.c[name] + upsert.excluded[name] for name in sums},
        )

    session.execute(built_once(session, ("add", table.name), build), rows)


def rebuild_rollups(session: Session) -> None:
    """Recomputes the roll-ups from the complaints and surveys stored, for rows that were
    written without the projection (seeds, imports, a repair). The caller commits."""
    dialect = session.get_bind().dialect.name
    session.execute(delete(period_counts))
    session.execute(delete(period_durations))
    for period in PERIODS:
        first_day = opened_in(dialect, period).label("first_day")
        for dimension, column in _columns(COUNTED):
            _recount(session, period, first_day, dimension, _value_of(column).label("value"))
        for dimension, column in _columns(TIMED):
            value = _value_of(column).label("value")
            for clock, seconds in CLOCK_SECONDS.items():
                bucket = bucket_of(seconds).label("bucket")
                per_bucket = (
                    select(
                        literal(dimension), literal(clock.value), literal(period.value),
                        first_day, value, bucket, func.count(), func.sum(seconds),
                    )
                    .where(seconds.is_not(None))
                    .group_by(first_day, value, bucket)
                )  # fmt: skip
                names = [*DURATION_KEY, *DURATION_SUMS]
                session.execute(insert(period_durations).from_select(names, per_bucket))


def _recount(session: Session, period: Bucket, first_day: Any, dimension: str, value: Any) -> None:
    answers = _survey_answers()
    with_answers = complaints.outerjoin(answers, answers.c.case_id == complaints.c.complaint_id)
    per_period = (
        select(
            literal(dimension), literal(period.value), first_day, value,
            *(count_where(met) for met in COMPLAINT_MEASURES.values()),
            *(func.coalesce(func.sum(answers.c[name]), 0) for name in SURVEY_MEASURES),
        )
        .select_from(with_answers)
        .group_by(first_day, value)
    )  # fmt: skip
    session.execute(insert(period_counts).from_select([*COUNT_KEY, *MEASURES], per_period))


def _columns(dimensions: tuple[Dimension, ...]) -> list[tuple[str, Any]]:
    """Returns each rolled-up dimension's name and column, "all" first (no column)."""
    return [(TOTAL, None), *((d.value, COLUMNS[d]) for d in dimensions)]


def _value_of(column: Any) -> ColumnElement[Any]:
    if column is None:
        return literal(NO_VALUE)
    return func.coalesce(column, NO_VALUE)


def _survey_answers() -> Any:
    """Returns each complaint's survey measures, summed over its surveys."""
    return (
        select(surveys.c.case_id, *_survey_counts())
        .where(surveys.c.case_kind == "complaint")
        .group_by(surveys.c.case_id)
        .subquery("answers")
    )


def _survey_counts() -> list[ColumnElement[Any]]:
    return [count_where(met).label(name) for name, met in SURVEY_MEASURES.items()]
