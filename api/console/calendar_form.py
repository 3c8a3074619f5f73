"""The calendar page's forms as business calendars: China's official calendar for some
years, custom weekly hours (up to two intervals a day) with holidays and make-up workdays
of the team's own and optionally China's official ones, or around the clock; and the other
way round, a team's calendar as the custom form's first values.

A form that does not make a calendar is refused naming the field and the value
(`AdminProblem`), so the page can say which weekday or which date is wrong.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.console.admin_forms import AdminProblem
from domain.calendar import BusinessCalendar, WorkingHours, has_working_time
from domain.calendar_month import FIRST_YEAR, LAST_YEAR
from domain.official_calendars import office_calendar, official_calendar
from domain.policy import ALWAYS_OPEN, CN_OFFICE_WEEK

WEEKDAYS = range(1, 8)
# Two intervals a day cover a lunch break; more is for `redress teams calendar --json`.
INTERVALS = ("", "2")
MAX_YEARS = 5
MAX_DATES = 400
CUSTOM_NAME = "custom-hours"
CUSTOM_WITH_CN_NAME = "custom-hours-cn-holidays"
_TIME = re.compile(r"(\d{2}):(\d{2})(?::\d{2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SEPARATORS = re.compile(r"[\s,;，；、]+")


def parse_years(text: str) -> list[int]:
    """Returns the years typed (one to five, space or comma separated); raises the
    refusal naming the years field otherwise."""
    words = [word for word in _SEPARATORS.split(text.strip()) if word]
    if not words or len(words) > MAX_YEARS or not all(word.isdigit() for word in words):
        raise AdminProblem("admin_calendar_years_invalid", value=text.strip()[:40])
    years = sorted({int(word) for word in words})
    if not FIRST_YEAR <= years[0] <= years[-1] <= LAST_YEAR:
        raise AdminProblem("admin_calendar_years_invalid", value=text.strip()[:40])
    return years


def _dates(text: str, refusal: str) -> list[date]:
    words = [word for word in _SEPARATORS.split(text.strip()) if word]
    if len(words) > MAX_DATES:
        raise AdminProblem("admin_calendar_too_many_dates", limit=MAX_DATES)
    days = set()
    for word in words:
        try:
            if not _DATE.fullmatch(word):
                raise ValueError(word)
            day = date.fromisoformat(word)
        except ValueError:
            raise AdminProblem(refusal, value=word[:40]) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise AdminProblem(refusal, value=word)
        days.add(day)
    return sorted(days)


def _time(text: str, weekday: int) -> time:
    found = _TIME.fullmatch(text)
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise AdminProblem("admin_calendar_time_invalid", day=weekday, value=text[:20])
    return time(int(found[1]), int(found[2]))


def _week(form: Mapping[str, str]) -> dict[int, list[WorkingHours]]:
    """Returns the weekly hours typed; raises the refusal naming the weekday that is wrong."""
    week: dict[int, list[WorkingHours]] = {}
    for weekday in WEEKDAYS:
        intervals = []
        for suffix in INTERVALS:
            start = form.get(f"start{suffix}_{weekday}", "").strip()
            end = form.get(f"end{suffix}_{weekday}", "").strip()
            if not start and not end:
                continue
            if not start or not end:
                raise AdminProblem("admin_calendar_hours_incomplete", day=weekday)
            try:
                hours = WorkingHours(start=_time(start, weekday), end=_time(end, weekday))
            except ValueError:  # pydantic's: the interval ends before it starts
                raise AdminProblem("admin_calendar_hours_order", day=weekday) from None
            intervals.append(hours)
        if not intervals:
            continue
        try:
            BusinessCalendar(weekly_hours={weekday: intervals})
        except ValueError:
            raise AdminProblem("admin_calendar_hours_overlap", day=weekday) from None
        week[weekday] = intervals
    if not has_working_time(BusinessCalendar(weekly_hours=week)):
        raise AdminProblem("admin_calendar_no_hours")
    return week


def _timezone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise AdminProblem("admin_calendar_timezone_invalid", value=text[:64]) from None
    return text


def custom_calendar(form: Mapping[str, str]) -> BusinessCalendar:
    """Returns the calendar the custom form describes; raises `AdminProblem` naming the
    first field that is wrong."""
    zone = _timezone(form.get("timezone", "").strip())
    week = _week(form)
    holidays = _dates(form.get("holidays", ""), "admin_calendar_holiday_invalid")
    workdays = _dates(form.get("workdays", ""), "admin_calendar_workday_invalid")
    both = sorted(set(holidays) & set(workdays))
    if both:
        raise AdminProblem("admin_calendar_day_both", date=both[0].isoformat())
    calendar = BusinessCalendar(
        name=CUSTOM_NAME, timezone=zone, weekly_hours=week, holidays=holidays, workdays=workdays
    )
    if form.get("add_official") != "cn":
        return calendar
    years = parse_years(form.get("years", ""))
    with_official = official_calendar(calendar, "CN", years)
    return with_official.model_copy(update={"name": CUSTOM_WITH_CN_NAME})


def calendar_from_form(form: Mapping[str, str]) -> BusinessCalendar:
    """Returns the calendar one of the page's three forms asks for."""
    kind = form.get("kind", "")
    if kind == "official":
        return office_calendar("cn", parse_years(form.get("years", "")))
    if kind == "custom":
        return custom_calendar(form)
    if kind == "always_open":
        return ALWAYS_OPEN
    raise AdminProblem("admin_calendar_kind_invalid")


@dataclass(frozen=True)
class OfficialPart:
    """The years whose official holidays a calendar holds in full, and what it holds
    beyond them (the team's own holidays and make-up workdays)."""

    years: list[int]
    own_holidays: list[date]
    own_workdays: list[date]


def official_part(calendar: BusinessCalendar) -> OfficialPart:
    """Returns which years of China's official holidays `calendar` holds, and its own days."""
    holidays, workdays = set(calendar.holidays), set(calendar.workdays)
    years = []
    for year in sorted({day.year for day in holidays}):
        official = official_calendar(CN_OFFICE_WEEK, "CN", [year])
        if official.holidays and set(official.holidays) <= holidays:
            years.append(year)
            holidays -= set(official.holidays)
            workdays -= set(official.workdays)
    return OfficialPart(years=years, own_holidays=sorted(holidays), own_workdays=sorted(workdays))


def _clock(at: time) -> str:
    return at.strftime("%H:%M")


def custom_defaults(calendar: BusinessCalendar) -> dict[str, str]:
    """Returns the custom form's first values: the team's calendar as it is (an office
    week in Beijing for a team that works around the clock)."""
    base = calendar if calendar.weekly_hours is not None else CN_OFFICE_WEEK
    part = official_part(calendar)
    values = {
        "timezone": base.timezone,
        "holidays": "\n".join(day.isoformat() for day in part.own_holidays),
        "workdays": "\n".join(day.isoformat() for day in part.own_workdays),
        "add_official": "cn" if part.years else "",
        "years": " ".join(str(year) for year in part.years),
    }
    for weekday, intervals in (base.weekly_hours or {}).items():
        for suffix, hours in zip(INTERVALS, intervals, strict=False):
            values[f"start{suffix}_{weekday}"] = _clock(hours.start)
            values[f"end{suffix}_{weekday}"] = _clock(hours.end)
    return values
