"""Return analytics over the read model (`/analytics/returns/...`), and the units sold that
platforms report for return rates (`PUT /analytics/units-sold`).

The reports take the complaint reports' period (`since`, `until`: business-timezone days,
the last 30 by default) and any of the return dimensions' values. Supervisors and admins
read them; the platform's backend (`service`) reports units sold.
"""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from api.auth import MayViewAnalytics, Principal, require
from api.deps import SessionDep
from api.errors import AUTH_RESPONSES, PROBLEM_RESPONSES
from api.routes.analytics import DateRangeDep, Value, business_today
from domain.access import Permission
from domain.analytics import Bucket
from domain.return_analytics import (
    CarrierClaims,
    Inspections,
    ReturnDimension,
    ReturnFilter,
    ReturnRates,
    ReturnTrend,
    Settlements,
    UnitsSold,
    UnitsSoldStored,
)
from domain.returns import InspectionVerdict, ReturnOutcome, ReturnReason, ReturnStatus
from domain.taxonomy import CustomerTier, RootCause
from store import return_analytics
from store.units_sold import record_units_sold

router = APIRouter(
    prefix="/analytics", tags=["analytics"], responses=AUTH_RESPONSES | PROBLEM_RESPONSES
)

MayReportSales = Annotated[Principal, Depends(require(Permission.REPORT_SALES))]


def return_filter(
    days: DateRangeDep,
    reason: ReturnReason | None = None,
    root_cause: RootCause | None = None,
    outcome: ReturnOutcome | None = None,
    sku: Value = None,
    courier: Value = None,
    customer_tier: CustomerTier | None = None,
    verdict: InspectionVerdict | None = None,
    status: ReturnStatus | None = None,
) -> ReturnFilter:
    """Returns the returns the query string asks for; a bad date range is a 422."""
    return ReturnFilter(
        since=days.since,
        until=days.until,
        reason=reason,
        root_cause=root_cause,
        outcome=outcome,
        sku=sku,
        courier=courier,
        customer_tier=customer_tier,
        verdict=verdict,
        status=status,
    )


ReturnFilterDep = Annotated[ReturnFilter, Depends(return_filter)]


@router.get("/returns/rates", response_model=ReturnRates)
async def return_rates(
    session: SessionDep,
    caller: MayViewAnalytics,
    chosen: ReturnFilterDep,
    dimension: ReturnDimension = ReturnDimension.SKU,
) -> ReturnRates:
    """Returns returns, returned units and return rates (returned units over units sold)
    per value of one dimension, most returns first."""
    return await run_in_threadpool(return_analytics.rates, session, chosen, dimension)


@router.get("/returns/settlements", response_model=Settlements)
async def return_settlements(
    session: SessionDep,
    caller: MayViewAnalytics,
    chosen: ReturnFilterDep,
    dimension: ReturnDimension = ReturnDimension.REASON,
) -> Settlements:
    """Returns refunds, exchanges and store credit per value of one dimension, amounts per
    currency."""
    return await run_in_threadpool(return_analytics.settlements, session, chosen, dimension)


@router.get("/returns/claims", response_model=CarrierClaims)
async def carrier_claims(
    session: SessionDep,
    caller: MayViewAnalytics,
    chosen: ReturnFilterDep,
    dimension: ReturnDimension = ReturnDimension.COURIER,
) -> CarrierClaims:
    """Returns claims due on carriers, those filed and what they recovered, per value of
    one dimension."""
    return await run_in_threadpool(return_analytics.claims, session, chosen, dimension)


@router.get("/returns/inspections", response_model=Inspections)
async def inspection_outcomes(
    session: SessionDep,
    caller: MayViewAnalytics,
    chosen: ReturnFilterDep,
    dimension: ReturnDimension = ReturnDimension.REASON,
) -> Inspections:
    """Returns the warehouse's inspection verdicts per value of one dimension."""
    return await run_in_threadpool(return_analytics.inspections, session, chosen, dimension)


@router.get("/returns/trend", response_model=ReturnTrend)
async def returns_over_time(
    session: SessionDep,
    caller: MayViewAnalytics,
    chosen: ReturnFilterDep,
    bucket: Bucket = Bucket.DAY,
    split_by: ReturnDimension | None = None,
) -> ReturnTrend:
    """Returns returns opened per day, week or month, optionally split by a dimension."""
    return await run_in_threadpool(return_analytics.trend, session, chosen, bucket, split_by)


@router.put("/units-sold", response_model=UnitsSoldStored)
async def report_units_sold(
    session: SessionDep, caller: MayReportSales, report: UnitsSold
) -> UnitsSoldStored:
    """Stores units sold per SKU and business day, each in place of what was reported for
    it before (sending a report again changes nothing); return rates divide by them."""
    seen: dict[tuple[str, object], int] = {}
    # A day of sales is known once it has begun: tomorrow's is a mistake in the report.
    last_day = business_today() + timedelta(days=1)
    for index, sold in enumerate(report.days):
        if sold.day > last_day:
            raise _bad_day(index, "day", f"is after {last_day}: report days that have begun")
        first = seen.setdefault((sold.sku, sold.day), index)
        if first != index:
            raise _bad_day(index, "sku", f"repeats days[{first}] ({sold.sku} on {sold.day})")
    return await run_in_threadpool(record_units_sold, session, report=report)


def _bad_day(index: int, field: str, problem: str) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": ("body", "days", index, field), "msg": problem, "type": "value_error"}]
    )
