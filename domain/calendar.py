"""Business-hours calendars: SLA clocks count only a team's working time.

Pure and deterministic, so workflows can compute deadlines from `workflow.now()`: no wall
clock, no randomness, and no I/O beyond reading the zoneinfo database.
"""

import math
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator, model_validator

_ONE_DAY = timedelta(days=1)
_ONE_MICROSECOND = timedelta(microseconds=1)


def _start_offset(hours: "WorkingHours") -> timedelta:
    return timedelta(
        hours=hours.start.hour,
        minutes=hours.start.minute,
        seconds=hours.start.second,
        microseconds=hours.start.microsecond,
    )


def _end_offset(hours: "WorkingHours") -> timedelta:
    # `time` cannot say 24:00, so an interval that runs to midnight ends at 00:00.
    if hours.end == time(0):
        return _ONE_DAY
    return timedelta(
        hours=hours.end.hour,
        minutes=hours.end.minute,
        seconds=hours.end.second,
        microseconds=hours.end.microsecond,
    )


class WorkingHours(BaseModel):
    """One working interval on a weekday, in the calendar's local time (an end of 00:00 means
    midnight)."""

    start: time
    end: time

    @model_validator(mode="after")
    def _end_after_start(self) -> "WorkingHours":
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError(
                "working hours are local wall-clock times: drop the UTC offset and set the "
                "calendar's timezone instead"
            )
        if _end_offset(self) <= _start_offset(self):
            raise ValueError(
                f"working hours must end after they start, got {self.start}-{self.end} "
                "(use 00:00 as the end for an interval that runs to midnight)"
            )
        return self


class BusinessCalendar(BaseModel):
    """A team's working week, its holidays and its make-up working days; no
    `weekly_hours` means 24/7."""

    name: str = "24x7"
    timezone: str = "UTC"
    # Keyed by ISO weekday (1 = Monday ... 7 = Sunday); a missing day is a day off.
    weekly_hours: dict[int, list[WorkingHours]] | None = None
    holidays: list[date] = Field(default_factory=list)
    # Days off in the week that are worked all the same, with the hours of the first
    # weekday that has any: China moves working days onto weekends around its long
    # holidays (调休), and those Saturdays and Sundays count like a Monday.
    workdays: list[date] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(
                f"unknown timezone {value!r}: use an IANA name such as 'Asia/Shanghai'"
            ) from error
        return value

    @field_validator("weekly_hours")
    @classmethod
    def _valid_week(
        cls, week: dict[int, list[WorkingHours]] | None
    ) -> dict[int, list[WorkingHours]] | None:
        for weekday, intervals in (week or {}).items():
            if not 1 <= weekday <= 7:
                raise ValueError(f"weekday {weekday} is not an ISO weekday (1 = Monday ... 7)")
            ordered = sorted(intervals, key=_start_offset)
            for earlier, later in pairwise(ordered):
                if _start_offset(later) < _end_offset(earlier):
                    raise ValueError(
                        f"working hours on weekday {weekday} overlap: "
                        f"{earlier.start}-{earlier.end} and {later.start}-{later.end}"
                    )
        return week

    @model_validator(mode="after")
    def _no_day_both_off_and_worked(self) -> "BusinessCalendar":
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            days = ", ".join(day.isoformat() for day in both)
            raise ValueError(f"{days}: a day cannot be both a holiday and a make-up workday")
        if self.workdays and self.weekly_hours is None:
            raise ValueError("make-up workdays need weekly hours (a 24/7 calendar works every day)")
        return self


_WHOLE_DAY = WorkingHours(start=time(0), end=time(0))


def has_working_time(calendar: BusinessCalendar) -> bool:
    """Returns whether the calendar's week has any working time, so deadlines can be reached."""
    if calendar.weekly_hours is None:
        return True
    return any(calendar.weekly_hours.values())


