"""What the analytics page's GET form asks for: the days shown, the dimension filters and
how the trend is drawn, read from the query string and written back into links.

The form is a GET so that a page's URL can be shared and opened again. People pick days
with both ends counted (`first_day`, `last_day`); the reports take `until` as the day
after the last one, so the conversion happens here, once.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from urllib.parse import urlencode

from api.console.session import CONSOLE_PREFIX, ConsoleProblem
from api.routes import analytics as analytics_routes
from api.routes.analytics import business_today
from domain.analytics import Bucket, ComplaintFilter, Dimension
from domain.taxonomy import Category, Channel, CustomerTier, Tier

PAGE_PATH = f"{CONSOLE_PREFIX}/analytics"
PRESET_DAYS = (7, 28, 90)
# Four weeks: the weekly review looks at this week against the three before it.
DEFAULT_DAYS = 28
# Daily columns stay readable up to about two months; longer periods go by week.
DAILY_UP_TO_DAYS = 62
BUCKETS = (Bucket.DAY, Bucket.WEEK)
# How the trend's columns are stacked; "none" draws one column per bucket.
SPLITS: dict[str, Dimension | None] = {
    "tier": Dimension.TIER,
    "channel": Dimension.CHANNEL,
    "customer_tier": Dimension.CUSTOMER_TIER,
    "none": None,
}
DEFAULT_SPLIT = "tier"
# Filters whose values are a domain enum (a select), and those that are free text.
ENUM_FILTERS: dict[str, type[StrEnum]] = {
    "category": Category,
    "tier": Tier,
    "channel": Channel,
    "customer_tier": CustomerTier,
}
TEXT_FILTERS = ("region", "team")
# The catalogue's name of each filter (and of each split, which are filters too).
FILTER_LABELS = {
    "category": "category",
    "tier": "severity",
    "channel": "channel",
    "customer_tier": "customer_tier",
    "region": "region",
    "team": "team",
    "none": "split_none",
}
MAX_TEXT_FILTER = 64


@dataclass(frozen=True)
class AnalyticsChoice:
    """The days shown (both ends counted), the dimension filters given and the trend's
    bucket and split, as the page's form and links carry them."""

    first_day: date
    last_day: date
    bucket: Bucket
    split: str
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def days(self) -> int:
        """Returns how many days the page covers."""
        return (self.last_day - self.first_day).days + 1

    @property
    def split_by(self) -> Dimension | None:
        """Returns the dimension the trend's columns are stacked by, if any."""
        return SPLITS[self.split]

    def complaint_filter(self) -> ComplaintFilter:
        """Returns the reports' filter for these days and dimension values."""
        return ComplaintFilter(
            since=self.first_day, until=self.last_day + timedelta(days=1), **self.filters
        )

    def previous_filter(self) -> ComplaintFilter:
        """Returns the same filter over the equally long period just before."""
        return ComplaintFilter(
            since=self.first_day - timedelta(days=self.days), until=self.first_day, **self.filters
        )

    def url(self, **changes: str) -> str:
        """Returns this page's URL with `changes` made to its query (an empty value drops
        that parameter)."""
        params = {
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "bucket": self.bucket.value,
            "split": self.split,
            **self.filters,
            **changes,
        }
        return f"{PAGE_PATH}?{urlencode({k: v for k, v in params.items() if v})}"

    def preset_url(self, days: int) -> str:
        """Returns the URL of the last `days` days, keeping the dimension filters."""
        return self.url(first_day="", last_day="", bucket="", days=str(days))

    def is_preset(self, days: int) -> bool:
        """Returns whether the page shows exactly the last `days` days."""
        return self.days == days and self.last_day == business_today()

    def complaints_csv_url(self) -> str:
        """Returns the CSV export of the complaints this page counts."""
        query = {"since": self.first_day.isoformat()}
        query |= {"until": (self.last_day + timedelta(days=1)).isoformat()} | self.filters
        return f"/analytics/complaints.csv?{urlencode(query)}"

    def audit_csv_url(self) -> str:
        """Returns the CSV export of the audit trail over these days (it has no
        dimensions: it lists every case's events)."""
        until = (self.last_day + timedelta(days=1)).isoformat()
        return f"/analytics/audit.csv?{urlencode({'since': self.first_day, 'until': until})}"


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as invalid:
        raise ConsoleProblem(422, "invalid_form") from invalid


def read_choice(
    *,
    days: int | None,
    first_day: str,
    last_day: str,
    bucket: str,
    split: str,
    filters: dict[str, str],
) -> AnalyticsChoice:
    """Returns what the query string asks for; raises the 422 page for a value the form
    never offers (an unknown category, a malformed day, a period too long)."""
    first, last = _day(first_day), _day(last_day)
    span = days or DEFAULT_DAYS
    last = last or business_today()
    first = first or last - timedelta(days=span - 1)
    given = {name: value.strip() for name, value in filters.items() if value.strip()}
    for name, value in given.items():
        allowed = ENUM_FILTERS.get(name)
        if allowed is not None and value not in {member.value for member in allowed}:
            raise ConsoleProblem(422, "invalid_form")
        if allowed is None and (name not in TEXT_FILTERS or len(value) > MAX_TEXT_FILTER):
            raise ConsoleProblem(422, "invalid_form")
    if split not in SPLITS or bucket not in {"", *BUCKETS}:
        raise ConsoleProblem(422, "invalid_form")
    # The reports' own rules for a period (start before end, at most about 3 years).
    analytics_routes.date_range(since=first, until=last + timedelta(days=1))
    chosen_bucket = Bucket(bucket) if bucket else None
    if chosen_bucket is None:
        long_period = (last - first).days + 1 > DAILY_UP_TO_DAYS
        chosen_bucket = Bucket.WEEK if long_period else Bucket.DAY
    return AnalyticsChoice(
        first_day=first, last_day=last, bucket=chosen_bucket, split=split, filters=given
    )
