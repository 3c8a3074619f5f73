"""The command line writes the same audit trail as the console's admin pages: each change
with `cli:<login>` as who made it and `--reason` as why; `redress users enable` undoes a
disable."""

import getpass

from domain.access import Role
from store.admin_changes import recent_changes
from store.db import SessionFactory
from store.staff import active_user, create_user
from store.teams import seed_default_teams
from tests.core.test_staff_commands import _redress


def test_changes_from_the_command_line_are_on_the_trail_with_their_reason(
    database_url: str, sessions: SessionFactory
) -> None:
    with sessions() as session:
        seed_default_teams(session)
        create_user(session, user_id="agent-care-1", display_name="Lin", role=Role.AGENT)

    steps = [
        ("users", "disable", "agent-care-1", "--reason", "left the company"),
        ("users", "enable", "agent-care-1", "--reason", "came back"),
        ("users", "set-email", "agent-care-1", "lin@example.com"),
        ("teams", "calendar", "customer-care", "--office", "cn", "--years", "2026",
         "--reason", "office hours from January"),
    ]  # fmt: skip
    for step in steps:
        ran = _redress(database_url, *step)
        assert ran.returncode == 0, (step, ran.stderr)

    with sessions() as session:
        changes = recent_changes(session)
        user = active_user(session, "agent-care-1")
    assert user is not None and user.email == "lin@example.com"
    assert [(c.action, c.subject, c.reason) for c in changes] == [
        ("calendar_set", "customer-care", "office hours from January"),
        ("email_set", "agent-care-1", ""),
        ("user_enabled", "agent-care-1", "came back"),
        ("user_disabled", "agent-care-1", "left the company"),
    ]
    assert {c.actor for c in changes} == {f"cli:{getpass.getuser()}"}
    assert {c.form_key for c in changes} == {None}
