"""A team's business calendar, for admins: the month view of its working days, days off,
holidays (named, where China's official list names them) and make-up workdays, a month at
a time with links to the months before and after; and the three forms that change it:
China's official calendar, custom hours with holidays of the team's own, or around the
clock. The official and custom forms can be previewed as a month before they are saved.

Saving goes through `store.teams.set_team_calendar`, as `redress teams calendar` does:
complaints routed from then on count their SLA time on the new calendar, open ones keep
the one they were routed with.
"""

import re
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.admin_forms import (
    ADMIN_PREFIX,
    AdminProblem,
    TeamsForm,
    done,
    done_notice,
    new_form_key,
    run_change,
)
from api.console.calendar_form import (
    INTERVALS,
    WEEKDAYS,
    calendar_from_form,
    custom_defaults,
    official_part,
)
from api.console.rendering import choose_language, render
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem, ConsoleUser, SignedIn, require
from api.deps import SessionDep
from domain.access import Permission
from domain.calendar import BusinessCalendar
from domain.calendar_month import CalendarMonth, month_of
from domain.official_calendars import holiday_names
from domain.policy import STAFF_TIMEZONE
from store.teams import get_team, set_team_calendar

router = APIRouter(route_class=ConsoleRoute)

TeamPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _this_month() -> tuple[int, int]:
    today = datetime.now(UTC).astimezone(ZoneInfo(STAFF_TIMEZONE)).date()
    return today.year, today.month


def _month_asked(text: str | None) -> tuple[int, int]:
    """Returns the month `YYYY-MM` names (this month when not given); raises the refusal
    naming the month field when it names none the preview shows."""
    if not text:
        return _this_month()
    found = _MONTH.fullmatch(text.strip())
    if found is None:
        raise AdminProblem("admin_month_invalid", value=text[:20])
    year, month = int(found[1]), int(found[2])
    try:
        month_of(BusinessCalendar(), year, month)
    except ValueError:
        raise AdminProblem("admin_month_invalid", value=text[:20]) from None
    return year, month


def month_param(year: int, month: int) -> str:
    """Returns a month as the URL names it."""
    return f"{year:04d}-{month:02d}"


def _calendar_of(session: Session, team: str) -> BusinessCalendar:
    row = get_team(session, name=team)
    if row is None:
        raise ConsoleProblem(404, "admin_no_such_team")
    return row.calendar()


async def _calendar_page(
    request: Request,
    user: ConsoleUser,
    session: Session,
    team: str,
    *,
    month: tuple[int, int],
    status_code: int = 200,
    problem: ConsoleProblem | None = None,
    preview: BusinessCalendar | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    saved = await run_in_threadpool(_calendar_of, session, team)
    shown = preview or saved
    view: CalendarMonth = month_of(shown, *month)
    language, _ = choose_language(request, user)
    names = holiday_names("CN", [view.year], language.value)
    defaults = custom_defaults(saved)
    this_year = _this_month()[0]
    defaults["years"] = defaults["years"] or f"{this_year} {this_year + 1}"
    return render(
        request,
        "admin_calendar.html",
        user=user,
        status_code=status_code,
        team=team,
        saved=saved,
        shown=shown,
        preview=preview,
        official_years=official_part(saved).years,
        month=view,
        month_param=month_param,
        holiday_names={day: name for day, name in names.items() if day in shown.holidays},
        today=datetime.now(UTC).astimezone(ZoneInfo(STAFF_TIMEZONE)).date(),
        typed=defaults | (typed or {}),
        weekdays=WEEKDAYS,
        intervals=INTERVALS,
        problem=problem,
        form_keys={kind: new_form_key() for kind in ("official", "custom", "always_open")},
        notice=done_notice(request),
    )


@router.get("/admin/teams/{team}/calendar")
async def team_calendar_page(
    request: Request, team: TeamPath, user: SignedIn, session: SessionDep
) -> Response:
    """Shows the team's calendar as a month, and the forms that change it."""
    require(user, Permission.MANAGE_TEAMS, "forbidden_admin")
    try:
        month = _month_asked(request.query_params.get("month"))
    except AdminProblem as problem:
        return await _calendar_page(
            request, user, session, team, month=_this_month(), status_code=422, problem=problem
        )
    return await _calendar_page(request, user, session, team, month=month)


def _form_values(form: dict[str, object]) -> dict[str, str]:
    """Returns the text fields of a posted form (a file field, which no form here has,
    is dropped), each cut to a length no field of these forms needs more than."""
    return {name: value[:20_000] for name, value in form.items() if isinstance(value, str)}


@router.post("/admin/teams/{team}/calendar")
async def change_team_calendar(
    request: Request, team: TeamPath, form: TeamsForm, session: SessionDep
) -> Response:
    """Previews the calendar a form describes, or saves it as the team's calendar."""
    # Twenty-eight time fields and more: read as the form they are, not as parameters.
    typed = _form_values(dict(await request.form()))
    user = form.user
    try:
        month = _month_asked(typed.get("month"))
    except AdminProblem:
        month = _this_month()
    page = f"{ADMIN_PREFIX}/teams/{team}/calendar"

    def change(session: Session) -> BusinessCalendar | str:
        _calendar_of(session, team)
        calendar = calendar_from_form(typed)
        if typed.get("preview"):
            return calendar
        note = form.note()
        set_team_calendar(session, team=team, calendar=calendar, note=note)
        return "calendar_set"

    # A preview changes nothing, so it may be asked for again and again.
    once_key = "" if typed.get("preview") else form.form_key
    outcome = await run_change(session, change, form_key=once_key)
    if isinstance(outcome, ConsoleProblem):
        kept = typed if typed.get("kind") == "custom" else None
        return await _calendar_page(
            request,
            user,
            session,
            team,
            month=month,
            status_code=outcome.status_code,
            problem=outcome,
            typed=kept,
        )
    if isinstance(outcome, BusinessCalendar):
        kept = typed if typed.get("kind") == "custom" else None
        return await _calendar_page(
            request, user, session, team, month=month, preview=outcome, typed=kept
        )
    # The month the admin was looking at stays in view.
    what = outcome or "already"
    return done(page, what, subject=team, anchor="month-view", month=month_param(*month))
