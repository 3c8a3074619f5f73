"""Return analytics on the known returns (`tests.return_analytics_seed`), and the roll-ups
that answer them: kept equal to a rebuild by the projection through a return's life,
replays and late retries; filled by the migration from returns already stored; answering
exactly what the facts answer. On SQLite and PostgreSQL."""

import functools
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from domain.analytics import Bucket
from domain.return_analytics import (
    MoneyTotal,
    ReturnDimension,
    ReturnFilter,
    SkuDaySales,
    UnitsSold,
)
from domain.returns import (
    ClaimReceipt,
    InspectionReport,
    InspectionVerdict,
    ReturnOutcome,
    ReturnReason,
    ReturnStatus,
)
from store import return_analytics, return_tallies
from store.db import SessionFactory, session_factory
from store.migrate import downgrade_database, upgrade_database
from store.return_measures import facts, line_facts
from store.return_rollups import rebuild_return_rollups, return_counts
from store.returns import project_return
from store.units_sold import record_units_sold, units_sold, units_sold_table
from tests.analytics_seed import ROLLUP_WINDOWS, at, seeded_store
from tests.return_analytics_seed import (
    KNOWN_UNITS_SOLD,
    return_view,
    seed_busy_returns,
    seed_known_returns,
)
from tests.return_factories import make_return_projection

pytestmark = pytest.mark.both_stores

WINDOW = ReturnFilter(since=date(2026, 3, 2), until=date(2026, 3, 16))
Rows = set[tuple[Any, ...]]


def _window(**values: str) -> ReturnFilter:
    return WINDOW.model_copy(update=values)


def _money(**amounts: str) -> list[MoneyTotal]:
    return [MoneyTotal(currency=c, amount=Decimal(a)) for c, a in sorted(amounts.items())]


@pytest.fixture
def known(sessions: SessionFactory) -> Iterator[Session]:
    seed_known_returns(sessions)
    with sessions() as session:
        yield session


def test_return_rates_per_sku_against_the_units_sold(known: Session) -> None:
    report = return_analytics.rates(known, WINDOW, ReturnDimension.SKU)

    assert (report.returns, report.units, report.units_sold) == (7, 9, 190)
    assert report.return_rate == round(9 / 190, 4)
    assert [
        (row.key, row.returns, row.units, row.share, row.units_sold, row.return_rate)
        for row in report.rows
    ] == [
        ("S1", 3, 4, 0.4286, 150, 0.0267),
        ("S2", 3, 3, 0.4286, 40, 0.075),
        ("S3", 2, 2, 0.2857, None, None),  # no units sold reported: no rate
    ]


def test_return_rates_per_reason_and_root_cause(known: Session) -> None:
    by_reason = return_analytics.rates(known, WINDOW, ReturnDimension.REASON)
    by_cause = return_analytics.rates(known, WINDOW, ReturnDimension.ROOT_CAUSE)

    assert [(row.key, row.returns, row.units, row.return_rate) for row in by_reason.rows] == [
        ("changed_mind", 2, 2, round(2 / 190, 4)),
        ("damaged_in_transit", 2, 3, round(3 / 190, 4)),
        ("defective", 2, 3, round(3 / 190, 4)),
        ("wrong_item", 1, 1, round(1 / 190, 4)),
    ]
    assert {row.units_sold for row in by_reason.rows} == {190}
    assert [(row.key, row.returns) for row in by_cause.rows] == [
        (None, 3),  # not recorded
        ("handling", 2),
        ("carrier", 1),
        ("supplier_defect", 1),
    ]


def test_a_sku_filter_narrows_the_units_sold_too(known: Session) -> None:
    # SKU and reason together: read from the facts, not the roll-ups.
    report = return_analytics.rates(known, _window(sku="S1"), ReturnDimension.REASON)

    assert (report.returns, report.units, report.units_sold) == (3, 4, 150)
    assert [(row.key, row.units, row.return_rate) for row in report.rows] == [
        ("damaged_in_transit", 1, round(1 / 150, 4)),
        ("defective", 2, round(2 / 150, 4)),
        ("wrong_item", 1, round(1 / 150, 4)),
    ]


def test_a_customer_tier_filter_leaves_the_rates_out(known: Session) -> None:
    # Units sold are not known per customer tier: a rate would divide unlike things.
    report = return_analytics.rates(known, _window(customer_tier="vip"), ReturnDimension.SKU)

    assert (report.returns, report.units, report.units_sold, report.return_rate) == (
        1, 2, None, None,
    )  # fmt: skip
    assert [(row.key, row.units_sold, row.return_rate) for row in report.rows] == [
        ("S1", None, None),
        ("S2", None, None),
    ]


