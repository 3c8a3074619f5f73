"""SLA clocks in business time: start, pause/resume, extend, re-budget, meet, remind."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.complaints import SlaClock
from domain.policy import ALWAYS_OPEN
from domain.sla import (
    extend_clock,
    mark_breached,
    mark_reminded,
    meet_clock,
    pause_clock,
    rebudget_clock,
    remaining_seconds,
    resume_clock,
    start_clock,
)
from tests.calendars import OFFICE_2026

HOUR = 3600.0
REMIND_AT = 0.75
SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def round_the_clock(hours: float, now: datetime) -> SlaClock:
    return start_clock("resolution", timedelta(hours=hours), now, ALWAYS_OPEN, REMIND_AT)


def office(hours: float, now: datetime) -> SlaClock:
    return start_clock("first_response", timedelta(hours=hours), now, OFFICE_2026, REMIND_AT)


# --- Starting -------------------------------------------------------------------------------


def test_round_the_clock_deadline_and_reminder() -> None:
    clock = round_the_clock(4, utc(2, 8))
    assert clock.name == "resolution"
    assert clock.budget_seconds == 4 * HOUR
    assert clock.consumed_seconds == 0
    assert clock.running_since == utc(2, 8)
    assert clock.due_at == utc(2, 12)
    assert clock.reminder_at == utc(2, 11)


def test_office_deadline_and_reminder_across_national_day() -> None:
    # 24 business hours from Wednesday 30 September 17:00: 1h that day, 1-7 October off,
    # 9h on Thursday 8, 9h on Friday 9, the weekend off, 5h on Monday 12 -> due 14:00.
    # The reminder at 75% (18h): 1h + 9h + 8h -> Friday 9 October 17:00.
    clock = office(24, shanghai(9, 30, 17))
    assert clock.due_at == shanghai(10, 12, 14)
    assert clock.reminder_at == shanghai(10, 9, 17)


def test_clock_started_on_a_saturday_counts_from_monday_morning() -> None:
    clock = office(4, shanghai(9, 26, 10))
    assert clock.running_since == shanghai(9, 26, 10)
    assert clock.due_at == shanghai(9, 28, 13)
    assert clock.reminder_at == shanghai(9, 28, 12)


def test_clock_times_are_stored_in_utc() -> None:
    clock = office(4, shanghai(9, 28, 10))
    for moment in (clock.running_since, clock.due_at, clock.reminder_at):
        assert moment is not None
        assert moment.utcoffset() == timedelta(0)


def test_an_empty_budget_is_due_at_once_without_a_reminder() -> None:
    clock = round_the_clock(0, utc(2, 8))
    assert clock.due_at == utc(2, 8)
    assert clock.reminder_at is None


# --- Pausing and resuming -------------------------------------------------------------------


def test_paused_wall_time_does_not_count() -> None:
    # 4h budget from Monday 10:00; paused at 11:00 (1h used) until Tuesday 10:00.
    started = office(4, shanghai(9, 28, 10))
    paused = pause_clock(started, shanghai(9, 28, 11), OFFICE_2026)
    assert paused.consumed_seconds == HOUR
    assert (paused.running_since, paused.due_at, paused.reminder_at) == (None, None, None)
    assert remaining_seconds(paused, shanghai(9, 29, 9), OFFICE_2026) == 3 * HOUR

    resumed = resume_clock(paused, shanghai(9, 29, 10), OFFICE_2026, REMIND_AT)
    assert resumed.running_since == shanghai(9, 29, 10)
    assert resumed.due_at == shanghai(9, 29, 13)
    # The reminder is due once 3h are used: 2h more after resuming.
    assert resumed.reminder_at == shanghai(9, 29, 12)
    assert remaining_seconds(resumed, shanghai(9, 29, 10, 30), OFFICE_2026) == 2.5 * HOUR


def test_pausing_counts_only_business_time_since_the_start() -> None:
    started = office(4, shanghai(9, 28, 17))
    paused = pause_clock(started, shanghai(9, 28, 20), OFFICE_2026)
    assert paused.consumed_seconds == HOUR


def test_pausing_twice_keeps_the_first_pause() -> None:
    paused = pause_clock(round_the_clock(4, utc(2, 8)), utc(2, 9), ALWAYS_OPEN)
    assert pause_clock(paused, utc(2, 12), ALWAYS_OPEN) == paused


def test_resuming_a_running_clock_changes_nothing() -> None:
    running = round_the_clock(4, utc(2, 8))
    assert resume_clock(running, utc(2, 9), ALWAYS_OPEN, REMIND_AT) == running


def test_resuming_an_overrun_clock_is_due_at_once() -> None:
    # 1h budget, paused after 3h and marked breached: 2h over when it resumes.
    paused = pause_clock(round_the_clock(1, utc(2, 0)), utc(2, 3), ALWAYS_OPEN)
    resumed = resume_clock(mark_breached(paused), utc(2, 5), ALWAYS_OPEN, REMIND_AT)
    assert resumed.due_at == utc(2, 5)
    assert resumed.reminder_at is None
    assert resumed.breached
    assert remaining_seconds(resumed, utc(2, 6), ALWAYS_OPEN) == -3 * HOUR


def test_resuming_after_the_reminder_schedules_no_other() -> None:
    reminded = mark_reminded(round_the_clock(4, utc(2, 0)))
    paused = pause_clock(reminded, utc(2, 1), ALWAYS_OPEN)
    resumed = resume_clock(paused, utc(2, 2), ALWAYS_OPEN, REMIND_AT)
    assert resumed.reminder_at is None
    assert resumed.due_at == utc(2, 5)


def test_resuming_past_the_reminder_share_schedules_no_reminder() -> None:
    # Paused at 3h30 of 4h, beyond the 3h reminder point.
    paused = pause_clock(round_the_clock(4, utc(2, 0)), utc(2, 3, 30), ALWAYS_OPEN)
    resumed = resume_clock(paused, utc(2, 6), ALWAYS_OPEN, REMIND_AT)
    assert resumed.reminder_at is None
    assert resumed.due_at == utc(2, 6, 30)


# --- Extending and re-budgeting -------------------------------------------------------------


def test_extending_a_breached_clock_gives_a_new_deadline_and_keeps_the_breach() -> None:
    # 1h budget from 00:00, reminded at 00:45, breached at 01:00; at 02:00 the complaint
    # escalates and the new owner gets 4h more: 5h in all, 2h used, due at 05:00.
    clock = mark_breached(mark_reminded(round_the_clock(1, utc(2, 0))))
    extended = extend_clock(clock, timedelta(hours=4), utc(2, 2), ALWAYS_OPEN, REMIND_AT)
    assert extended.budget_seconds == 5 * HOUR
    assert extended.due_at == utc(2, 5)
    assert extended.breached
    assert extended.reminder_at is None
    assert extended.running_since == utc(2, 0)


def test_extension_granted_at_the_weekend_counts_from_monday() -> None:
    # 4h from Friday 14:00 is due at 18:00 and breached; 4h more granted on Saturday.
    clock = mark_breached(office(4, shanghai(9, 25, 14)))
    assert clock.due_at == shanghai(9, 25, 18)
    extended = extend_clock(clock, timedelta(hours=4), shanghai(9, 26, 10), OFFICE_2026, REMIND_AT)
    assert extended.due_at == shanghai(9, 28, 13)


def test_extension_moves_a_pending_reminder() -> None:
    # 4h from 00:00 (reminder at 03:00); at 01:00 the budget grows to 8h: reminder at 06:00.
    extended = extend_clock(
        round_the_clock(4, utc(2, 0)), timedelta(hours=4), utc(2, 1), ALWAYS_OPEN, REMIND_AT
    )
    assert extended.due_at == utc(2, 8)
    assert extended.reminder_at == utc(2, 6)


def test_extending_a_paused_clock_only_grows_its_budget() -> None:
    paused = pause_clock(round_the_clock(1, utc(2, 0)), utc(2, 2), ALWAYS_OPEN)
    extended = extend_clock(paused, timedelta(hours=4), utc(2, 3), ALWAYS_OPEN, REMIND_AT)
    assert extended.budget_seconds == 5 * HOUR
    assert extended.consumed_seconds == 2 * HOUR
    assert extended.due_at is None
    assert remaining_seconds(extended, utc(2, 3), ALWAYS_OPEN) == 3 * HOUR


def test_rebudget_keeps_the_time_already_used() -> None:
    # Reclassified from a 72h to a 24h tier after 10h: 14h left, reminder after 18h in all.
    clock = round_the_clock(72, utc(2, 0))
    rebudgeted = rebudget_clock(clock, timedelta(hours=24), utc(2, 10), ALWAYS_OPEN, REMIND_AT)
    assert rebudgeted.budget_seconds == 24 * HOUR
    assert rebudgeted.running_since == utc(2, 0)
    assert rebudgeted.due_at == utc(3, 0)
    assert rebudgeted.reminder_at == utc(2, 18)


def test_rebudget_below_the_time_used_is_due_at_once() -> None:
    clock = round_the_clock(72, utc(2, 0))
    rebudgeted = rebudget_clock(clock, timedelta(hours=8), utc(2, 10), ALWAYS_OPEN, REMIND_AT)
    assert rebudgeted.due_at == utc(2, 10)
    assert rebudgeted.reminder_at is None
    assert not rebudgeted.breached


def test_rebudget_in_office_hours() -> None:
    # 72h from Monday 28 September 09:00; by Tuesday 18:00, 18h are used. On the new 24h
    # budget 6h remain: Wednesday 30 09:00-15:00. The reminder point (18h) has passed.
    clock = office(72, shanghai(9, 28, 9))
    rebudgeted = rebudget_clock(
        clock, timedelta(hours=24), shanghai(9, 29, 18), OFFICE_2026, REMIND_AT
    )
    assert rebudgeted.due_at == shanghai(9, 30, 15)
    assert rebudgeted.reminder_at is None


def test_rebudget_of_a_paused_clock_schedules_nothing() -> None:
    paused = pause_clock(round_the_clock(72, utc(2, 0)), utc(2, 10), ALWAYS_OPEN)
    rebudgeted = rebudget_clock(paused, timedelta(hours=24), utc(2, 11), ALWAYS_OPEN, REMIND_AT)
    assert rebudgeted.budget_seconds == 24 * HOUR
    assert rebudgeted.consumed_seconds == 10 * HOUR
    assert rebudgeted.due_at is None


# --- Meeting --------------------------------------------------------------------------------


def test_meeting_stops_the_clock_for_good() -> None:
    met = meet_clock(office(4, shanghai(9, 28, 10)), shanghai(9, 28, 12, 30), OFFICE_2026)
    assert met.consumed_seconds == 2.5 * HOUR
    assert met.met_at == shanghai(9, 28, 12, 30)
    assert (met.running_since, met.due_at, met.reminder_at) == (None, None, None)

    later = shanghai(9, 29, 10)
    assert pause_clock(met, later, OFFICE_2026) == met
    assert resume_clock(met, later, OFFICE_2026, REMIND_AT) == met
    assert meet_clock(met, later, OFFICE_2026) == met
    assert extend_clock(met, timedelta(hours=1), later, OFFICE_2026, REMIND_AT) == met
    assert rebudget_clock(met, timedelta(hours=1), later, OFFICE_2026, REMIND_AT) == met
    assert remaining_seconds(met, later, OFFICE_2026) == 1.5 * HOUR


def test_meeting_a_paused_clock_keeps_its_used_time() -> None:
    paused = pause_clock(round_the_clock(4, utc(2, 0)), utc(2, 1), ALWAYS_OPEN)
    met = meet_clock(paused, utc(2, 5), ALWAYS_OPEN)
    assert met.consumed_seconds == HOUR
    assert met.met_at == utc(2, 5)


# --- Reminders, breaches and purity ---------------------------------------------------------


def test_mark_reminded_clears_the_pending_reminder() -> None:
    reminded = mark_reminded(round_the_clock(4, utc(2, 0)))
    assert reminded.reminded
    assert reminded.reminder_at is None
    assert reminded.due_at == utc(2, 4)


def test_mark_breached_keeps_the_clock_running() -> None:
    breached = mark_breached(round_the_clock(1, utc(2, 0)))
    assert breached.breached
    assert breached.running_since == utc(2, 0)


def test_operations_leave_their_argument_untouched() -> None:
    clock = round_the_clock(4, utc(2, 0))
    snapshot = clock.model_copy(deep=True)
    pause_clock(clock, utc(2, 1), ALWAYS_OPEN)
    extend_clock(clock, timedelta(hours=1), utc(2, 1), ALWAYS_OPEN, REMIND_AT)
    rebudget_clock(clock, timedelta(hours=1), utc(2, 1), ALWAYS_OPEN, REMIND_AT)
    meet_clock(clock, utc(2, 1), ALWAYS_OPEN)
    mark_reminded(clock)
    mark_breached(clock)
    assert clock == snapshot
    assert pause_clock(clock, utc(2, 1), ALWAYS_OPEN) is not clock


@pytest.mark.parametrize("fraction", [0.0, 1.0, 1.5, -0.25])
def test_reminder_fraction_must_be_a_share_of_the_budget(fraction: float) -> None:
    with pytest.raises(ValueError, match="reminder_fraction"):
        start_clock("resolution", timedelta(hours=1), utc(2, 0), ALWAYS_OPEN, fraction)


def test_budgets_and_extensions_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        round_the_clock(-1, utc(2, 0))
    with pytest.raises(ValueError, match="negative"):
        extend_clock(
            round_the_clock(1, utc(2, 0)), timedelta(hours=-1), utc(2, 0), ALWAYS_OPEN, REMIND_AT
        )


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        round_the_clock(1, datetime(2026, 3, 2, 8))
