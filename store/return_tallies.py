"""The sums return reports are made of, read from the roll-ups when they can answer and
from the return facts when they cannot.

As for complaints (`store.tallies`), a roll-up row holds one dimension, so the roll-ups
answer when the filter and the grouping together name at most one ("per reason", "for
SKU S1", "per SKU, for SKU S1"); two at once ("per reason, for SKU S1") read the facts.
Both add up the same measures (`store.return_measures`), so the answer is the same.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from domain.analytics import Bucket
from domain.return_analytics import ReturnDimension, ReturnFilter
from store.measures import as_date, opened_in
from store.return_measures import column_of, facts, matching, measures_for, with_lines
from store.return_rollups import return_counts
from store.rollups import NO_VALUE
from store.tallies import Key, Sums, first_day_of, key_of, rollup_dimension, rollup_rows

ROLLED_UP: tuple[ReturnDimension, ...] = tuple(ReturnDimension)
# What a currency-less return's amounts are kept under: it has none (nothing was paid).
NO_CURRENCY = NO_VALUE
CurrencySums = dict[tuple[Key, str], Sums]


def return_sums(
    session: Session,
    chosen: ReturnFilter,
    names: Sequence[str],
    group: ReturnDimension | None = None,
) -> CurrencySums:
    """Returns the sums of the measures `names` per value of `group` (None when not
    grouped) and currency, leaving out those whose sums are all zero."""
    dimension = rollup_dimension(chosen, group, ROLLED_UP)
    sums: CurrencySums = defaultdict(lambda: dict.fromkeys(names, 0))
    if dimension is None:
        rows = _rows_from_facts(session, chosen, names, group)
    else:
        t = return_counts.c
        query = select(t.value, t.currency, *(func.sum(t[name]) for name in names))
        by = [t.value, t.currency]
        rows = list(rollup_rows(session, return_counts, query, chosen, dimension, by=by))
    for value, currency, *found in rows:
        totals = sums[(key_of(value) if group else None, currency or NO_CURRENCY)]
        for name, n in zip(names, found, strict=True):
            totals[name] += int(n or 0)
    return {key: totals for key, totals in sums.items() if any(totals.values())}


def _rows_from_facts(
    session: Session, chosen: ReturnFilter, names: Sequence[str], group: ReturnDimension | None
) -> list[Any]:
    named = set(chosen.dimension_values()) | ({group} if group else set())
    by_sku = ReturnDimension.SKU in named
    measures = measures_for(ReturnDimension.SKU if by_sku else None)
    value = column_of(group) if group else func.min(NO_VALUE)
    query = (
        select(value, facts.c.currency, *(func.sum(measures[name]) for name in names))
        .select_from(with_lines() if by_sku else facts)
        .where(matching(chosen))
        .group_by(*([column_of(group)] if group else []), facts.c.currency)
    )
    return list(session.execute(query))


def returns_per_period(
    session: Session, chosen: ReturnFilter, bucket: Bucket, group: ReturnDimension | None = None
) -> dict[tuple[date, Key], int]:
    """Returns how many returns opened in each day, week or month (its first day), per
    value of `group` (None when not grouped)."""
    dimension = rollup_dimension(chosen, group, ROLLED_UP)
    counts: dict[tuple[date, Key], int] = defaultdict(int)
    if dimension is None:
        period = opened_in(session.get_bind().dialect.name, bucket, facts.c.opened_at)
        by_sku = ReturnDimension.SKU in {*chosen.dimension_values(), group}
        grouped = [period, *([column_of(group)] if group else [])]
        query = (
            select(*grouped, func.count())
            .select_from(with_lines() if by_sku else facts)
            .where(matching(chosen))
            .group_by(*grouped)
        )
        for day, *key, n in session.execute(query):
            counts[(as_date(day), key_of(key[0]) if group else None)] += n
        return dict(counts)
    t = return_counts.c
    query = select(t.first_day, t.value, func.sum(t.returns)).where(t.returns > 0)
    # Month rows serve monthly buckets; days and weeks need the days.
    months = bucket is Bucket.MONTH
    by = [t.first_day, t.value]
    for first_day, value, n in rollup_rows(
        session, return_counts, query, chosen, dimension, months=months, by=by
    ):
        day = first_day_of(as_date(first_day), bucket)
        counts[(day, key_of(value) if group else None)] += int(n)
    return dict(counts)