def to_utc(moment: datetime) -> datetime:
    """Returns `moment` in UTC; rejects a naive datetime, whose instant is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"expected a timezone-aware datetime (such as workflow.now()), got {moment!r}"
        )
    return moment.astimezone(UTC)


def add_business_time(calendar: BusinessCalendar, start: datetime, seconds: float) -> datetime:
    """Returns the first instant, in UTC, at which `seconds` of business time have elapsed
    since `start`."""
    start = to_utc(start)
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"business time to add must be a finite, non-negative number: {seconds}")
    remaining = timedelta(seconds=seconds)
    # Zero left means due now, even outside working hours: nothing remains to wait for.
    if not remaining:
        return start
    if _always_open(calendar):
        return start + remaining
    if not has_working_time(calendar):
        raise ValueError(f"calendar {calendar.name!r} has no working hours on any weekday")

    zone = ZoneInfo(calendar.timezone)
    holidays = frozenset(calendar.holidays)
    idle_day_limit = _idle_day_limit(holidays)
    idle_days = 0
    # A day earlier than `start`'s local date, for zones whose clocks go back across midnight.
    day = start.astimezone(zone).date() - _ONE_DAY
    while True:
        worked = False
        for opens, closes in _working_intervals(calendar, day, zone, holidays):
            opens = max(opens, start)
            if closes <= opens:
                continue
            worked = True
            if remaining <= closes - opens:
                return opens + remaining
            remaining -= closes - opens
        idle_days = 0 if worked else idle_days + 1
        if idle_days > idle_day_limit:
            raise ValueError(
                f"calendar {calendar.name!r} had no working time for {idle_days} days "
                f"after {day}: check its weekly hours and holidays"
            )
        day += _ONE_DAY


def business_seconds_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Returns the business seconds elapsed in [start, end), or 0 if `end` is not after
    `start`."""
    start, end = to_utc(start), to_utc(end)
    if end <= start:
        return 0.0
    if _always_open(calendar):
        return (end - start).total_seconds()

    zone = ZoneInfo(calendar.timezone)
    holidays = frozenset(calendar.holidays)
    elapsed = timedelta(0)
    # One day of margin on each side, for zones whose clocks go back across midnight.
    day = start.astimezone(zone).date() - _ONE_DAY
    last_day = end.astimezone(zone).date() + _ONE_DAY
    while day <= last_day:
        for opens, closes in _working_intervals(calendar, day, zone, holidays):
            overlap = min(closes, end) - max(opens, start)
            if overlap > timedelta(0):
                elapsed += overlap
        day += _ONE_DAY
    return elapsed.total_seconds()


def _always_open(calendar: BusinessCalendar) -> bool:
    return calendar.weekly_hours is None and not calendar.holidays


def _idle_day_limit(holidays: frozenset[date]) -> int:
    # A week with any working time works at least once every 7 days; each holiday can cancel
    # one such day, and the extra week covers the day before `start` and skipped DST hours.
    return 7 * (len(holidays) + 2)


def _working_intervals(
    calendar: BusinessCalendar, day: date, zone: ZoneInfo, holidays: frozenset[date]
) -> list[tuple[datetime, datetime]]:
    """Returns the local `day`'s working intervals as UTC instants, earliest first."""
    if day in holidays:
        return []
    return [
        (
            _wall_time_to_utc(day, _start_offset(h), zone),
            _wall_time_to_utc(day, _end_offset(h), zone),
        )
        for h in _hours_of(calendar, day)
    ]


def hours_on(calendar: BusinessCalendar, day: date) -> list[WorkingHours]:
    """Returns the working hours of the local `day`, earliest first (none on a holiday
    or a day off)."""
    return [] if day in calendar.holidays else _hours_of(calendar, day)


def _hours_of(calendar: BusinessCalendar, day: date) -> list[WorkingHours]:
    """Returns `day`'s hours by its weekday or as a make-up workday, holidays aside."""
    if calendar.weekly_hours is None:
        return [_WHOLE_DAY]
    if day in calendar.workdays:
        return sorted(_make_up_hours(calendar.weekly_hours), key=_start_offset)
    return sorted(calendar.weekly_hours.get(day.isoweekday(), []), key=_start_offset)


def _make_up_hours(week: dict[int, list[WorkingHours]]) -> list[WorkingHours]:
    """Returns the hours of a make-up workday: those of the first weekday with any."""
    return next((week[day] for day in sorted(week) if week[day]), [])


def _wall_time_to_utc(day: date, offset: timedelta, zone: ZoneInfo) -> datetime:
    """Returns the first instant at which the wall clock in `zone` shows `offset` into `day`.

    A wall time shown twice (clocks going back) means its first occurrence; a wall time the
    clocks skip (going forward) means the moment they jump, when the skipped hour would be.
    """
    wall = datetime.combine(day, time(0)) + offset
    first = wall.replace(tzinfo=zone).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # Skipped: read with the offset after the jump the wall time falls before it, read with
    # the offset before the jump it falls after it; the jump lies in between.
    return _offset_change(wall.replace(tzinfo=zone, fold=1).astimezone(UTC), first, zone)


def _offset_change(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """Returns the first instant in (before, after] with `after`'s UTC offset in `zone`."""
    offset_before = before.astimezone(zone).utcoffset()
    # Bisection: skipped wall times are rare (a working interval starting in a DST gap), and
    # zoneinfo offers no public way to read the transition instant directly.
    while after - before > _ONE_MICROSECOND:
        middle = before + (after - before) / 2
        if middle.astimezone(zone).utcoffset() == offset_before:
            before = middle
        else:
            after = middle
    return after
