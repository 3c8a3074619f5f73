"""Official holidays and China's make-up workdays in business calendars: the data comes
from the `holidays` package, the counting from `domain.calendar`."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from domain.calendar import BusinessCalendar, add_business_time, business_seconds_between
from domain.official_calendars import CN_OFFICE_HOURS, official_calendar
from domain.policy import CN_OFFICE_WEEK

HOUR = 3600.0
SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def test_spring_festival_2026_is_off_and_its_two_saturdays_are_worked() -> None:
    # The State Council's 2026 schedule: 15-23 February off (the weekdays among them are
    # the holidays; the weekend is off anyway), Saturdays 14 and 28 worked.
    weekdays_off = {date(2026, 2, day) for day in (16, 17, 18, 19, 20, 23)}
    assert weekdays_off <= set(CN_OFFICE_HOURS.holidays)
    assert {date(2026, 2, 14), date(2026, 2, 28)} <= set(CN_OFFICE_HOURS.workdays)


def test_a_deadline_runs_on_through_a_make_up_saturday() -> None:
    # Friday 13 Feb 17:00 with 4 business hours: 1h on Friday, then Saturday 14 Feb is a
    # working day (09:00-12:00), not a weekend.
    assert add_business_time(CN_OFFICE_HOURS, shanghai(2, 13, 17), 4 * HOUR) == shanghai(2, 14, 12)


def test_a_deadline_skips_the_whole_spring_festival() -> None:
    # 1h Friday 13 Feb, 9h Saturday 14 Feb, Sunday 15 to Monday 23 Feb off, then the last
    # 2h on Tuesday 24 Feb.
    due = add_business_time(CN_OFFICE_HOURS, shanghai(2, 13, 17), 12 * HOUR)
    assert due == shanghai(2, 24, 11)


def test_national_day_2026_has_its_make_up_weekend_days() -> None:
    # Sunday 20 Sep and Saturday 10 Oct are worked; 1-7 Oct is off.
    september_20 = business_seconds_between(CN_OFFICE_HOURS, shanghai(9, 20, 0), shanghai(9, 21, 0))
    october_10 = business_seconds_between(CN_OFFICE_HOURS, shanghai(10, 10, 0), shanghai(10, 11, 0))
    golden_week = business_seconds_between(CN_OFFICE_HOURS, shanghai(10, 1, 0), shanghai(10, 8, 0))
    assert (september_20, october_10, golden_week) == (9 * HOUR, 9 * HOUR, 0.0)


def test_a_year_of_official_office_hours_counts_the_official_working_days() -> None:
    year = CN_OFFICE_HOURS.model_copy(update={"holidays": [], "workdays": []})
    weekdays = business_seconds_between(
        year, shanghai(1, 1, 0), datetime(2027, 1, 1, tzinfo=SHANGHAI)
    )
    off = {day for day in CN_OFFICE_HOURS.holidays if day.year == 2026 and day.isoweekday() <= 5}
    worked = {day for day in CN_OFFICE_HOURS.workdays if day.year == 2026}
    official = business_seconds_between(
        CN_OFFICE_HOURS, shanghai(1, 1, 0), datetime(2027, 1, 1, tzinfo=SHANGHAI)
    )
    assert official == weekdays - 9 * HOUR * len(off) + 9 * HOUR * len(worked)
    assert len(worked) == 6


def test_a_country_without_make_up_days_gets_holidays_only() -> None:
    berlin = BusinessCalendar(
        name="berlin", timezone="Europe/Berlin", weekly_hours=CN_OFFICE_WEEK.weekly_hours
    )
    german = official_calendar(berlin, "DE", years=[2026], subdivision="BE")
    assert date(2026, 3, 8) in german.holidays  # International Women's Day, Berlin only
    assert date(2026, 12, 25) in german.holidays and german.workdays == []


def test_a_day_cannot_be_both_off_and_worked() -> None:
    with pytest.raises(ValidationError, match="both a holiday and a make-up workday"):
        BusinessCalendar.model_validate(
            CN_OFFICE_WEEK.model_dump()
            | {"holidays": [date(2026, 2, 14)], "workdays": [date(2026, 2, 14)]}
        )
    with pytest.raises(ValidationError, match="need weekly hours"):
        BusinessCalendar(workdays=[date(2026, 2, 14)])


def test_calendars_with_make_up_days_survive_a_round_trip_as_json() -> None:
    restored = BusinessCalendar.model_validate_json(CN_OFFICE_HOURS.model_dump_json())
    assert restored == CN_OFFICE_HOURS
    assert restored.workdays and timedelta(0) < restored.workdays[1] - restored.workdays[0]