def test_refunds_exchanges_and_store_credit_per_reason(known: Session) -> None:
    report = return_analytics.settlements(known, WINDOW, ReturnDimension.REASON)

    total = report.total
    assert (total.returns, total.completed, total.refunds, total.exchanges) == (7, 5, 3, 1)
    assert total.refunded == _money(CNY="280.00", USD="20.00")
    assert (total.store_credits, total.store_credited) == (1, _money(CNY="150.00"))
    rows = {row.key: row for row in report.rows}
    assert list(rows) == ["changed_mind", "damaged_in_transit", "defective", "wrong_item"]
    assert rows["defective"].refunded == _money(CNY="200.00", USD="20.00")
    assert (rows["damaged_in_transit"].refunds, rows["damaged_in_transit"].store_credits) == (1, 1)
    assert rows["damaged_in_transit"].refunded == _money(CNY="80.00")
    assert (rows["changed_mind"].exchanges, rows["changed_mind"].completed) == (1, 0)
    assert rows["wrong_item"].refunded == [] and rows["wrong_item"].completed == 1


def test_carrier_claims_filed_and_recovered_per_carrier(known: Session) -> None:
    report = return_analytics.claims(known, WINDOW, ReturnDimension.COURIER)

    total = report.total
    assert (total.claims_due, total.claims_filed, total.claim_rate) == (3, 2, 0.6667)
    assert total.recovered == _money(CNY="150.00", USD="20.00")
    assert total.paid_out == _money(CNY="230.00", USD="20.00")
    assert [(row.key, row.claims_due, row.claims_filed, row.recovered) for row in report.rows] == [
        ("ZTO", 2, 1, _money(CNY="150.00")),
        ("SF", 1, 1, _money(USD="20.00")),
    ]


def test_inspection_outcomes_per_reason(known: Session) -> None:
    report = return_analytics.inspections(known, WINDOW, ReturnDimension.REASON)

    total = report.total
    assert (total.inspected, total.accepted, total.partial) == (5, 3, 1)
    assert (total.wrong_item_returned, total.damaged_by_customer, total.accepted_rate) == (
        1, 0, 0.6,
    )  # fmt: skip
    assert [(row.key, row.inspected, row.accepted, row.partial) for row in report.rows] == [
        ("damaged_in_transit", 2, 1, 1),
        ("changed_mind", 1, 1, 0),
        ("defective", 1, 1, 0),
        ("wrong_item", 1, 0, 0),
    ]


def test_returns_per_business_day(known: Session) -> None:
    daily = return_analytics.trend(known, WINDOW, Bucket.DAY)
    weekly = return_analytics.trend(known, WINDOW, Bucket.WEEK, ReturnDimension.REASON)

    assert [(p.bucket.day, p.count) for p in daily.points] == [
        (2, 2), (3, 1), (9, 1), (10, 1), (11, 1), (12, 1),
    ]  # fmt: skip
    assert daily.total == 7
    assert [(p.bucket.day, p.key, p.count) for p in weekly.points] == [
        (2, "damaged_in_transit", 2),
        (2, "defective", 1),
        (9, "changed_mind", 2),
        (9, "defective", 1),
        (9, "wrong_item", 1),
    ]


# --- Units sold ------------------------------------------------------------------------


def _units_rows(session: Session) -> Rows:
    return {tuple(row) for row in session.execute(select(units_sold_table)) if row.units}


def test_a_units_sold_report_replaces_each_sku_day_and_keeps_the_sums(
    sessions: SessionFactory,
) -> None:
    march = {"since": date(2026, 3, 1), "until": date(2026, 4, 1)}
    with sessions() as session:
        first = record_units_sold(session, report=KNOWN_UNITS_SOLD)
        again = record_units_sold(session, report=KNOWN_UNITS_SOLD)
        settled = _units_rows(session)
        corrected = record_units_sold(
            session,
            report=UnitsSold(
                days=[
                    SkuDaySales(sku="S1", day=date(2026, 3, 2), units=90),
                    SkuDaySales(sku="S9", day=date(2026, 3, 31), units=0),
                ]
            ),
        )
        totals = units_sold(session, **march, skus=["", "S1", "S2", "S9", "S3"])
        days = units_sold(session, since=date(2026, 3, 2), until=date(2026, 3, 3), skus=["S1"])

    assert (first.stored, first.changed) == (4, 4)
    assert (again.stored, again.changed) == (4, 0)
    assert ("", "month", date(2026, 3, 1), 1190) in settled
    assert (corrected.stored, corrected.changed) == (2, 2)
    # A SKU reported with no sales has a denominator of 0; one never reported has none.
    assert totals == {"": 1180, "S1": 1140, "S2": 40, "S9": 0}
    assert days == {"S1": 90}


# --- The roll-ups against the facts --------------------------------------------------------


def _rollups(session: Session) -> Rows:
    return {
        tuple(row)
        for row in session.execute(select(return_counts))
        if any(value for name, value in row._mapping.items() if name in ("returns", "units"))
    }


def _rebuilt(session: Session) -> Rows:
    rebuild_return_rollups(session)
    rebuilt = _rollups(session)
    session.rollback()
    return rebuilt


