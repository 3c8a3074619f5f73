"""`redress teams`: a team moved onto China's office calendar (official holidays and
make-up workdays) keeps it, the other teams keep theirs; a bad calendar changes nothing."""

import json
from datetime import date
from pathlib import Path

from domain.calendar import BusinessCalendar
from domain.official_calendars import official_calendar
from domain.policy import ALWAYS_OPEN, CN_OFFICE_WEEK
from store.db import SessionFactory
from store.teams import seed_default_teams, team_calendar
from tests.core.test_staff_commands import _redress


def test_a_team_takes_the_official_office_calendar_and_the_others_keep_theirs(
    database_url: str, sessions: SessionFactory
) -> None:
    with sessions() as session:
        seed_default_teams(session)

    set_it = _redress(
        database_url, "teams", "calendar", "payments", "--office", "cn", "--years", "2026"
    )
    listed = _redress(database_url, "teams", "list")

    assert set_it.returncode == 0, set_it.stderr
    assert "payments: cn-office-hours (Asia/Shanghai)" in set_it.stdout
    assert "6 make-up workdays" in set_it.stdout
    with sessions() as session:
        calendar = team_calendar(session, team="payments")
        untouched = team_calendar(session, team="customer-care")
    assert calendar == official_calendar(CN_OFFICE_WEEK, "CN", [2026])
    assert date(2026, 2, 14) in calendar.workdays and date(2026, 2, 16) in calendar.holidays
    assert untouched == ALWAYS_OPEN
    assert listed.returncode == 0 and "payments: cn-office-hours" in listed.stdout
    assert "customer-care: 24x7 (UTC)" in listed.stdout


def test_a_bad_calendar_or_an_unknown_team_changes_nothing(
    database_url: str, sessions: SessionFactory, tmp_path: Path
) -> None:
    with sessions() as session:
        seed_default_teams(session)
    clash = tmp_path / "clash.json"
    clash.write_text(
        json.dumps(
            CN_OFFICE_WEEK.model_dump(mode="json")
            | {"holidays": ["2026-02-14"], "workdays": ["2026-02-14"]}
        )
    )

    refused = _redress(database_url, "teams", "calendar", "payments", "--json", str(clash))
    unknown = _redress(database_url, "teams", "calendar", "no-such-team", "--always-open")

    assert refused.returncode == 2 and "both a holiday and a make-up workday" in refused.stderr
    assert unknown.returncode == 1 and "no-such-team" in unknown.stderr
    with sessions() as session:
        assert team_calendar(session, team="payments") == ALWAYS_OPEN


def test_a_calendar_from_json_is_taken_as_written(
    database_url: str, sessions: SessionFactory, tmp_path: Path
) -> None:
    with sessions() as session:
        seed_default_teams(session)
    custom = CN_OFFICE_WEEK.model_copy(
        update={"name": "shop-floor", "holidays": [date(2026, 3, 2)]}
    )
    path = tmp_path / "shop.json"
    path.write_text(custom.model_dump_json())

    done = _redress(database_url, "teams", "calendar", "customer-care", "--json", str(path))

    assert done.returncode == 0, done.stderr
    with sessions() as session:
        stored = team_calendar(session, team="customer-care")
    assert stored == custom and BusinessCalendar.model_validate(stored.model_dump()) == custom
