"""Business-time arithmetic: deadlines across nights, weekends, holidays and DST switches."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.calendar import (
    BusinessCalendar,
    WorkingHours,
    add_business_time,
    business_seconds_between,
    has_working_time,
)
from domain.official_calendars import CN_OFFICE_HOURS
from domain.policy import ALWAYS_OPEN
from tests.calendars import OFFICE_2026

HOUR = 3600.0
SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def shanghai(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def berlin(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def weekdays(*hours: tuple[time, time]) -> dict[int, list[WorkingHours]]:
    return {day: [WorkingHours(start=s, end=e) for s, e in hours] for day in range(1, 6)}


WITH_LUNCH_BREAK = BusinessCalendar(
    name="cn-with-lunch",
    timezone="Asia/Shanghai",
    weekly_hours=weekdays((time(9), time(12)), (time(13), time(18))),
)
BERLIN_OFFICE = BusinessCalendar(
    name="berlin-office", timezone="Europe/Berlin", weekly_hours=weekdays((time(9), time(17)))
)
# Every day, all day, in a zone with DST: days are 23 or 25 hours long at the switches.
BERLIN_EVERY_DAY = BusinessCalendar(
    name="berlin-every-day",
    timezone="Europe/Berlin",
    weekly_hours={day: [WorkingHours(start=time(0), end=time(0))] for day in range(1, 8)},
)
# Europe's 2026 switches: clocks go forward on Sunday 29 March at 02:00 (CET -> CEST) and
# back on Sunday 25 October at 03:00 (CEST -> CET).
SPRING_FORWARD = date(2026, 3, 29)
FALL_BACK = date(2026, 10, 25)


def assert_utc(moment: datetime) -> None:
    assert moment.utcoffset() == timedelta(0)


# --- 24/7 ---------------------------------------------------------------------------------


def test_always_open_adds_plain_elapsed_time() -> None:
    due = add_business_time(ALWAYS_OPEN, datetime(2026, 3, 1, 10, tzinfo=UTC), 90 * 60)
    assert due == datetime(2026, 3, 1, 11, 30, tzinfo=UTC)


def test_always_open_returns_utc_for_a_start_in_another_zone() -> None:
    due = add_business_time(ALWAYS_OPEN, shanghai(2026, 3, 1, 10), 2 * HOUR)
    assert due == datetime(2026, 3, 1, 4, tzinfo=UTC)
    assert_utc(due)


def test_always_open_counts_every_second_between() -> None:
    start = datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert business_seconds_between(ALWAYS_OPEN, start, start + timedelta(days=3)) == 72 * HOUR


def test_round_the_clock_calendar_still_takes_holidays_off() -> None:
    calendar = BusinessCalendar(name="24x7-but-new-year", holidays=[date(2027, 1, 1)])
    due = add_business_time(calendar, datetime(2026, 12, 31, 23, tzinfo=UTC), 2 * HOUR)
    assert due == datetime(2027, 1, 2, 1, tzinfo=UTC)


# --- Office hours: Mon-Fri 09:00-18:00 Beijing time -----------------------------------------


def test_deadline_within_one_working_day() -> None:
    due = add_business_time(OFFICE_2026, shanghai(2026, 9, 28, 10), 2 * HOUR)
    assert due == shanghai(2026, 9, 28, 12)
    assert_utc(due)


def test_deadline_that_uses_up_the_day_is_at_closing_time_not_next_morning() -> None:
    due = add_business_time(OFFICE_2026, shanghai(2026, 9, 28, 10), 8 * HOUR)
    assert due == shanghai(2026, 9, 28, 18)


def test_deadline_carries_over_the_night() -> None:
    due = add_business_time(OFFICE_2026, shanghai(2026, 9, 28, 17), 2 * HOUR)
    assert due == shanghai(2026, 9, 29, 10)


def test_deadline_spans_a_weekend() -> None:
    # Friday 16:00-18:00 uses 2h; Saturday and Sunday are off; Monday 09:00-11:00 the rest.
    due = add_business_time(OFFICE_2026, shanghai(2026, 9, 25, 16), 4 * HOUR)
    assert due == shanghai(2026, 9, 28, 11)


def test_deadline_spans_national_day_holidays_and_a_weekend() -> None:
    # Opened Wednesday 2026-09-30 at 17:00 with 24 business hours:
    #   Wed 30 Sep 17:00-18:00  1h  (total  1h)
    #   Thu 1 Oct - Wed 7 Oct   National Day holidays (the weekend of 3-4 Oct included)
    #   Thu 8 Oct 09:00-18:00   9h  (total 10h)
    #   Fri 9 Oct 09:00-18:00   9h  (total 19h)
    #   Sat 10 - Sun 11 Oct     weekend
    #   Mon 12 Oct 09:00-14:00  5h  (total 24h)  -> due Monday 12 October 14:00 local.
    due = add_business_time(OFFICE_2026, shanghai(2026, 9, 30, 17), 24 * HOUR)
    assert due == shanghai(2026, 10, 12, 14)
    assert due == datetime(2026, 10, 12, 6, tzinfo=UTC)


def test_deadline_from_a_friday_spans_two_weekends_and_the_holidays() -> None:
    # Opened Friday 2026-09-25 at 17:00 with 30 business hours:
    #   Fri 25 Sep 1h, Mon 28 9h, Tue 29 9h, Wed 30 9h (total 28h);
    #   1-7 Oct holidays; Thu 8 Oct 09:00-11:00 the last 2h.
    due = add_business_time(OFFICE_2026, shanghai(2026, 9, 25, 17), 30 * HOUR)
    assert due == shanghai(2026, 10, 8, 11)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param(shanghai(2026, 9, 26, 10), shanghai(2026, 9, 28, 10), id="saturday"),
        pytest.param(shanghai(2026, 9, 28, 7), shanghai(2026, 9, 28, 10), id="before-opening"),
        pytest.param(shanghai(2026, 9, 28, 20), shanghai(2026, 9, 29, 10), id="after-closing"),
        pytest.param(shanghai(2026, 9, 28, 18), shanghai(2026, 9, 29, 10), id="at-closing"),
        pytest.param(shanghai(2026, 10, 2, 10), shanghai(2026, 10, 8, 10), id="on-a-holiday"),
    ],
)
def test_counting_starts_at_the_next_working_interval(start: datetime, expected: datetime) -> None:
    assert add_business_time(OFFICE_2026, start, HOUR) == expected


def test_zero_seconds_is_due_at_the_start_even_outside_working_hours() -> None:
    saturday = shanghai(2026, 9, 26, 10)
    due = add_business_time(OFFICE_2026, saturday, 0)
    assert due == saturday
    assert_utc(due)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        pytest.param(shanghai(2026, 9, 28, 10), shanghai(2026, 9, 28, 12), 2, id="same-day"),
        pytest.param(shanghai(2026, 9, 25, 17), shanghai(2026, 9, 28, 10), 2, id="weekend"),
        pytest.param(shanghai(2026, 9, 26, 8), shanghai(2026, 9, 27, 22), 0, id="inside-weekend"),
        pytest.param(shanghai(2026, 9, 30, 9), shanghai(2026, 10, 8, 18), 18, id="national-day"),
        pytest.param(shanghai(2026, 9, 28, 12), shanghai(2026, 9, 28, 12), 0, id="empty"),
        pytest.param(shanghai(2026, 9, 28, 12), shanghai(2026, 9, 28, 10), 0, id="reversed"),
    ],
)
def test_business_seconds_between(start: datetime, end: datetime, hours: int) -> None:
    assert business_seconds_between(OFFICE_2026, start, end) == hours * HOUR


def test_a_whole_year_of_office_hours() -> None:
    # 2026 has 261 weekdays; 16 of them are holidays in OFFICE_2026 (1 Jan, 16-20 Feb,
    # 6 Apr, 1/4/5 May, 19 Jun, 1/2/5/6/7 Oct), leaving 245 days of 9 hours.
    year = business_seconds_between(OFFICE_2026, shanghai(2026, 1, 1, 0), shanghai(2027, 1, 1, 0))
    assert year == 245 * 9 * HOUR


# --- Two intervals a day --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        pytest.param(shanghai(2026, 9, 28, 11), 2, shanghai(2026, 9, 28, 14), id="over-lunch"),
        pytest.param(shanghai(2026, 9, 28, 11), 1, shanghai(2026, 9, 28, 12), id="to-lunch"),
        pytest.param(
            shanghai(2026, 9, 28, 12, 30), 0.5, shanghai(2026, 9, 28, 13, 30), id="from-lunch"
        ),
    ],
)
def test_lunch_break_does_not_count(start: datetime, hours: float, expected: datetime) -> None:
    assert add_business_time(WITH_LUNCH_BREAK, start, hours * HOUR) == expected


def test_lunch_break_is_left_out_of_elapsed_time() -> None:
    elapsed = business_seconds_between(
        WITH_LUNCH_BREAK, shanghai(2026, 9, 28, 11, 30), shanghai(2026, 9, 28, 13, 30)
    )
    assert elapsed == HOUR


# --- Daylight saving time -------------------------------------------------------------------


def test_office_hours_stay_at_nine_local_after_clocks_go_forward() -> None:
    # Friday 16:00-17:00 CET uses 1h; Monday opens at 09:00 CEST (07:00 UTC, not 08:00).
    due = add_business_time(BERLIN_OFFICE, berlin(2026, 3, 27, 16), 2 * HOUR)
    assert due == berlin(2026, 3, 30, 10)
    assert due == datetime(2026, 3, 30, 8, tzinfo=UTC)


def test_office_hours_stay_at_nine_local_after_clocks_go_back() -> None:
    due = add_business_time(BERLIN_OFFICE, berlin(2026, 10, 23, 16), 2 * HOUR)
    assert due == berlin(2026, 10, 26, 10)
    assert due == datetime(2026, 10, 26, 9, tzinfo=UTC)


def test_a_working_week_across_the_switch_has_its_usual_hours() -> None:
    elapsed = business_seconds_between(
        BERLIN_OFFICE, berlin(2026, 3, 23, 9), berlin(2026, 3, 30, 17)
    )
    assert elapsed == 6 * 8 * HOUR


@pytest.mark.parametrize(
    ("switch_day", "hours"),
    [pytest.param(SPRING_FORWARD, 47, id="spring"), pytest.param(FALL_BACK, 49, id="autumn")],
)
def test_switch_days_last_23_or_25_hours(switch_day: date, hours: int) -> None:
    saturday = datetime.combine(switch_day - timedelta(days=1), time(0), tzinfo=BERLIN)
    monday = datetime.combine(switch_day + timedelta(days=1), time(0), tzinfo=BERLIN)
    assert business_seconds_between(BERLIN_EVERY_DAY, saturday, monday) == hours * HOUR


def test_a_day_of_work_from_midnight_on_the_short_day_ends_at_one() -> None:
    # The Sunday of the spring switch has only 23 hours, so 24 end at 01:00 on Monday.
    start = datetime.combine(SPRING_FORWARD, time(0), tzinfo=BERLIN)
    assert add_business_time(BERLIN_EVERY_DAY, start, 24 * HOUR) == berlin(2026, 3, 30, 1)


def test_interval_starting_in_the_skipped_hour_starts_when_clocks_jump() -> None:
    # 02:30 does not exist on 29 March: work starts at the jump (03:00 CEST, 01:00 UTC).
    calendar = BusinessCalendar(
        timezone="Europe/Berlin", weekly_hours={7: [WorkingHours(start=time(2, 30), end=time(4))]}
    )
    weekend = (datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 3, 30, tzinfo=UTC))
    assert business_seconds_between(calendar, *weekend) == HOUR
    due = add_business_time(calendar, datetime(2026, 3, 28, 12, tzinfo=UTC), 30 * 60)
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_interval_starting_in_the_repeated_hour_starts_at_its_first_occurrence() -> None:
    # 02:30 happens twice on 25 October; work starts at the first (02:30 CEST, 00:30 UTC)
    # and ends at 03:30 CET (02:30 UTC): two hours pass in between.
    calendar = BusinessCalendar(
        timezone="Europe/Berlin",
        weekly_hours={7: [WorkingHours(start=time(2, 30), end=time(3, 30))]},
    )
    weekend = (datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 10, 26, tzinfo=UTC))
    assert business_seconds_between(calendar, *weekend) == 2 * HOUR


# --- Calendars without working time, and bad input ------------------------------------------


@pytest.mark.parametrize(
    "weekly_hours", [pytest.param({}, id="no-days"), pytest.param({6: []}, id="empty-day")]
)
def test_calendar_without_working_time_cannot_reach_a_deadline(
    weekly_hours: dict[int, list[WorkingHours]],
) -> None:
    calendar = BusinessCalendar(name="closed", weekly_hours=weekly_hours)
    assert not has_working_time(calendar)
    with pytest.raises(ValueError, match="no working hours"):
        add_business_time(calendar, datetime(2026, 3, 1, tzinfo=UTC), HOUR)
    end = datetime(2026, 4, 1, tzinfo=UTC)
    assert business_seconds_between(calendar, datetime(2026, 3, 1, tzinfo=UTC), end) == 0


def test_calendars_with_working_time() -> None:
    assert has_working_time(ALWAYS_OPEN)
    assert has_working_time(OFFICE_2026)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_time(OFFICE_2026, datetime(2026, 9, 28, 10), HOUR)
    with pytest.raises(ValueError, match="timezone-aware"):
        business_seconds_between(OFFICE_2026, shanghai(2026, 9, 28, 10), datetime(2026, 9, 28, 12))


@pytest.mark.parametrize("seconds", [-1.0, float("nan"), float("inf")])
def test_time_to_add_must_be_finite_and_non_negative(seconds: float) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        add_business_time(OFFICE_2026, shanghai(2026, 9, 28, 10), seconds)


# --- Calendar validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(time(18), time(9), id="backwards"),
        pytest.param(time(9), time(9), id="empty"),
        pytest.param(time(9), time(18, tzinfo=UTC), id="with-offset"),
    ],
)
def test_working_hours_must_be_a_local_forward_interval(start: time, end: time) -> None:
    with pytest.raises(ValidationError):
        WorkingHours(start=start, end=end)


def test_working_hours_may_run_to_midnight() -> None:
    evening = BusinessCalendar(
        timezone="Asia/Shanghai", weekly_hours={1: [WorkingHours(start=time(20), end=time(0))]}
    )
    due = add_business_time(evening, shanghai(2026, 9, 28, 20), 4 * HOUR)
    assert due == shanghai(2026, 9, 29, 0)


@pytest.mark.parametrize("weekday", [0, 8])
def test_weekdays_are_iso_numbers(weekday: int) -> None:
    with pytest.raises(ValidationError, match="ISO weekday"):
        BusinessCalendar(weekly_hours={weekday: [WorkingHours(start=time(9), end=time(18))]})


def test_intervals_of_a_day_must_not_overlap() -> None:
    with pytest.raises(ValidationError, match="overlap"):
        BusinessCalendar(weekly_hours=weekdays((time(13), time(18)), (time(9), time(13, 30))))


def test_adjacent_intervals_are_allowed() -> None:
    calendar = BusinessCalendar(weekly_hours=weekdays((time(9), time(12)), (time(12), time(18))))
    start = datetime(2026, 9, 28, 11, tzinfo=UTC)
    assert add_business_time(calendar, start, 2 * HOUR) == datetime(2026, 9, 28, 13, tzinfo=UTC)


def test_timezone_must_be_known() -> None:
    with pytest.raises(ValidationError, match="unknown timezone"):
        BusinessCalendar(timezone="Mars/Olympus_Mons")


def test_calendar_survives_a_json_round_trip() -> None:
    # Weekday keys become strings in JSON (and so in Temporal payloads).
    payload = OFFICE_2026.model_dump_json()
    assert BusinessCalendar.model_validate_json(payload) == OFFICE_2026


# --- Properties -----------------------------------------------------------------------------

CALENDARS = [
    ALWAYS_OPEN,
    OFFICE_2026,
    WITH_LUNCH_BREAK,
    BERLIN_OFFICE,
    BERLIN_EVERY_DAY.model_copy(update={"holidays": [SPRING_FORWARD, date(2026, 12, 25)]}),
]
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
calendars = st.sampled_from(CALENDARS)
starts = st.integers(0, 365 * 24 * 3600).map(lambda s: YEAR_START + timedelta(seconds=s))
durations = st.integers(0, 300 * 3600)


@settings(deadline=None)
@given(calendar=calendars, start=starts, seconds=durations)
def test_elapsed_time_up_to_a_deadline_is_the_time_added(
    calendar: BusinessCalendar, start: datetime, seconds: int
) -> None:
    due = add_business_time(calendar, start, seconds)
    assert due >= start
    assert business_seconds_between(calendar, start, due) == pytest.approx(seconds, abs=1e-6)


@settings(deadline=None)
@given(calendar=calendars, start=starts, first=durations, second=durations)
def test_adding_in_two_steps_is_adding_once(
    calendar: BusinessCalendar, start: datetime, first: int, second: int
) -> None:
    in_two_steps = add_business_time(calendar, add_business_time(calendar, start, first), second)
    assert in_two_steps == add_business_time(calendar, start, first + second)


def working_hours_by_hour(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Counts hour by hour: an independent oracle for calendars on whole local hours."""
    assert calendar.weekly_hours is not None
    zone = ZoneInfo(calendar.timezone)
    total = 0.0
    moment = start
    while moment < end:
        local = moment.astimezone(zone)
        weekday = 1 if local.date() in calendar.workdays else local.isoweekday()
        day_hours = calendar.weekly_hours.get(weekday, [])
        if local.date() not in calendar.holidays and any(
            h.start <= local.time() < h.end for h in day_hours
        ):
            total += HOUR
        moment += timedelta(hours=1)
    return total


@settings(deadline=None)
@given(
    calendar=st.sampled_from([OFFICE_2026, CN_OFFICE_HOURS, WITH_LUNCH_BREAK, BERLIN_OFFICE]),
    start_hour=st.integers(0, 365 * 24),
    span_hours=st.integers(0, 24 * 24),
)
def test_elapsed_time_matches_counting_hour_by_hour(
    calendar: BusinessCalendar, start_hour: int, span_hours: int
) -> None:
    start = YEAR_START + timedelta(hours=start_hour)
    end = start + timedelta(hours=span_hours)
    assert business_seconds_between(calendar, start, end) == working_hours_by_hour(
        calendar, start, end
    )