def _lifecycle(return_id: str) -> list[Any]:
    """Returns a damaged parcel's return as it is opened, inspected, refunded and claimed,
    each projection a little later than the one before."""
    opened = return_view(
        return_id, at(5, 9), ReturnReason.DAMAGED_IN_TRANSIT, {"S1": 1, "S2": 2},
        status=ReturnStatus.IN_TRANSIT, updated_at=at(5, 9),
    )  # fmt: skip
    steps = [opened]
    for hours, changes in (
        (30, {"status": ReturnStatus.AWAITING_INSPECTION}),
        (40, {"inspection": InspectionReport(verdict=InspectionVerdict.PARTIAL,
                                             inspector="wh-2")}),
        (41, {"status": ReturnStatus.COMPLETED, "outcome": ReturnOutcome.REFUND,
              "refunded_total": Decimal("300.00")}),
        (42, {"claim": ClaimReceipt(claim_id="CLM-9", amount=Decimal("250.00"))}),
    ):  # fmt: skip
        update = {"updated_at": opened.created_at + timedelta(hours=hours), **changes}
        steps.append(steps[-1].model_copy(update=update))
    return [make_return_projection(view) for view in steps]


def test_projections_keep_the_rollups_equal_to_a_rebuild(sessions: SessionFactory) -> None:
    first, second = _lifecycle("LIFE-1"), _lifecycle("LIFE-2")
    with sessions() as session:
        for step, projection in enumerate(first):
            project_return(session, projection=projection)
            project_return(session, projection=second[step])
            assert _rollups(session) == _rebuilt(session), f"after step {step}"
        settled = _rollups(session)
        # Every projection again (a replay), and the oldest last (a late retry).
        for projection in [*first, *reversed(second)]:
            project_return(session, projection=projection)
        assert _rollups(session) == settled
        figures = return_analytics.claims(
            session, ReturnFilter(since=date(2026, 3, 5), until=date(2026, 3, 6)),
            ReturnDimension.SKU,
        )  # fmt: skip

    assert [(row.key, row.claims_filed, row.recovered) for row in figures.rows] == [
        ("S1", 2, _money(CNY="500.00")),
        ("S2", 2, _money(CNY="500.00")),
    ]


def test_the_migration_fills_the_facts_and_rollups_of_returns_already_stored(
    engine: Engine,
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    sessions = session_factory(engine)
    seed_known_returns(sessions)
    seed_busy_returns(sessions, last_day=date(2026, 3, 15), returns=40)
    with sessions() as session:
        stored = (
            {tuple(row) for row in session.execute(select(facts))},
            {tuple(row) for row in session.execute(select(line_facts))},
            _rollups(session),
        )
    engine.dispose()

    downgrade_database(url, "0022")  # before return analytics existed
    upgrade_database(url)

    with sessions() as session:
        assert {tuple(row) for row in session.execute(select(facts))} == stored[0]
        assert {tuple(row) for row in session.execute(select(line_facts))} == stored[1]
        assert _rollups(session) == stored[2]
    assert len(stored[0]) == 49 and len(stored[2]) > 200


ONE_DIMENSION = [
    {},
    {"reason": "defective"},
    {"root_cause": "handling"},
    {"outcome": "refund"},
    {"sku": "SKU-003"},
    {"courier": "ZTO"},
    {"customer_tier": "vip"},
    {"verdict": "accepted"},
    {"status": "completed"},
]


@pytest.fixture(scope="module")
def busy_store(module_database_url: str) -> Iterator[SessionFactory]:
    """Yields a store holding the known returns and a busy month, written once for the
    tests that only read it."""
    busy = functools.partial(seed_busy_returns, last_day=date(2026, 3, 31), returns=80)
    with seeded_store(module_database_url, seed_known_returns, busy) as sessions:
        yield sessions


def _reports(session: Session, chosen: ReturnFilter) -> list[Any]:
    reports: list[Any] = [return_analytics.trend(session, chosen, bucket) for bucket in Bucket]
    for dimension in ReturnDimension:
        reports += [
            return_analytics.rates(session, chosen, dimension),
            return_analytics.settlements(session, chosen, dimension),
            return_analytics.claims(session, chosen, dimension),
            return_analytics.inspections(session, chosen, dimension),
            return_analytics.trend(session, chosen, Bucket.WEEK, dimension),
        ]
    return reports


@pytest.mark.parametrize("window", ROLLUP_WINDOWS, ids=["days", "month and days"])
@pytest.mark.parametrize("dimension_filter", ONE_DIMENSION, ids=lambda f: str(f) or "none")
def test_reports_from_the_rollups_equal_reports_from_the_facts(
    busy_store: SessionFactory,
    monkeypatch: pytest.MonkeyPatch,
    dimension_filter: dict[str, str],
    window: tuple[date, date],
) -> None:
    since, until = window
    chosen = ReturnFilter(since=since, until=until, **dimension_filter)
    with busy_store() as session:
        from_rollups = _reports(session, chosen)
        monkeypatch.setattr(return_tallies, "rollup_dimension", lambda *_: None)
        from_facts = _reports(session, chosen)

    assert from_rollups == from_facts
    assert any(report.model_dump().get("total") for report in from_rollups)
