"""Percentiles of a duration column, computed from a histogram the database builds.

Sorting a million durations (a window function, or PostgreSQL's `percentile_disc`) costs
far more than counting them into buckets, and SQLite has no percentile function at all. So
one GROUP BY counts values into buckets whose width grows with the value (1/64 of each
power of two: every bucket spans under 1.6 % of its values), and the percentile is read
from the cumulative counts here. The answer is the smallest value in the bucket that holds
the nearest rank, ceil(q * n): exact whenever that bucket holds one distinct value, and
never more than 1.6 % low otherwise. Both databases run the same SQL and agree.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlmodel import Session

# Fractions as (numerator, denominator), so ranks are integer arithmetic.
Quantile = tuple[int, int]
MEDIAN: Quantile = (1, 2)
P90: Quantile = (9, 10)
# Buckets per power of two; durations up to 2**25 s (about a year) get their own widths.
BUCKETS_PER_OCTAVE_BITS = 6
MAX_OCTAVE = 25


def bucket_of(value: Any) -> ColumnElement[Any]:
    """Returns the bucket's lower bound for each value: exact below 128, then a width of
    2**(k-6) within [2**k, 2**(k+1))."""
    exact_below = 2 ** (BUCKETS_PER_OCTAVE_BITS + 1)
    whens: list[tuple[ColumnElement[bool], ColumnElement[Any]]] = [(value < exact_below, value)]
    for octave in range(BUCKETS_PER_OCTAVE_BITS + 1, MAX_OCTAVE + 1):
        whens.append((value < 2 ** (octave + 1), _floor_to(value, octave)))
    return case(*whens, else_=_floor_to(value, MAX_OCTAVE))


def _floor_to(value: Any, octave: int) -> ColumnElement[Any]:
    # `//` is integer division on both databases (SQLAlchemy's `/` would be true division).
    width = 2 ** (octave - BUCKETS_PER_OCTAVE_BITS)
    return (value // width) * width  # type: ignore[no-any-return]


def percentiles(
    session: Session,
    value: Any,
    where: ColumnElement[bool],
    group: Any = None,
    quantiles: Sequence[Quantile] = (MEDIAN, P90),
) -> dict[Any, list[float | None]]:
    """Returns, per group (or under "all"), the nearest-rank percentiles of `value` among
    the rows `where` selects; NULL values are left out."""
    key = (group if group is not None else literal("all")).label("key")
    bucket = bucket_of(value).label("bucket")
    query = (
        select(key, bucket, func.count(), func.min(value))
        .where(where, value.is_not(None))
        .group_by(key, bucket)
        .order_by(key, bucket)
    )
    histograms: dict[Any, list[tuple[int, float]]] = {}
    for group_key, _, count, smallest in session.exec(query).all():  # type: ignore[call-overload]
        histograms.setdefault(group_key, []).append((int(count), float(smallest)))
    return {
        group_key: [_read(histogram, quantile) for quantile in quantiles]
        for group_key, histogram in histograms.items()
    }


def _read(histogram: list[tuple[int, float]], quantile: Quantile) -> float | None:
    total = sum(count for count, _ in histogram)
    if total == 0:
        return None
    numerator, denominator = quantile
    rank = (numerator * total + denominator - 1) // denominator  # ceil(q * n)
    seen = 0
    for count, smallest in histogram:
        seen += count
        if seen >= rank:
            return smallest
    return histogram[-1][1]
