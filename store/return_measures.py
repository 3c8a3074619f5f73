"""What return reports add up: the dimensions' columns and the measures, each an integer
per return (1 or 0 for a count, cents for an amount) summed over the returns counted.

The roll-ups, their rebuild and the reports over the facts tables all use these
definitions, so a figure means the same whichever of them answers it.
"""

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal_column, or_

from domain.return_analytics import ReturnDimension, ReturnFilter
from domain.returns import InspectionVerdict, ReturnStatus
from store.measures import business_day_start
from store.tables import table_of
from store.tables.return_analytics import ReturnFactRecord, ReturnLineFactRecord

facts = table_of(ReturnFactRecord)
line_facts = table_of(ReturnLineFactRecord)
_f = facts.c

# Every dimension but the SKU, which is the lines' (`line_facts.c.sku`).
COLUMNS: dict[ReturnDimension, Any] = {
    ReturnDimension.REASON: _f.reason,
    ReturnDimension.ROOT_CAUSE: _f.root_cause,
    ReturnDimension.OUTCOME: _f.outcome,
    ReturnDimension.COURIER: _f.courier,
    ReturnDimension.CUSTOMER_TIER: _f.customer_tier,
    ReturnDimension.VERDICT: _f.verdict,
    ReturnDimension.STATUS: _f.status,
}


def _counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


_paid_something = or_(_f.refunded_cents > 0, _f.store_credited_cents > 0, _f.exchange_shipped)
_claim_due = and_(_f.carrier_at_fault, _paid_something)
_verdicts = {verdict.value: _counted(_f.verdict == verdict.value) for verdict in InspectionVerdict}

# Under a SKU, `units` is that SKU's (`line_facts.c.units`); the rest are the return's.
MEASURES: dict[str, ColumnElement[Any]] = {
    "returns": literal_column("1"),
    "units": _f.units,
    "completed": _counted(_f.status == ReturnStatus.COMPLETED.value),
    "refunds": _counted(_f.refunded_cents > 0),
    "refunded_cents": _f.refunded_cents,
    "exchanges": _counted(_f.exchange_shipped),
    "store_credits": _counted(_f.store_credited_cents > 0),
    "store_credited_cents": _f.store_credited_cents,
    "inspected": _counted(_f.verdict.is_not(None)),
    "accepted": _verdicts[InspectionVerdict.ACCEPTED],
    "partial": _verdicts[InspectionVerdict.PARTIAL],
    "damaged_by_customer": _verdicts[InspectionVerdict.DAMAGED_BY_CUSTOMER],
    "wrong_item_returned": _verdicts[InspectionVerdict.WRONG_ITEM_RETURNED],
    "claims_due": _counted(_claim_due),
    "claims_filed": _counted(_f.claim_cents.is_not(None)),
    "recovered_cents": func.coalesce(_f.claim_cents, 0),
    "claims_due_paid_cents": case(
        (_claim_due, _f.refunded_cents + _f.store_credited_cents), else_=0
    ),
}


def measures_for(dimension: ReturnDimension | None) -> dict[str, ColumnElement[Any]]:
    """Returns the measures as a report grouped or filtered by `dimension` adds them up:
    by SKU, each SKU's own units."""
    if dimension is ReturnDimension.SKU:
        return MEASURES | {"units": line_facts.c.units}
    return MEASURES


def column_of(dimension: ReturnDimension) -> Any:
    """Returns the column holding a dimension's values."""
    return line_facts.c.sku if dimension is ReturnDimension.SKU else COLUMNS[dimension]


def with_lines() -> Any:
    """Returns the facts joined to their lines: one row per return and SKU."""
    return facts.join(line_facts, line_facts.c.return_id == _f.return_id)


def matching(chosen: ReturnFilter) -> ColumnElement[bool]:
    """Returns the condition selecting the returns a filter counts (the SKU's on the
    lines, which the query must join)."""
    conditions = [
        _f.opened_at >= business_day_start(chosen.since),
        _f.opened_at < business_day_start(chosen.until),
    ]
    for dimension, value in chosen.dimension_values().items():
        conditions.append(column_of(dimension) == value)
    return and_(*conditions)
