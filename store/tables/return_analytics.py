"""What return reports read: each return's facts, their daily and monthly roll-ups, and
the units sold that platforms report.

`return_facts` and `return_line_facts` are a projection of the workflow's `ReturnView`
(`domain.return_analytics.return_facts`), written with the `returns` row; reports that
the roll-ups cannot answer read them. `return_period_counts` adds them up per business
day and month, dimension value and currency, as `complaint_period_counts` does for
complaints (`store.return_rollups` keeps it). Amounts are whole cents, exact on both
databases however many are added up.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field, SQLModel

from store.tables.rollups import CLUSTERED
from store.types import UtcDateTime


class ReturnFactRecord(SQLModel, table=True):
    """One return's dimension values and what it counts with."""

    __tablename__ = "return_facts"
    __table_args__ = (
        # Reports the roll-ups cannot answer read the days they cover.
        Index("ix_return_facts_opened_at_return_id", "opened_at", "return_id"),
    )

    return_id: str = Field(
        primary_key=True, foreign_key="returns.return_id", ondelete="CASCADE", max_length=64
    )
    opened_at: datetime = Field(sa_type=UtcDateTime)
    # The view these facts were read from: an older one never overwrites them.
    updated_at: datetime = Field(sa_type=UtcDateTime)
    currency: str | None = Field(default=None, max_length=3)
    reason: str = Field(max_length=32)
    root_cause: str | None = Field(default=None, max_length=32)
    outcome: str | None = Field(default=None, max_length=16)
    courier: str | None = Field(default=None, max_length=64)
    customer_tier: str = Field(max_length=16)
    status: str = Field(max_length=32)
    verdict: str | None = Field(default=None, max_length=32)
    units: int
    refunded_cents: int = Field(sa_type=BigInteger)
    store_credited_cents: int = Field(sa_type=BigInteger)
    exchange_shipped: bool
    carrier_at_fault: bool
    claim_cents: int | None = Field(default=None, sa_type=BigInteger)


class ReturnLineFactRecord(SQLModel, table=True):
    """How many units of one SKU a return sends back (its lines of that SKU added up);
    a return's lines never change, so these are written once."""

    __tablename__ = "return_line_facts"

    return_id: str = Field(
        primary_key=True, foreign_key="return_facts.return_id", ondelete="CASCADE", max_length=64
    )
    sku: str = Field(primary_key=True, max_length=64, index=True)
    units: int


class ReturnPeriodCounts(SQLModel, table=True):
    """What the returns opened in a period with `value` for `dimension`, whose amounts are
    in `currency` ("" before the policy assessed them), add up to. The dimension "all" has
    the single value "" and counts every return; a return without a value (no verdict yet)
    counts under "" too."""

    __tablename__ = "return_period_counts"
    __table_args__ = CLUSTERED

    dimension: str = Field(primary_key=True, max_length=16)
    period: str = Field(primary_key=True, max_length=8)
    first_day: date = Field(primary_key=True)
    value: str = Field(primary_key=True, max_length=64)
    currency: str = Field(primary_key=True, max_length=3)
    returns: int = 0
    units: int = 0
    completed: int = 0
    refunds: int = 0
    refunded_cents: int = Field(default=0, sa_type=BigInteger)
    exchanges: int = 0
    store_credits: int = 0
    store_credited_cents: int = Field(default=0, sa_type=BigInteger)
    inspected: int = 0
    accepted: int = 0
    partial: int = 0
    damaged_by_customer: int = 0
    wrong_item_returned: int = 0
    claims_due: int = 0
    claims_filed: int = 0
    recovered_cents: int = Field(default=0, sa_type=BigInteger)
    claims_due_paid_cents: int = Field(default=0, sa_type=BigInteger)


class UnitsSoldRecord(SQLModel, table=True):
    """Units of `sku` sold in a period, as platforms reported them per business day.
    Month rows add up the month's day rows, and the SKU "" adds up every SKU, so a
    year's denominator is a dozen rows."""

    __tablename__ = "units_sold"
    __table_args__ = CLUSTERED

    sku: str = Field(primary_key=True, max_length=64)
    period: str = Field(primary_key=True, max_length=8)
    first_day: date = Field(primary_key=True)
    units: int = Field(default=0, sa_type=BigInteger)
