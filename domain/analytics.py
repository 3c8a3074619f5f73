"""What complaint analytics answer: the dimensions, time buckets, filters and result shapes.

The read model is cut by these dimensions only (each is one indexed or cheap column), so a
report never turns into an arbitrary query; every figure says which complaints it counts.
"""

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, Field


class Dimension(StrEnum):
    """A column complaints can be grouped or filtered by."""

    CATEGORY = "category"
    SUB_CATEGORY = "sub_category"
    TIER = "tier"
    CHANNEL = "channel"
    SKU = "sku"
    REGION = "region"
    CUSTOMER_TIER = "customer_tier"
    ROOT_CAUSE = "root_cause"
    TEAM = "team"
    AGENT = "agent"
    STATUS = "status"


Named = TypeVar("Named", bound=StrEnum)


class Bucket(StrEnum):
    DAY = "day"
    WEEK = "week"  # weeks start on Monday, in the business timezone
    MONTH = "month"


class Scope(StrEnum):
    """Who a scoreboard ranks."""

    AGENT = "agent"
    TEAM = "team"


class ComplaintFilter(BaseModel):
    """Which complaints a report counts: opened in [since, until) and matching each given
    dimension value. Dates are calendar days in the business timezone."""

    since: date
    until: date
    category: str | None = None
    sub_category: str | None = None
    tier: str | None = None
    channel: str | None = None
    sku: str | None = None
    region: str | None = None
    customer_tier: str | None = None
    root_cause: str | None = None
    team: str | None = None
    agent: str | None = None
    status: str | None = None

    def dimension_values(self) -> dict[Dimension, str]:
        """Returns the dimension filters that were given."""
        return values_given(self, Dimension)


def values_given(chosen: BaseModel, dimensions: Iterable[Named]) -> dict[Named, str]:
    """Returns the filter's values of those `dimensions` it was given (each a field named
    after the dimension's value)."""
    given = {dimension: getattr(chosen, dimension.value) for dimension in dimensions}
    return {dimension: value for dimension, value in given.items() if value is not None}


class CountRow(BaseModel):
    """How many complaints one group has, and its share of the whole."""

    key: str | None
    count: int
    share: float


class Breakdown(BaseModel):
    """Returns complaint counts per value of one dimension, largest first."""

    dimension: Dimension
    total: int
    rows: list[CountRow]


class TrendPoint(BaseModel):
    bucket: date  # the first day of the day, week or month
    key: str | None = None
    count: int


class Trend(BaseModel):
    """Returns complaint counts per time bucket, optionally split by one dimension."""

    bucket: Bucket
    split_by: Dimension | None
    total: int
    points: list[TrendPoint]


class DurationStats(BaseModel):
    """Wall-clock times from opening to an SLA clock being met, in hours."""

    measured: int = Field(description="complaints where the clock was met")
    median_hours: float | None
    p90_hours: float | None
    within_sla_rate: float | None = Field(description="share met before the SLA deadline")


class ServiceLevels(BaseModel):
    """Returns first-response and resolution times against the SLA, and how often it broke."""

    complaints: int
    first_response: DurationStats
    resolution: DurationStats
    sla_breach_rate: float | None
    escalation_rate: float | None
    auto_resolution_rate: float | None


class Satisfaction(BaseModel):
    """Returns what follow-up surveys said about the complaints counted."""

    surveys_sent: int
    answered: int
    response_rate: float | None
    csat_average: float | None
    csat_distribution: dict[int, int]
    resolved_rate: float | None = Field(description="share of answers saying it was resolved")
    nps: float | None = Field(description="% promoters (9-10) minus % detractors (0-6)")
    nps_answers: int


class ScoreRow(BaseModel):
    key: str
    complaints: int
    closed: int
    sla_met_rate: float | None
    median_resolution_hours: float | None
    csat_average: float | None
    csat_answers: int
    escalation_rate: float | None


class Scoreboard(BaseModel):
    """Returns per-agent or per-team volume, SLA met, resolution time and CSAT."""

    scope: Scope
    rows: list[ScoreRow]
