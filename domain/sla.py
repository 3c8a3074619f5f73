"""SLA clock operations in business time: start, pause, resume, extend, re-budget, meet.

Each operation returns a new `SlaClock` and leaves its argument untouched, so workflow state
changes only where the workflow assigns the result. Pure and deterministic: `now` comes from
`workflow.now()`.
"""

from datetime import datetime, timedelta
from typing import Literal

from domain.calendar import (
    BusinessCalendar,
    add_business_time,
    business_seconds_between,
    to_utc,
)
from domain.complaints import SlaClock

ClockName = Literal["first_response", "resolution"]


def start_clock(
    name: ClockName,
    budget: timedelta,
    now: datetime,
    calendar: BusinessCalendar,
    reminder_fraction: float,
) -> SlaClock:
    """Returns a clock running from `now` with `budget` of business time."""
    _check_reminder_fraction(reminder_fraction)
    clock = SlaClock(name=name, budget_seconds=_budget_seconds(budget), running_since=to_utc(now))
    return _scheduled(clock, now, calendar, reminder_fraction)


def pause_clock(clock: SlaClock, now: datetime, calendar: BusinessCalendar) -> SlaClock:
    """Returns the clock stopped at `now`, keeping the business time used so far."""
    if clock.running_since is None or clock.met_at is not None:
        return clock.model_copy()
    return clock.model_copy(
        update={
            "consumed_seconds": consumed_seconds_at(clock, now, calendar),
            "running_since": None,
            "due_at": None,
            "reminder_at": None,
        }
    )


def resume_clock(
    clock: SlaClock, now: datetime, calendar: BusinessCalendar, reminder_fraction: float
) -> SlaClock:
    """Returns the paused clock running again from `now` with what is left of its budget."""
    _check_reminder_fraction(reminder_fraction)
    if clock.running_since is not None or clock.met_at is not None:
        return clock.model_copy()
    running = clock.model_copy(update={"running_since": to_utc(now)})
    return _scheduled(running, now, calendar, reminder_fraction)


def extend_clock(
    clock: SlaClock,
    extra: timedelta,
    now: datetime,
    calendar: BusinessCalendar,
    reminder_fraction: float,
) -> SlaClock:
    """Returns the clock with `extra` business time added to its budget (a breach stays
    recorded)."""
    return rebudget_clock(
        clock,
        timedelta(seconds=clock.budget_seconds) + _non_negative(extra, "extra time"),
        now,
        calendar,
        reminder_fraction,
    )


def rebudget_clock(
    clock: SlaClock,
    budget: timedelta,
    now: datetime,
    calendar: BusinessCalendar,
    reminder_fraction: float,
) -> SlaClock:
    """Returns the clock with a new total budget, keeping the business time already used.

    A met clock is final and comes back unchanged; a breach already recorded stays recorded.
    """
    _check_reminder_fraction(reminder_fraction)
    budget_seconds = _budget_seconds(budget)
    if clock.met_at is not None:
        return clock.model_copy()
    rebudgeted = clock.model_copy(update={"budget_seconds": budget_seconds})
    if clock.running_since is None:
        return rebudgeted
    return _scheduled(rebudgeted, now, calendar, reminder_fraction)


def meet_clock(clock: SlaClock, now: datetime, calendar: BusinessCalendar) -> SlaClock:
    """Returns the clock met at `now` (first response given, or resolved), stopped for good."""
    if clock.met_at is not None:
        return clock.model_copy()
    return clock.model_copy(
        update={
            "consumed_seconds": consumed_seconds_at(clock, now, calendar),
            "running_since": None,
            "due_at": None,
            "reminder_at": None,
            "met_at": to_utc(now),
        }
    )


def mark_reminded(clock: SlaClock) -> SlaClock:
    """Returns the clock with its reminder sent, so no later change schedules another."""
    return clock.model_copy(update={"reminded": True, "reminder_at": None})


def mark_breached(clock: SlaClock) -> SlaClock:
    """Returns the clock marked breached; it keeps running so overdue time stays visible."""
    return clock.model_copy(update={"breached": True})


def consumed_seconds_at(clock: SlaClock, now: datetime, calendar: BusinessCalendar) -> float:
    """Returns the business seconds the clock has used by `now`."""
    if clock.running_since is None:
        return clock.consumed_seconds
    return clock.consumed_seconds + business_seconds_between(calendar, clock.running_since, now)


def remaining_seconds(clock: SlaClock, now: datetime, calendar: BusinessCalendar) -> float:
    """Returns the business seconds left at `now`; negative once the budget is overrun."""
    return clock.budget_seconds - consumed_seconds_at(clock, now, calendar)


def _scheduled(
    clock: SlaClock, now: datetime, calendar: BusinessCalendar, reminder_fraction: float
) -> SlaClock:
    """Returns the running clock with its due and reminder instants counted from `now`."""
    now = to_utc(now)
    used = consumed_seconds_at(clock, now, calendar)
    left = clock.budget_seconds - used
    # An overrun budget is due at once; the breach itself is the workflow's to record.
    due_at = add_business_time(calendar, now, left) if left > 0 else now
    reminder_target = reminder_fraction * clock.budget_seconds
    reminder_at = None
    if not clock.reminded and used < reminder_target:
        reminder_at = add_business_time(calendar, now, reminder_target - used)
    return clock.model_copy(update={"due_at": due_at, "reminder_at": reminder_at})


def _budget_seconds(budget: timedelta) -> float:
    return _non_negative(budget, "an SLA budget").total_seconds()


def _non_negative(duration: timedelta, what: str) -> timedelta:
    if duration < timedelta(0):
        raise ValueError(f"{what} cannot be negative, got {duration}")
    return duration


def _check_reminder_fraction(reminder_fraction: float) -> None:
    if not 0 < reminder_fraction < 1:
        raise ValueError(
            f"reminder_fraction must be strictly between 0 and 1, got {reminder_fraction}"
        )
