"""`redress teams ...`: the teams routing knows and the business calendars their SLA clocks
run on.

A team's calendar decides when its complaints are due: office hours, official holidays and
China's make-up workdays (`domain.official_calendars`), or around the clock. These work on
the database directly, like `redress users`.
"""

import argparse
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from core.settings import get_settings
from core.staff_commands import cli_note, store_session
from domain.calendar import BusinessCalendar, business_seconds_between
from domain.office_weeks import OFFICE_WEEKS
from domain.policy import ALWAYS_OPEN


def _calendar_from(args: argparse.Namespace) -> BusinessCalendar:
    """Returns the calendar the flags describe; raises ValueError saying what is wrong."""
    from domain.official_calendars import office_calendar

    if args.always_open:
        return ALWAYS_OPEN
    if args.json is not None:
        try:
            return BusinessCalendar.model_validate_json(Path(args.json).read_text())
        except (OSError, ValidationError) as error:
            raise ValueError(f"{args.json}: {error}") from error
    years = args.years or [date.today().year, date.today().year + 1]
    return office_calendar(args.office, years)


def set_calendar_command(args: argparse.Namespace) -> int:
    from store.teams import UnknownTeamError, set_team_calendar

    try:
        calendar = _calendar_from(args)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    with store_session(get_settings()) as session:
        try:
            set_team_calendar(session, team=args.team, calendar=calendar, note=cli_note(args))
        except UnknownTeamError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(_describe(args.team, calendar))
    return 0


def list_command(args: argparse.Namespace) -> int:
    from store.teams import list_teams

    with store_session(get_settings()) as session:
        for team in list_teams(session):
            print(_describe(team.name, team.calendar()))
    return 0


def _describe(team: str, calendar: BusinessCalendar) -> str:
    """Returns one line about a team's calendar, and the working days of its next 30."""
    today = date.today()
    window = [today + timedelta(days=n) for n in range(30)]
    worked = [day for day in window if _works_on(calendar, day)]
    return (
        f"{team}: {calendar.name} ({calendar.timezone}), {len(calendar.holidays)} holidays, "
        f"{len(calendar.workdays)} make-up workdays; {len(worked)} of the next 30 days worked"
    )


def _works_on(calendar: BusinessCalendar, day: date) -> bool:
    zone = ZoneInfo(calendar.timezone)
    start = datetime.combine(day, time(0), zone)
    return business_seconds_between(calendar, start, start + timedelta(days=1)) > 0


def add_team_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds `redress teams list` and `redress teams calendar` to the CLI."""
    teams = commands.add_parser("teams", help="list teams and set their business calendars")
    actions = teams.add_subparsers(dest="teams_command", required=True, metavar="action")

    listing = actions.add_parser("list", help="each team with its calendar")
    listing.set_defaults(run=list_command)

    calendar = actions.add_parser(
        "calendar",
        help="set the business calendar a team's SLA clocks run on",
        description=(
            "Sets a team's business calendar. Complaints routed from now on use it; open "
            "ones keep the calendar they were routed with."
        ),
    )
    calendar.add_argument("team")
    which = calendar.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--office",
        choices=sorted(OFFICE_WEEKS),
        help="an office week with the country's official holidays and make-up workdays",
    )
    which.add_argument("--always-open", action="store_true", help="24/7, no holidays")
    which.add_argument("--json", metavar="FILE", help="a BusinessCalendar as JSON")
    calendar.add_argument(
        "--years",
        type=int,
        nargs="+",
        help="the years whose official holidays to take (default: this year and next)",
    )
    calendar.add_argument("--reason", default="", help="why, for the audit trail (optional)")
    calendar.set_defaults(run=set_calendar_command)
