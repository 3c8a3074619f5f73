"""What return analytics answer: the dimensions returns are cut by, the filter, the facts
one return counts with, and the reports' shapes.

A return counts on the business day it was opened. A return of several SKUs counts once
under each of them, with that SKU's units; every other figure of it (refunds, claims,
inspection) is the whole return's. Money is kept per currency and never added across
currencies.

A return rate is returned units over units sold, which only the platform knows: it
reports them per SKU and business day (`UnitsSold`). Without a report the rate is left
out, never guessed.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from domain.analytics import Bucket, TrendPoint, values_given
from domain.complaints import Identifier
from domain.money import Amount
from domain.return_pricing import carrier_at_fault
from domain.returns import ReturnOutcome, ReturnView

CENTS_PER_UNIT = 100


class ReturnDimension(StrEnum):
    """A property returns can be grouped or filtered by."""

    REASON = "reason"
    ROOT_CAUSE = "root_cause"
    OUTCOME = "outcome"
    SKU = "sku"
    COURIER = "courier"
    CUSTOMER_TIER = "customer_tier"
    # The warehouse's inspection verdict (none until the parcel is inspected).
    VERDICT = "verdict"
    STATUS = "status"


class ReturnFilter(BaseModel):
    """Which returns a report counts: opened in [since, until) and matching each given
    dimension value. Dates are calendar days in the business timezone."""

    since: date
    until: date
    reason: str | None = None
    root_cause: str | None = None
    outcome: str | None = None
    sku: str | None = None
    courier: str | None = None
    customer_tier: str | None = None
    verdict: str | None = None
    status: str | None = None

    def dimension_values(self) -> dict[ReturnDimension, str]:
        """Returns the dimension filters that were given."""
        return values_given(self, ReturnDimension)


# --- The facts one return counts with ---------------------------------------------------


class ReturnFacts(BaseModel):
    """What a return contributes to the reports, read off its view. Amounts are in cents
    of `currency` (None until the policy assessed the orders)."""

    return_id: str
    opened_at: datetime
    updated_at: datetime
    currency: str | None
    reason: str
    root_cause: str | None
    outcome: str | None
    courier: str | None
    customer_tier: str
    status: str
    verdict: str | None
    units: int
    refunded_cents: int
    store_credited_cents: int
    # The exchange's parcel left the warehouse (an undone settlement takes it back).
    exchange_shipped: bool
    # The carrier lost the parcel or damaged the goods: the settlement is claimed from it.
    carrier_at_fault: bool
    # The carrier's receipt for the claim: what it agreed to reimburse.
    claim_cents: int | None
    # Units per SKU, the request's lines of one SKU added up.
    lines: dict[str, int]


def cents(amount: Decimal) -> int:
    """Returns an amount of at most two decimal places as whole cents."""
    return int(amount * CENTS_PER_UNIT)


def from_cents(count: int) -> Decimal:
    """Returns whole cents as an amount with two decimal places."""
    return Decimal(count).scaleb(-2)


def return_facts(view: ReturnView) -> ReturnFacts:
    """Returns what the return `view` counts with in the reports."""
    request = view.request
    parcel = view.return_parcel or view.outbound_parcel
    lines: dict[str, int] = {}
    for line in request.lines:
        lines[line.sku] = lines.get(line.sku, 0) + line.quantity
    exchanged = view.outcome is ReturnOutcome.EXCHANGE and view.outbound_parcel is not None
    return ReturnFacts(
        return_id=view.return_id,
        opened_at=view.created_at,
        updated_at=view.updated_at,
        currency=view.eligibility.currency if view.eligibility else None,
        reason=request.reason.value,
        root_cause=view.root_cause.value if view.root_cause else None,
        outcome=view.outcome.value if view.outcome else None,
        courier=parcel.carrier if parcel else None,
        customer_tier=request.customer.tier.value,
        status=view.status.value,
        verdict=view.inspection.verdict.value if view.inspection else None,
        units=sum(lines.values()),
        refunded_cents=cents(view.refunded_total),
        store_credited_cents=cents(view.store_credit_total),
        exchange_shipped=exchanged,
        carrier_at_fault=carrier_at_fault(request.reason, view.last_tracking),
        claim_cents=cents(view.claim.amount) if view.claim else None,
        lines=lines,
    )


# --- Units sold, as platforms report them -------------------------------------------------

MAX_UNITS_SOLD_DAYS = 1000


class SkuDaySales(BaseModel):
    """How many units of one SKU were sold on one business day (orders placed that day,
    net of cancellations before shipping, as the platform counts them)."""

    sku: Identifier
    day: date
    units: int = Field(ge=0, le=1_000_000_000)


class UnitsSold(BaseModel):
    """Units sold per SKU and day (the request body); each replaces what was reported
    before for its SKU and day, so sending a report again changes nothing."""

    days: Annotated[list[SkuDaySales], Field(min_length=1, max_length=MAX_UNITS_SOLD_DAYS)]


class UnitsSoldStored(BaseModel):
    """Returns how many SKU-days a report stored, and how many of them changed."""

    stored: int
    changed: int


# --- Reports ------------------------------------------------------------------------------


class MoneyTotal(BaseModel):
    currency: str
    amount: Amount


class ReturnRateRow(BaseModel):
    """Returns and returned units of one group, against units sold where they are known."""

    key: str | None
    returns: int
    units: int
    share: float = Field(description="share of the report's returns")
    units_sold: int | None = Field(description="units sold in the days counted, if reported")
    return_rate: float | None = Field(description="units / units_sold")


class ReturnRates(BaseModel):
    """Returns returns, returned units and return rates per value of one dimension."""

    dimension: ReturnDimension
    returns: int
    units: int
    units_sold: int | None = Field(
        description="units sold of the SKUs counted (the filter's SKU, or every SKU)"
    )
    return_rate: float | None
    rows: list[ReturnRateRow]


class SettlementRow(BaseModel):
    """How one group's returns were settled: refunds, exchanges and store credit."""

    key: str | None
    returns: int
    completed: int
    refunds: int
    refunded: list[MoneyTotal]
    exchanges: int
    store_credits: int
    store_credited: list[MoneyTotal]


