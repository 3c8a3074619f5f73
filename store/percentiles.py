"""Percentiles of a duration column, computed from a histogram the database builds.

Sorting a million durations (a window function, or PostgreSQL's `percentile_disc`) costs
far more than counting them into buckets, and SQLite has no percentile function at all. So
one GROUP BY counts values into buckets whose width grows with the value (1/64 of each
power of two: every bucket spans under 1.6 % of its values), and the percentile is read
from the cumulative counts here. The answer is the mean of the values in the bucket that
holds the nearest rank, ceil(q * n): exact whenever that bucket holds one distinct value,
and never more than 1.6 % off otherwise. A bucket is kept as (count, total seconds), which
the daily roll-ups can add and subtract as complaints change (a smallest value could not
be taken back out), so both databases and the roll-ups give the same answer.
"""

from collections.abc import Iterable, Sequence
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
EXACT_BELOW = 2 ** (BUCKETS_PER_OCTAVE_BITS + 1)
# One bucket of a histogram: its lower bound, how many values it holds and their sum.
Bucket = tuple[int, int, int]


def bucket_of(value: Any) -> ColumnElement[Any]:
    """Returns the bucket's lower bound for each value: exact below 128, then a width of
    2**(k-6) within [2**k, 2**(k+1))."""
    whens: list[tuple[ColumnElement[bool], ColumnElement[Any]]] = [(value < EXACT_BELOW, value)]
    for octave in range(BUCKETS_PER_OCTAVE_BITS + 1, MAX_OCTAVE + 1):
        whens.append((value < 2 ** (octave + 1), _floor_to(value, octave)))
    return case(*whens, else_=_floor_to(value, MAX_OCTAVE))


def _floor_to(value: Any, octave: int) -> ColumnElement[Any]:
    # `//` is integer division on both databases (SQLAlchemy's `/` would be true division).
    width = 2 ** (octave - BUCKETS_PER_OCTAVE_BITS)
    return (value // width) * width  # type: ignore[no-any-return]


def bucket_floor(seconds: int) -> int:
    """Returns the lower bound of the bucket holding `seconds`, as `bucket_of` computes it."""
    if seconds < EXACT_BELOW:
        return seconds
    octave = min(seconds.bit_length() - 1, MAX_OCTAVE)
    width = 1 << (octave - BUCKETS_PER_OCTAVE_BITS)
    return seconds // width * width


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
    histograms: dict[Any, list[Bucket]] = {}
    for group_key, bucket, count, total in session.exec(histogram_query(value, where, key)):
        histograms.setdefault(group_key, []).append((int(bucket), int(count), int(total)))
    return {
        group_key: read_percentiles(histogram, quantiles)
        for group_key, histogram in histograms.items()
    }


def histogram_query(value: Any, where: ColumnElement[bool], key: Any) -> Any:
    """Returns the query counting `value` into buckets per `key`: (key, bucket, count, sum)."""
    bucket = bucket_of(value).label("bucket")
    return (
        select(key, bucket, func.count(), func.sum(value))
        .where(where, value.is_not(None))
        .group_by(key, bucket)
    )


def read_percentiles(
    histogram: Iterable[Bucket], quantiles: Sequence[Quantile] = (MEDIAN, P90)
) -> list[float | None]:
    """Returns the nearest-rank percentiles a histogram's buckets give (in any order)."""
    ordered = sorted(bucket for bucket in histogram if bucket[1] > 0)
    return [_read(ordered, quantile) for quantile in quantiles]


def _read(histogram: list[Bucket], quantile: Quantile) -> float | None:
    total = sum(count for _, count, _ in histogram)
    if total == 0:
        return None
    numerator, denominator = quantile
    rank = (numerator * total + denominator - 1) // denominator  # ceil(q * n)
    seen = 0
    for _, count, seconds in histogram:
        seen += count
        if seen >= rank:
            return seconds / count
    return None  # unreachable: the last bucket always reaches the rank
