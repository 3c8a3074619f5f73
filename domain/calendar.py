"""Business-hours calendars: SLA clocks count only a team's working time.

Pure and deterministic, so workflows can compute deadlines from `workflow.now()`.
"""

from datetime import date, time

from pydantic import BaseModel, Field


class WorkingHours(BaseModel):
    """One working interval on a weekday, in the calendar's local time."""

    start: time
    end: time


class BusinessCalendar(BaseModel):
    """A team's working week and holidays; no `weekly_hours` means 24/7."""

    name: str = "24x7"
    timezone: str = "UTC"
    # Keyed by ISO weekday (1 = Monday ... 7 = Sunday); a missing day is a day off.
    weekly_hours: dict[int, list[WorkingHours]] | None = None
    holidays: list[date] = Field(default_factory=list)
