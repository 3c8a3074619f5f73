"""Histogram percentiles: exact for sparse values, within 1.6 % at scale, same on every store."""

import random
from datetime import UTC, datetime

from sqlalchemy import literal, select, true
from sqlmodel import Session

from store.db import SessionFactory
from store.percentiles import MEDIAN, P90, bucket_floor, bucket_of, percentiles
from store.tables.complaints import ComplaintRecord

NOW = datetime(2026, 3, 2, tzinfo=UTC)


def _store(session: Session, durations: list[int | None], agent: str = "a1") -> None:
    for number, seconds in enumerate(durations):
        session.add(
            ComplaintRecord(
                complaint_id=f"{agent}-{number}",
                status="closed",
                channel="web",
                customer_id="c",
                customer_tier="regular",
                locale="en",
                escalation_level="agent",
                assignee=agent,
                resolution_seconds=seconds,
                created_at=NOW,
                updated_at=NOW,
                description="-",
                view_json="{}",
            )
        )
    session.commit()


def _nearest_rank(values: list[int], numerator: int, denominator: int) -> int:
    ordered = sorted(values)
    return ordered[(numerator * len(ordered) + denominator - 1) // denominator - 1]


def test_sparse_values_give_exact_nearest_rank_percentiles(sessions: SessionFactory) -> None:
    column = ComplaintRecord.resolution_seconds
    with sessions() as session:
        _store(session, [36_000, None, 108_000, 72_000, 5], agent="a1")
        _store(session, [40], agent="a2")
        found = percentiles(session, column, true(), ComplaintRecord.assignee)
        overall = percentiles(session, column, true())

    assert found == {"a1": [36_000.0, 108_000.0], "a2": [40.0, 40.0]}
    assert overall == {"all": [36_000.0, 108_000.0]}


def test_many_values_land_within_the_bucket_width(sessions: SessionFactory) -> None:
    rng = random.Random(3)
    values = [int(rng.lognormvariate(11, 1.2)) for _ in range(3000)]
    with sessions() as session:
        _store(session, list(values))
        [[median, p90]] = percentiles(
            session, ComplaintRecord.resolution_seconds, true(), quantiles=(MEDIAN, P90)
        ).values()

    for found, exact in (
        (median, _nearest_rank(values, 1, 2)),
        (p90, _nearest_rank(values, 9, 10)),
    ):
        # The mean of the bucket holding the rank: within one bucket's width either way.
        assert found is not None
        assert abs(found - exact) <= exact / 64, (found, exact)


def test_python_buckets_match_the_databases(sessions: SessionFactory) -> None:
    # The roll-ups bucket a duration in Python; reports over the complaints bucket in SQL.
    values = [0, 1, 127, 128, 129, 255, 256, 4095, 36_000, 72_001, 2**25 - 1, 2**25, 2**27 + 5]
    values += random.Random(5).sample(range(2**26), 200)
    with sessions() as session:
        found = session.exec(  # type: ignore[call-overload]
            select(*(bucket_of(literal(value)) for value in values))
        ).one()

    assert [int(bucket) for bucket in found] == [bucket_floor(value) for value in values]
