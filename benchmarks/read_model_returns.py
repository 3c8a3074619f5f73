"""Synthetic returns for the read model: a year of them, reproducible from a seed, and the
units sold that platforms would have reported for the same days.

Rows go straight into `returns`, `return_facts` and `return_line_facts` in large batches,
the way a year of projections would have left them; no workflow runs and the stored view
is a placeholder. The facts are drawn first and the returns row says the same (status,
reason, outcome, totals). Units sold cover every SKU on every day. The roll-ups are not
written here: the caller rebuilds them (`store.return_rollups.rebuild_return_rollups`),
as after an import.
"""

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert

from domain.analytics import Bucket
from domain.policy import STAFF_TIMEZONE
from domain.return_analytics import from_cents
from domain.returns import InspectionVerdict, ReturnOutcome, ReturnReason, ReturnStatus
from domain.taxonomy import CustomerTier, RootCause
from store.return_measures import facts, line_facts
from store.tables import table_of
from store.tables.returns import ReturnRecord
from store.units_sold import EVERY_SKU, units_sold_table

BATCH = 5000
DAYS = 365
HOUR = 3600
SKUS = 2000
CARRIERS = ["SF", "ZTO", "YTO", "JD", "EMS"]
REASON_WEIGHTS = [10, 12, 30, 18, 30]  # as `ReturnReason` lists them
# Most returns settle; the rest are on their way, in review, rejected or cancelled.
STATUSES = ["completed"] * 7 + ["in_transit", "awaiting_inspection", "rejected", "cancelled"]
CAUSES = [RootCause.SUPPLIER_DEFECT, RootCause.PICKING_ERROR, RootCause.PACKING,
          RootCause.HANDLING, RootCause.CUSTOMER_MISUNDERSTANDING, None]  # fmt: skip
# A few SKUs sell (and come back) far more than the rest.
SKU_WEIGHTS = [1 / (rank + 1) for rank in range(SKUS)]


def sku_name(rank: int) -> str:
    """Returns the name of the SKU at `rank` (0 is the best seller)."""
    return f"SKU-{rank:05d}"


def return_facts_rows(
    count: int, *, seed: int = 13, end: datetime | None = None
) -> Iterator[tuple[dict[str, Any], dict[str, int]]]:
    """Yields `count` returns' facts rows opened over the year before `end`, each with its
    units per SKU."""
    rng = random.Random(seed)
    end = end or datetime.now(UTC)
    reasons = list(ReturnReason)
    for number in range(count):
        opened = end - timedelta(seconds=rng.randrange(DAYS * 24 * HOUR))
        reason = rng.choices(reasons, weights=REASON_WEIGHTS)[0]
        status = rng.choice(STATUSES)
        settled = status == "completed"
        outcome = rng.choices(list(ReturnOutcome), weights=[70, 15, 15])[0] if settled else None
        cents = rng.randrange(2000, 200000)
        at_fault = reason is ReturnReason.DAMAGED_IN_TRANSIT or rng.random() < 0.01
        skus = {sku_name(rank): rng.randint(1, 2) for rank in _skus(rng)}
        # Lost parcels settle without an inspection.
        inspected = settled and rng.random() < 0.9
        verdict = (
            rng.choices(list(InspectionVerdict), weights=[75, 5, 5, 15])[0] if inspected else None
        )
        yield (
            {
                "return_id": f"RB{number:012d}",
                "opened_at": opened,
                "updated_at": opened + timedelta(days=5),
                "currency": "CNY",
                "reason": reason.value,
                "root_cause": (cause.value if (cause := rng.choice(CAUSES)) else None)
                if settled
                else None,
                "outcome": outcome.value if outcome else None,
                "courier": rng.choice(CARRIERS) if status != "rejected" else None,
                "customer_tier": rng.choices(list(CustomerTier), weights=[20, 70, 10])[0].value,
                "status": status,
                "verdict": verdict.value if verdict else None,
                "units": sum(skus.values()),
                "refunded_cents": cents if outcome is ReturnOutcome.REFUND else 0,
                "store_credited_cents": cents if outcome is ReturnOutcome.STORE_CREDIT else 0,
                "exchange_shipped": outcome is ReturnOutcome.EXCHANGE,
                "carrier_at_fault": at_fault,
                "claim_cents": cents if at_fault and settled and rng.random() < 0.8 else None,
            },
            skus,
        )