class Settlements(BaseModel):
    """Returns refunds, exchanges and store credit per value of one dimension."""

    dimension: ReturnDimension
    total: SettlementRow
    rows: list[SettlementRow]


class ClaimRow(BaseModel):
    """Claims on carriers for one group's returns."""

    key: str | None
    claims_due: int = Field(
        description="returns the carrier was at fault for (lost, or damaged in transit) "
        "that settled with something for the customer"
    )
    claims_filed: int
    claim_rate: float | None = Field(description="claims_filed / claims_due")
    recovered: list[MoneyTotal] = Field(description="what carriers' receipts agreed to pay")
    paid_out: list[MoneyTotal] = Field(
        description="refunds and store credit paid on the returns claims were due for"
    )


class CarrierClaims(BaseModel):
    """Returns claims filed on carriers and what they recovered, per value of one
    dimension."""

    dimension: ReturnDimension
    total: ClaimRow
    rows: list[ClaimRow]


class InspectionRow(BaseModel):
    """What the warehouse found in one group's parcels."""

    key: str | None
    inspected: int
    accepted: int
    partial: int
    damaged_by_customer: int
    wrong_item_returned: int
    accepted_rate: float | None = Field(description="accepted in full / inspected")


class Inspections(BaseModel):
    """Returns inspection verdicts per value of one dimension."""

    dimension: ReturnDimension
    total: InspectionRow
    rows: list[InspectionRow]


class ReturnTrend(BaseModel):
    """Returns returns opened per time bucket, optionally split by one dimension."""

    bucket: Bucket
    split_by: ReturnDimension | None
    total: int
    points: list[TrendPoint]
