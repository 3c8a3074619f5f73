"""Keeping the return facts and their roll-ups (`store.tables.return_analytics`) equal to
the returns they describe.

The projection writes a return's facts beside its row; what the return adds to the
roll-ups is read from the database before and after, and the difference is added in the
same transaction, as `store.rollups` does for complaints. A replay, or a late older view
that the upserts refuse, changes nothing, so it adds nothing. `rebuild_return_rollups`
recomputes the roll-ups from the facts, for rows written some other way.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, literal, select
from sqlmodel import Session

from domain.analytics import Bucket
from domain.return_analytics import ReturnDimension, ReturnFacts
from store.measures import as_date, opened_in
from store.return_measures import (
    COLUMNS,
    MEASURES,
    column_of,
    facts,
    line_facts,
    measures_for,
    with_lines,
)
from store.rollups import NO_VALUE, PERIODS, TOTAL, add_sums, hold_case, sums_change
from store.tables import table_of
from store.tables.return_analytics import ReturnPeriodCounts
from store.upsert import built_once, insert_on_conflict

return_counts = table_of(ReturnPeriodCounts)

COUNT_KEY = ["dimension", "period", "first_day", "value", "currency"]
CountKey = tuple[str, str, Any, str, str]  # as COUNT_KEY
Sums = dict[str, int]
FACT_COLUMNS = [column.name for column in facts.c]


@contextmanager
def return_rollups_kept(session: Session, *, return_id: str) -> Iterator[None]:
    """Runs a block that rewrites a return's facts, then moves the return's contribution
    to the roll-ups from what it was to what it is. The caller commits."""
    hold_case(session, f"return-rollups:{return_id}", return_counts, "returns")
    before = contribution_of(session, return_id)
    yield
    change = sums_change(contribution_of(session, return_id), before, list(MEASURES))
    add_sums(session, return_counts, change, COUNT_KEY, list(MEASURES))


def write_facts(session: Session, found: ReturnFacts) -> None:
    """Stores a return's facts unless the stored ones come from a newer view, and its
    lines once. The caller commits."""
    row = found.model_dump(exclude={"lines"})

    def build() -> Any:
        upsert = insert_on_conflict(session, facts)
        return upsert.on_conflict_do_update(
            index_elements=["return_id"],
            set_={name: upsert.excluded[name] for name in FACT_COLUMNS if name != "return_id"},
            # `<=`, as for the returns row: one workflow task's changes share a timestamp.
            where=facts.c.updated_at <= upsert.excluded["updated_at"],
        )

    session.execute(built_once(session, ("upsert", facts.name), build), row)
    if not found.lines:
        return
    lines = [
        {"return_id": found.return_id, "sku": sku, "units": units}
        for sku, units in sorted(found.lines.items())
    ]

    def build_lines() -> Any:
        return insert_on_conflict(session, line_facts).on_conflict_do_nothing(
            index_elements=["return_id", "sku"]
        )

    session.execute(built_once(session, ("insert once", line_facts.name), build_lines), lines)


def contribution_of(session: Session, return_id: str) -> dict[CountKey, Sums]:
    """Returns what the stored facts of a return add to the roll-ups now."""
    dialect = session.get_bind().dialect.name
    row = session.execute(_facts_query(dialect), {"return_id": return_id}).first()
    if row is None:
        return {}
    found = row._mapping
    day = as_date(found["day"])
    currency = found["currency"] or NO_VALUE
    measures = {name: int(found[name]) for name in MEASURES}
    values = [(TOTAL, NO_VALUE)]
    values += [(d.value, found[d.value] or NO_VALUE) for d in COLUMNS]
    skus = session.execute(_lines_query(), {"return_id": return_id}).all()
    result: dict[CountKey, Sums] = {}
    for period, first_day in ((Bucket.DAY, day), (Bucket.MONTH, day.replace(day=1))):
        for dimension, value in values:
            result[(dimension, period.value, first_day, value, currency)] = dict(measures)
        for sku, units in skus:
            key = (ReturnDimension.SKU.value, period.value, first_day, sku, currency)
            result[key] = measures | {"units": int(units)}
    return result


@cache
def _facts_query(dialect: str) -> Any:
    """Returns the query for one return's day, currency, dimension values and measures."""
    return select(
        opened_in(dialect, Bucket.DAY, facts.c.opened_at).label("day"),
        facts.c.currency,
        *(column.label(dimension.value) for dimension, column in COLUMNS.items()),
        *(measure.label(name) for name, measure in MEASURES.items()),
    ).where(facts.c.return_id == bindparam("return_id"))


@cache
def _lines_query() -> Any:
    return select(line_facts.c.sku, line_facts.c.units).where(
        line_facts.c.return_id == bindparam("return_id")
    )


def rebuild_return_rollups(session: Session) -> None:
    """Recomputes the roll-ups from the return facts stored, for rows that were written
    without the projection (seeds, imports, a repair). The caller commits."""
    dialect = session.get_bind().dialect.name
    session.execute(delete(return_counts))
    currency = func.coalesce(facts.c.currency, NO_VALUE).label("currency")
    dimensions: list[ReturnDimension | None] = [None, *ReturnDimension]
    for period in PERIODS:
        first_day = opened_in(dialect, period, facts.c.opened_at).label("first_day")
        for dimension in dimensions:
            value: Any = literal(NO_VALUE)
            name, source = TOTAL, facts
            if dimension is not None:
                name, value = dimension.value, func.coalesce(column_of(dimension), NO_VALUE)
                source = with_lines() if dimension is ReturnDimension.SKU else facts
            sums = measures_for(dimension)
            per_period = (
                select(
                    literal(name), literal(period.value), first_day, value.label("value"),
                    currency, *(func.sum(sums[measure]) for measure in MEASURES),
                )
                .select_from(source)
                .group_by(first_day, value, currency)
            )  # fmt: skip
            columns = [*COUNT_KEY, *MEASURES]
            session.execute(insert(return_counts).from_select(columns, per_period))
