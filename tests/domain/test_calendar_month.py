"""A business calendar as a month: China's October 2026 on the official office calendar
(Golden Week off, the Saturday after it worked), a 24/7 team, custom weeks, and the
months a preview may show."""

from datetime import date, time

import pytest

from domain.calendar import BusinessCalendar, WorkingHours
from domain.calendar_month import CalendarDay, DayKind, day_of, month_of
from domain.official_calendars import holiday_names, office_calendar
from domain.policy import ALWAYS_OPEN

NINE_TO_SIX = (WorkingHours(start=time(9), end=time(18)),)


def kinds(days: list[CalendarDay]) -> dict[int, DayKind]:
    return {day.day.day: day.kind for day in days}


def test_october_2026_on_china_s_office_calendar() -> None:
    october = month_of(office_calendar("cn", [2026]), 2026, 10)

    by_day = kinds(october.days)
    assert [n for n, kind in by_day.items() if kind is DayKind.HOLIDAY] == [1, 2, 3, 5, 6, 7]
    # Saturday 10 October is worked instead of a Golden Week day, with Monday's hours.
    assert [n for n, kind in by_day.items() if kind is DayKind.MAKE_UP] == [10]
    assert october.days[9].hours == NINE_TO_SIX
    # Sunday the 4th is an ordinary weekend day inside the holiday.
    assert by_day[4] is DayKind.DAY_OFF and by_day[11] is DayKind.DAY_OFF
    assert by_day[8] is DayKind.WORKING and october.days[7].hours == NINE_TO_SIX
    # Monday-first weeks: 1 October 2026 is a Thursday.
    assert [day is None for day in october.weeks[0]] == [True] * 3 + [False] * 4
    assert len(october.days) == 31
    assert (october.previous(), october.next()) == ((2026, 9), (2026, 11))


def test_official_holidays_are_named_in_both_languages() -> None:
    chinese = holiday_names("CN", [2026], "zh-CN")
    english = holiday_names("CN", [2026], "en")

    assert chinese[date(2026, 10, 1)] == "国庆节"
    assert english[date(2026, 10, 1)] == "National Day"
    assert date(2027, 10, 1) not in english


def test_a_24_7_calendar_works_every_day_all_day() -> None:
    february = month_of(ALWAYS_OPEN, 2028, 2)

    assert len(february.days) == 29
    assert {day.kind for day in february.days} == {DayKind.WORKING}
    assert february.days[0].hours == (WorkingHours(start=time(0), end=time(0)),)
    assert (month_of(ALWAYS_OPEN, 2026, 1).previous(), february.next()) == ((2025, 12), (2028, 3))


def test_custom_hours_a_holiday_and_a_make_up_day() -> None:
    calendar = BusinessCalendar(
        name="care",
        timezone="Asia/Shanghai",
        weekly_hours={
            2: [
                WorkingHours(start=time(13), end=time(17)),
                WorkingHours(start=time(8), end=time(12)),
            ],
            6: [WorkingHours(start=time(10), end=time(14))],
        },
        holidays=[date(2026, 12, 26)],
        workdays=[date(2026, 12, 27)],
    )

    assert day_of(calendar, date(2026, 12, 1)).hours == (
        WorkingHours(start=time(8), end=time(12)),
        WorkingHours(start=time(13), end=time(17)),
    )
    assert day_of(calendar, date(2026, 12, 26)).kind is DayKind.HOLIDAY
    # A make-up day takes the hours of the first weekday that has any: Tuesday's.
    made_up = day_of(calendar, date(2026, 12, 27))
    assert made_up.kind is DayKind.MAKE_UP and len(made_up.hours) == 2
    assert day_of(calendar, date(2026, 12, 19)).hours == (
        WorkingHours(start=time(10), end=time(14)),
    )
    assert day_of(calendar, date(2026, 12, 2)).kind is DayKind.DAY_OFF


@pytest.mark.parametrize(("year", "month"), [(1999, 12), (2101, 1), (2026, 0), (2026, 13)])
def test_months_outside_the_preview_are_refused(year: int, month: int) -> None:
    with pytest.raises(ValueError, match="is not a month from 2000 to 2100"):
        month_of(ALWAYS_OPEN, year, month)