def _skus(rng: random.Random) -> set[int]:
    lines = rng.choices([1, 2, 3], weights=[85, 12, 3])[0]
    return set(rng.choices(range(SKUS), weights=SKU_WEIGHTS, k=lines))


def _return_row(fact: dict[str, Any]) -> dict[str, Any]:
    """Returns the `returns` row that says what the facts say."""
    return {
        "return_id": fact["return_id"],
        "status": fact["status"],
        "reason": fact["reason"],
        "preferred_outcome": fact["outcome"] or ReturnOutcome.REFUND.value,
        "outcome": fact["outcome"],
        "customer_id": f"cust-{fact['return_id'][-6:]}",
        "customer_tier": fact["customer_tier"],
        "courier": fact["courier"],
        "refunded_total": from_cents(fact["refunded_cents"]),
        "store_credit_total": from_cents(fact["store_credited_cents"]),
        "currency": fact["currency"],
        "root_cause": fact["root_cause"],
        "created_at": fact["opened_at"],
        "updated_at": fact["updated_at"],
        "closed_at": fact["updated_at"] if fact["status"] in _CLOSED else None,
        "view_json": "{}",
    }


_CLOSED = {ReturnStatus.COMPLETED.value, ReturnStatus.REJECTED.value, ReturnStatus.CANCELLED.value}


def units_sold_rows(*, seed: int = 17, end: date | None = None) -> list[dict[str, Any]]:
    """Returns units sold of every SKU on every day of the year before `end`, with the
    month and all-SKU rows that add them up."""
    rng = random.Random(seed)
    end = end or datetime.now(ZoneInfo(STAFF_TIMEZONE)).date()
    totals: dict[tuple[str, str, date], int] = defaultdict(int)
    for rank in range(SKUS):
        daily = 4000 * SKU_WEIGHTS[rank]
        for offset in range(1, DAYS + 2):
            day = end - timedelta(days=offset - 1)
            units = max(0, int(rng.gauss(daily, daily / 4)))
            for sku in (sku_name(rank), EVERY_SKU):
                totals[(sku, Bucket.DAY.value, day)] += units
                totals[(sku, Bucket.MONTH.value, day.replace(day=1))] += units
    return [
        {"sku": sku, "period": period, "first_day": first_day, "units": units}
        for (sku, period, first_day), units in totals.items()
    ]


def seed_returns(engine: Engine, count: int, *, progress: Any = None) -> None:
    """Inserts `count` returns with their facts in batches, and the year's units sold."""
    batch: list[tuple[dict[str, Any], dict[str, int]]] = []
    for row in return_facts_rows(count):
        batch.append(row)
        if len(batch) == BATCH:
            _write(engine, batch)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _write(engine, batch)
        if progress:
            progress(len(batch))
    sold = units_sold_rows()
    with engine.begin() as connection:
        for start in range(0, len(sold), BATCH * 4):
            connection.execute(insert(units_sold_table), sold[start : start + BATCH * 4])


def _write(engine: Engine, batch: list[tuple[dict[str, Any], dict[str, int]]]) -> None:
    with engine.begin() as connection:
        connection.execute(insert(table_of(ReturnRecord)), [_return_row(f) for f, _ in batch])
        connection.execute(insert(facts), [fact for fact, _ in batch])
        lines = [
            {"return_id": fact["return_id"], "sku": sku, "units": units}
            for fact, skus in batch
            for sku, units in skus.items()
        ]
        connection.execute(insert(line_facts), lines)
