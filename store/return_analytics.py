"""Return analytics over the read model, the same answers on SQLite and PostgreSQL: return
rates, settlements, carrier claims and inspections per value of one dimension, and
returns over time.

Each report adds up measures (`store.return_tallies`), from the roll-ups where they can
answer; counts are added across currencies, amounts never are. Rates are left out (None)
where their denominator is unknown or zero.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session

from domain.analytics import Bucket
from domain.return_analytics import (
    CarrierClaims,
    ClaimRow,
    InspectionRow,
    Inspections,
    MoneyTotal,
    ReturnDimension,
    ReturnFilter,
    ReturnRateRow,
    ReturnRates,
    ReturnTrend,
    SettlementRow,
    Settlements,
    from_cents,
)
from store.analytics import MAX_GROUPS, trend_points
from store.return_tallies import NO_CURRENCY, return_sums, returns_per_period
from store.tallies import Key
from store.units_sold import EVERY_SKU, units_sold

Row = TypeVar("Row")


@dataclass
class Tally:
    """What one group's returns add up to: counts over every currency, and each amount
    (in cents) per currency."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    cents: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    def money(self, name: str) -> list[MoneyTotal]:
        """Returns the amount `name` per currency, leaving out currencies with none."""
        return [
            MoneyTotal(currency=currency, amount=from_cents(cents))
            for currency, cents in sorted(self.cents[name].items())
            if cents and currency != NO_CURRENCY
        ]


def _tallies(
    session: Session, chosen: ReturnFilter, names: Sequence[str], group: ReturnDimension | None
) -> dict[Key, Tally]:
    tallies: dict[Key, Tally] = defaultdict(Tally)
    for (key, currency), sums in return_sums(session, chosen, names, group).items():
        tally = tallies[key]
        for name, n in sums.items():
            if name.endswith("_cents"):
                tally.cents[name][currency] += n
            else:
                tally.counts[name] += n
    return tallies


