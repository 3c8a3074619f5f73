"""A business calendar laid out as a month: each day worked, off for the week, a holiday, or
a make-up workday (a weekend day worked instead of a holiday), with its working hours.

The console's calendar page draws it; the rules are the ones SLA clocks count with
(`domain.calendar.hours_on`), so what the month shows is what deadlines will do.
"""

import calendar as gregorian
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.calendar import BusinessCalendar, WorkingHours, hours_on

# The months a preview may show: what the Gregorian rules and a person's planning need.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class DayKind(StrEnum):
    WORKING = "working"
    DAY_OFF = "day_off"
    HOLIDAY = "holiday"
    MAKE_UP = "make_up"


@dataclass(frozen=True)
class CalendarDay:
    """One day of the month: what kind of day it is and the hours worked on it."""

    day: date
    kind: DayKind
    hours: tuple[WorkingHours, ...]


@dataclass(frozen=True)
class CalendarMonth:
    """A month in weeks from Monday to Sunday; None pads the days of other months."""

    year: int
    month: int
    weeks: list[list[CalendarDay | None]]

    @property
    def days(self) -> list[CalendarDay]:
        """Returns the month's days in order."""
        return [day for week in self.weeks for day in week if day is not None]

    def previous(self) -> tuple[int, int]:
        """Returns the year and month before this one."""
        return (self.year - 1, 12) if self.month == 1 else (self.year, self.month - 1)

    def next(self) -> tuple[int, int]:
        """Returns the year and month after this one."""
        return (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)


def day_of(calendar: BusinessCalendar, day: date) -> CalendarDay:
    """Returns what kind of day `day` is on `calendar`, with its hours."""
    hours = tuple(hours_on(calendar, day))
    if day in calendar.holidays:
        kind = DayKind.HOLIDAY
    elif day in calendar.workdays and hours:
        kind = DayKind.MAKE_UP
    else:
        kind = DayKind.WORKING if hours else DayKind.DAY_OFF
    return CalendarDay(day=day, kind=kind, hours=hours)


def month_of(calendar: BusinessCalendar, year: int, month: int) -> CalendarMonth:
    """Returns the month laid out in weeks; raises ValueError for a month outside
    `FIRST_YEAR`..`LAST_YEAR` or a month number that is not one."""
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= month <= 12:
        raise ValueError(f"{year}-{month:02d} is not a month from {FIRST_YEAR} to {LAST_YEAR}")
    weeks = gregorian.Calendar(firstweekday=gregorian.MONDAY).monthdatescalendar(year, month)
    return CalendarMonth(
        year=year,
        month=month,
        weeks=[[day_of(calendar, d) if d.month == month else None for d in week] for week in weeks],
    )
