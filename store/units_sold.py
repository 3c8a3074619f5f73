"""Units sold per SKU and business day, as platforms report them: the denominator of a
return rate (`store.tables.return_analytics.UnitsSoldRecord`).

A report replaces what was stored for each of its SKU-days and moves the month's row and
the all-SKU rows ("") by the difference, in one transaction, so they always add up.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select, tuple_
from sqlmodel import Session

from domain.analytics import Bucket
from domain.return_analytics import UnitsSold, UnitsSoldStored
from store.rollups import NO_VALUE, add_sums, hold_case
from store.tables import table_of
from store.tables.return_analytics import UnitsSoldRecord
from store.tallies import period_spans

units_sold_table = table_of(UnitsSoldRecord)
KEY = ["sku", "period", "first_day"]
# The SKU whose rows add up every SKU's.
EVERY_SKU = NO_VALUE


def record_units_sold(session: Session, *, report: UnitsSold) -> UnitsSoldStored:
    """Stores each SKU-day of the report in place of what was reported before, then
    commits; returns how many were stored and how many of them changed."""
    t = units_sold_table.c
    # Two reports of the same days must not both read the same "before".
    hold_case(session, "units-sold", units_sold_table, "units")
    days = [(sold.sku, sold.day) for sold in report.days]
    stored = {
        (sku, day): units
        for sku, day, units in session.execute(
            select(t.sku, t.first_day, t.units).where(
                t.period == Bucket.DAY.value, tuple_(t.sku, t.first_day).in_(days)
            )
        )
    }
    change: dict[tuple[str, str, date], dict[str, int]] = defaultdict(lambda: {"units": 0})
    changed = 0
    for sold in report.days:
        delta = sold.units - stored.get((sold.sku, sold.day), 0)
        if (sold.sku, sold.day) not in stored or delta:
            changed += 1
        month = sold.day.replace(day=1)
        for sku in (sold.sku, EVERY_SKU):
            change[(sku, Bucket.DAY.value, sold.day)]["units"] += delta
            change[(sku, Bucket.MONTH.value, month)]["units"] += delta
    add_sums(session, units_sold_table, dict(change), KEY, ["units"])
    session.commit()
    return UnitsSoldStored(stored=len(days), changed=changed)


def units_sold(
    session: Session, *, since: date, until: date, skus: Sequence[str]
) -> dict[str, int]:
    """Returns the units of each of `skus` (EVERY_SKU for all of them) sold in the business
    days [since, until), leaving out SKUs nobody reported for those days."""
    if not skus:
        return {}
    t = units_sold_table.c
    found: dict[str, int] = defaultdict(int)
    reported: set[str] = set()
    for period, start, end in period_spans(since, until):
        query = (
            select(t.sku, func.sum(t.units), func.count())
            .where(
                t.sku.in_(skus),
                t.period == period.value,
                t.first_day >= start,
                t.first_day < end,
            )
            .group_by(t.sku)
        )
        for sku, units, rows in session.execute(query):
            found[sku] += int(units)
            if rows:
                reported.add(sku)
    return {sku: found[sku] for sku in reported}