def _rate(part: int | None, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole and part is not None else None


def _ranked(tallies: dict[Key, Tally], by: str) -> list[tuple[Key, Tally]]:
    """Returns the groups with the most `by` first (ties alphabetically, "no value" last),
    at most MAX_GROUPS of them."""
    ordered = sorted(
        tallies.items(),
        key=lambda pair: (-pair[1].counts[by], pair[0] is None, pair[0] or ""),
    )
    return ordered[:MAX_GROUPS]


def _report(
    session: Session,
    chosen: ReturnFilter,
    names: Sequence[str],
    group: ReturnDimension,
    ranked_by: str,
    make_row: Callable[[Key, Tally], Row],
) -> tuple[Row, list[Row]]:
    """Returns a report's total row and its rows per value of `group`."""
    total = _tallies(session, chosen, names, None).get(None, Tally())
    rows = _ranked(_tallies(session, chosen, names, group), ranked_by)
    return make_row(None, total), [make_row(key, tally) for key, tally in rows]


def rates(session: Session, chosen: ReturnFilter, dimension: ReturnDimension) -> ReturnRates:
    """Returns returns and returned units per value of `dimension`, most returns first,
    with return rates where units sold were reported."""
    names = ["returns", "units"]
    total = _tallies(session, chosen, names, None).get(None, Tally())
    ranked = _ranked(_tallies(session, chosen, names, dimension), "returns")
    # Units sold say nothing of who bought them: with a customer tier chosen, no rate.
    knowable = chosen.customer_tier is None
    scope = [chosen.sku or EVERY_SKU] if knowable else []
    sold = units_sold(session, since=chosen.since, until=chosen.until, skus=scope)
    sold_in_scope = sold.get(scope[0]) if scope else None
    per_sku: dict[str, int] = {}
    if dimension is ReturnDimension.SKU and knowable:
        shown = [key for key, _ in ranked if key is not None]
        per_sku = units_sold(session, since=chosen.since, until=chosen.until, skus=shown)
    returns = total.counts["returns"]
    rows = []
    for key, tally in ranked:
        if dimension is ReturnDimension.SKU:
            denominator = per_sku.get(key) if knowable and key is not None else None
        else:
            denominator = sold_in_scope
        rows.append(
            ReturnRateRow(
                key=key,
                returns=tally.counts["returns"],
                units=tally.counts["units"],
                share=_rate(tally.counts["returns"], returns) or 0.0,
                units_sold=denominator,
                return_rate=_rate(tally.counts["units"], denominator),
            )
        )
    return ReturnRates(
        dimension=dimension,
        returns=returns,
        units=total.counts["units"],
        units_sold=sold_in_scope,
        return_rate=_rate(total.counts["units"], sold_in_scope),
        rows=rows,
    )


def settlements(session: Session, chosen: ReturnFilter, dimension: ReturnDimension) -> Settlements:
    """Returns refunds, exchanges and store credit per value of `dimension`, most returns
    first."""
    names = [
        "returns", "completed", "refunds", "refunded_cents",
        "exchanges", "store_credits", "store_credited_cents",
    ]  # fmt: skip

    def row(key: Key, tally: Tally) -> SettlementRow:
        counts = tally.counts
        return SettlementRow(
            key=key,
            returns=counts["returns"],
            completed=counts["completed"],
            refunds=counts["refunds"],
            refunded=tally.money("refunded_cents"),
            exchanges=counts["exchanges"],
            store_credits=counts["store_credits"],
            store_credited=tally.money("store_credited_cents"),
        )

    total, rows = _report(session, chosen, names, dimension, "returns", row)
    return Settlements(dimension=dimension, total=total, rows=rows)


def claims(session: Session, chosen: ReturnFilter, dimension: ReturnDimension) -> CarrierClaims:
    """Returns the claims due on carriers, those filed and what they recovered, per value
    of `dimension`, most claims due first."""
    names = ["claims_due", "claims_filed", "recovered_cents", "claims_due_paid_cents"]

    def row(key: Key, tally: Tally) -> ClaimRow:
        due, filed = tally.counts["claims_due"], tally.counts["claims_filed"]
        return ClaimRow(
            key=key,
            claims_due=due,
            claims_filed=filed,
            claim_rate=_rate(filed, due),
            recovered=tally.money("recovered_cents"),
            paid_out=tally.money("claims_due_paid_cents"),
        )

    total, rows = _report(session, chosen, names, dimension, "claims_due", row)
    return CarrierClaims(dimension=dimension, total=total, rows=rows)


def inspections(session: Session, chosen: ReturnFilter, dimension: ReturnDimension) -> Inspections:
    """Returns the warehouse's verdicts per value of `dimension`, most inspected first."""
    verdicts = ["accepted", "partial", "damaged_by_customer", "wrong_item_returned"]

    def row(key: Key, tally: Tally) -> InspectionRow:
        counts = tally.counts
        return InspectionRow(
            key=key,
            inspected=counts["inspected"],
            accepted=counts["accepted"],
            partial=counts["partial"],
            damaged_by_customer=counts["damaged_by_customer"],
            wrong_item_returned=counts["wrong_item_returned"],
            accepted_rate=_rate(counts["accepted"], counts["inspected"]),
        )

    total, rows = _report(session, chosen, ["inspected", *verdicts], dimension, "inspected", row)
    return Inspections(dimension=dimension, total=total, rows=rows)


def trend(
    session: Session,
    chosen: ReturnFilter,
    bucket: Bucket,
    split_by: ReturnDimension | None = None,
) -> ReturnTrend:
    """Returns returns opened per time bucket, split by one dimension if asked."""
    points = trend_points(returns_per_period(session, chosen, bucket, split_by))
    return ReturnTrend(
        bucket=bucket,
        split_by=split_by,
        total=sum(point.count for point in points),
        points=points,
    )
