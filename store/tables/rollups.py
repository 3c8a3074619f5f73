"""Daily and monthly roll-ups of the complaints read model: a report over a year reads
twelve months and a few days of these rows instead of every complaint.

A complaint counts in the period (business day, and month) it was opened, once per
dimension: in the row for that period, that dimension and its value there. The dimension
"all" has the single value "" and counts every complaint; a complaint with no value for a
dimension (no team yet) counts under "" as well, which no real value can be (the domain
gives every one at least one character). Counts hold the measures of `store.measures`,
surveys included; durations hold each SLA clock's histogram (the buckets of
`store.percentiles`), except per SKU, where a day's histogram holds about one complaint.

The projections keep them in step with the complaints and surveys (`store.rollups`).
"""

from datetime import date

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

# SQLite stores these tables in primary-key order (no rowid), so a report's range of days
# is read in one sweep. `period` is "day" or "month"; `first_day` is the period's first.
CLUSTERED = {"sqlite_with_rowid": False}


class ComplaintPeriodCounts(SQLModel, table=True):
    """How many complaints opened in a period with `value` for `dimension` meet each
    measure."""

    __tablename__ = "complaint_period_counts"
    __table_args__ = CLUSTERED

    dimension: str = Field(primary_key=True, max_length=16)
    period: str = Field(primary_key=True, max_length=8)
    first_day: date = Field(primary_key=True)
    value: str = Field(primary_key=True, max_length=64)
    complaints: int = 0
    closed: int = 0
    breached: int = 0
    escalated: int = 0
    auto_resolved: int = 0
    responded: int = 0
    responded_in_time: int = 0
    resolved: int = 0
    resolved_in_time: int = 0
    surveys_sent: int = 0
    surveys_answered: int = 0
    csat_1: int = 0
    csat_2: int = 0
    csat_3: int = 0
    csat_4: int = 0
    csat_5: int = 0
    resolved_answers: int = 0
    resolved_yes: int = 0
    nps_answers: int = 0
    promoters: int = 0
    detractors: int = 0


class ComplaintPeriodDurations(SQLModel, table=True):
    """How many complaints opened in a period with `value` for `dimension` met `clock`
    after a duration in `bucket` (its lower bound, in seconds), and those durations' total."""

    __tablename__ = "complaint_period_durations"
    __table_args__ = CLUSTERED

    dimension: str = Field(primary_key=True, max_length=16)
    clock: str = Field(primary_key=True, max_length=16)
    period: str = Field(primary_key=True, max_length=8)
    first_day: date = Field(primary_key=True)
    value: str = Field(primary_key=True, max_length=64)
    bucket: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    complaints: int = 0
    total_seconds: int = Field(default=0, sa_type=BigInteger)
