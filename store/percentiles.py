"""Percentiles of a duration column, computed from a histogram the database builds.

Sorting a million durations (a window function, or PostgreSQL's `percentile_disc`) costs
far more than counting them into buckets, and SQLite has no percentile function at all. So
one GROUP BY counts values into buckets whose width grows with the value (1/64 of each
power of two: every bucket spans under 1.6 % of its values), a running sum over the
buckets finds the one holding the nearest rank, ceil(q * n), and the answer is the mean of
the values in it: exact whenever that bucket holds one distinct value, and never more than
1.6 % off otherwise. A bucket is (how many values, their total), which the roll-ups can add
and subtract as complaints change (a smallest value could not be taken back out), so both
databases and the roll-ups give the same answer.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, case, cast, func, literal, or_, select
from sqlmodel import Session

# Fractions as (numerator, denominator), so ranks are integer arithmetic.
Quantile = tuple[int, int]
MEDIAN: Quantile = (1, 2)
P90: Quantile = (9, 10)
# Buckets per power of two; durations up to 2**25 s (about a year) get their own widths.
BUCKETS_PER_OCTAVE_BITS = 6
MAX_OCTAVE = 25
EXACT_BELOW = 2 ** (BUCKETS_PER_OCTAVE_BITS + 1)


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
    return read_percentiles(session, histogram_query(value, where, key).subquery(), quantiles)


def histogram_query(value: Any, where: ColumnElement[bool], key: Any) -> Any:
    """Returns the query counting `value` into buckets per `key`, with the columns a
    histogram has: key, bucket, n (how many values) and total (their sum)."""
    bucket = bucket_of(value).label("bucket")
    return (
        select(key, bucket, func.count().label("n"), func.sum(value).label("total"))
        .where(where, value.is_not(None))
        .group_by(key, bucket)
    )


def read_percentiles(
    session: Session, histogram: Any, quantiles: Sequence[Quantile] = (MEDIAN, P90)
) -> dict[Any, list[float | None]]:
    """Returns, per key of a histogram (a subquery with the columns of `histogram_query`),
    the nearest-rank percentiles: the mean of the bucket holding each rank."""
    h = histogram.c
    # Only the buckets holding a rank come back, whatever the number of buckets.
    running = select(
        h.key, h.n, h.total,
        func.sum(h.n).over(partition_by=h.key, order_by=h.bucket).label("reached"),
        func.sum(h.n).over(partition_by=h.key).label("count"),
    ).where(h.n > 0).subquery("running")  # fmt: skip
    r = running.c
    holding = [
        and_(r.reached >= rank, r.reached - r.n < rank)
        for rank in (_rank(cast(r["count"], BigInteger), q) for q in quantiles)
    ]
    found: dict[Any, list[float | None]] = {}
    for key, n, total, reached, count in session.execute(select(running).where(or_(*holding))):
        picks = found.setdefault(key, [None] * len(quantiles))
        for number, quantile in enumerate(quantiles):
            rank = _rank(int(count), quantile)
            if int(reached) >= rank > int(reached) - int(n):
                picks[number] = int(total) / int(n)
    return found


def _rank(count: Any, quantile: Quantile) -> Any:
    """Returns the nearest rank ceil(q * count), in integer arithmetic (SQL or Python)."""
    numerator, denominator = quantile
    return (count * numerator + denominator - 1) // denominator
