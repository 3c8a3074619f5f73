"""The administration audit trail and teams' members: each change is kept with who made it,
when and why in the same transaction; a console form sent twice changes nothing twice; the
members list counts open complaints and knows away, full and disabled agents, as routing
does. The queries run on SQLite and PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from domain.access import Role
from domain.complaints import ComplaintStatus
from domain.official_calendars import CN_OFFICE_HOURS
from store.admin_changes import (
    ChangeAction,
    ChangeNote,
    FormAlreadySent,
    SubjectKind,
    recent_changes,
)
from store.complaints import project_complaint
from store.db import SessionFactory
from store.staff import (
    StaffError,
    active_key_counts,
    create_user,
    disable_user,
    enable_user,
    issue_key,
    list_keys,
    revoke_key,
    set_email,
    user_for_key,
)
from store.tables.admin_changes import AdminChange
from store.tables.staff import ApiKey, StaffUser
from store.team_members import (
    MemberError,
    add_agent,
    move_agent,
    set_agent_away,
    set_agent_capacity,
    team_members,
)
from store.teams import UnknownTeamError, least_loaded_agent, seed_default_teams, set_team_calendar
from tests.factories import make_projection, make_view

FORM_KEY = "form-key-0123456789abcdef"


@pytest.fixture
def session(sessions: SessionFactory) -> Iterator[Session]:
    with sessions() as session:
        seed_default_teams(session)
        yield session


def note(reason: str = "", form_key: str | None = None) -> ChangeNote:
    return ChangeNote(actor="ops-admin", reason=reason, form_key=form_key)


def assign_open(session: Session, agent_id: str, count: int) -> None:
    for _ in range(count):
        view = make_view(assignee=agent_id, status=ComplaintStatus.OPEN)
        project_complaint(session, projection=make_projection(view))


@pytest.mark.both_stores
def test_each_change_is_kept_with_who_what_and_why(session: Session) -> None:
    create_user(
        session,
        user_id="agent-lin",
        display_name="Lin Wei",
        role=Role.AGENT,
        email="lin.wei@example.com",
        note=note("new hire"),
    )
    issued = issue_key(session, user_id="agent-lin", label="desk app", note=note())
    set_email(session, user_id="agent-lin", email=None, note=note("left the mailing list"))
    revoke_key(session, key_id=issued.key_id, note=note("laptop lost"))
    disable_user(session, user_id="agent-lin", note=note("on leave"))
    enable_user(session, user_id="agent-lin", note=note("back"))
    add_agent(session, agent_id="agent-lin", name="Lin Wei", team="quality", note=note())
    set_team_calendar(session, team="quality", calendar=CN_OFFICE_HOURS, note=note("office"))

    changes = recent_changes(session)
    user_changes = recent_changes(session, kinds=(SubjectKind.USER,), subject="agent-lin")

    assert [change.action for change in changes] == [
        ChangeAction.CALENDAR_SET,
        ChangeAction.AGENT_ADDED,
        ChangeAction.USER_ENABLED,
        ChangeAction.USER_DISABLED,
        ChangeAction.KEY_REVOKED,
        ChangeAction.EMAIL_CLEARED,
        ChangeAction.KEY_ISSUED,
        ChangeAction.USER_CREATED,
    ]
    assert len(user_changes) == 6
    assert {change.actor for change in changes} == {"ops-admin"}
    created = changes[-1]
    assert (created.subject_kind, created.subject, created.reason) == (
        "user",
        "agent-lin",
        "new hire",
    )
    assert created.detail == "role=agent locale=zh-CN email=lin.wei@example.com"
    assert changes[-2].detail == f"key={issued.key_id} label=desk app expires=never"
    # The key's secret is never on the trail, only its id.
    secret = issued.token.rsplit("_", 1)[1]
    assert all(secret not in change.detail for change in changes)
    assert changes[0].detail.startswith("calendar=cn-office-hours timezone=Asia/Shanghai")
    assert changes[0].detail.endswith("was=24x7")
    assert changes[0].at >= created.at


@pytest.mark.both_stores
def test_a_form_sent_twice_issues_one_key_and_keeps_one_entry(session: Session) -> None:
    create_user(session, user_id="svc-shop", display_name="Shop", role=Role.SERVICE)
    first = issue_key(session, user_id="svc-shop", note=note(form_key=FORM_KEY))

    with pytest.raises(FormAlreadySent):
        issue_key(session, user_id="svc-shop", note=note(form_key=FORM_KEY))

    assert [key.key_id for key in list_keys(session, user_id="svc-shop")] == [first.key_id]
    assert user_for_key(session, first.token) is not None
    kept = session.exec(select(AdminChange).where(AdminChange.form_key == FORM_KEY)).all()
    assert [change.action for change in kept] == [ChangeAction.KEY_ISSUED]


def test_a_refused_change_leaves_no_entry(session: Session) -> None:
    create_user(session, user_id="sup-1", display_name="Sup", role=Role.SUPERVISOR)
    with pytest.raises(StaffError) as refused:
        create_user(session, user_id="sup-1", display_name="Again", role=Role.AGENT, note=note())
    assert refused.value.code == "user_exists"
    with pytest.raises(StaffError) as bad_email:
        set_email(session, user_id="sup-1", email="lin@", note=note())
    assert bad_email.value.code == "email_invalid"
    with pytest.raises(MemberError) as capacity:
        set_agent_capacity(session, agent_id="agent-quality-1", max_open=0, note=note())
    assert capacity.value.code == "capacity_invalid"
    with pytest.raises(UnknownTeamError):
        add_agent(session, agent_id="sup-1", name="Sup", team="no-such-team", note=note())
    with pytest.raises(MemberError) as exists:
        add_agent(session, agent_id="agent-quality-1", name="Again", team="logistics", note=note())
    assert exists.value.code == "agent_exists"

    assert session.exec(select(AdminChange)).all() == []
    user = session.get(StaffUser, "sup-1")
    assert user is not None and user.email is None and user.role == "supervisor"
    assert session.exec(select(ApiKey)).all() == []


@pytest.mark.both_stores
def test_members_show_open_complaints_capacity_away_and_disabled_accounts(
    session: Session,
) -> None:
    assign_open(session, "agent-quality-1", 2)
    assign_open(session, "agent-quality-2", 1)
    closed = make_view(assignee="agent-quality-3", status=ComplaintStatus.CLOSED)
    project_complaint(session, projection=make_projection(closed))
    create_user(session, user_id="agent-quality-3", display_name="Wu", role=Role.AGENT)
    set_agent_capacity(session, agent_id="agent-quality-1", max_open=2, note=note())
    set_agent_away(session, agent_id="agent-quality-2", away=True, note=note("holiday"))
    disable_user(session, user_id="agent-quality-3", note=note())
    move_agent(session, agent_id="agent-logistics-3", team="quality", note=note())

    members = {member.agent_id: member for member in team_members(session, team="quality")}

    assert list(members) == [
        "agent-logistics-3",
        "agent-quality-1",
        "agent-quality-2",
        "agent-quality-3",
    ]
    full, away, disabled = (members[f"agent-quality-{n}"] for n in (1, 2, 3))
    assert (full.open_complaints, full.max_open, full.at_capacity) == (2, 2, True)
    assert (away.open_complaints, away.active, away.routed_to) == (1, False, False)
    assert (disabled.open_complaints, disabled.account_disabled) == (0, True)
    assert members["agent-logistics-3"].account_disabled is None
    assert [m.agent_id for m in members.values() if m.routed_to] == ["agent-logistics-3"]
    # Routing reads the same rows: only the moved agent is left to take new complaints.
    assert least_loaded_agent(session, team="quality") == "agent-logistics-3"
    assert len(team_members(session)) == 15


@pytest.mark.both_stores
def test_routing_skips_a_disabled_staff_user_and_takes_them_back_when_enabled(
    session: Session,
) -> None:
    create_user(session, user_id="agent-payments-1", display_name="Li", role=Role.AGENT)
    disable_user(session, user_id="agent-payments-1")

    assert least_loaded_agent(session, team="payments") == "agent-payments-2"

    enable_user(session, user_id="agent-payments-1")
    assert least_loaded_agent(session, team="payments") == "agent-payments-1"


@pytest.mark.both_stores
def test_working_keys_are_counted_without_revoked_or_expired_ones(session: Session) -> None:
    create_user(session, user_id="svc-shop", display_name="Shop", role=Role.SERVICE)
    create_user(session, user_id="svc-none", display_name="None", role=Role.SERVICE)
    soon = datetime.now(UTC) + timedelta(hours=1)
    issue_key(session, user_id="svc-shop")
    issue_key(session, user_id="svc-shop", expires_at=soon)
    revoke_key(session, key_id=issue_key(session, user_id="svc-shop").key_id)

    assert active_key_counts(session) == {"svc-shop": 2}
    assert active_key_counts(session, now=soon + timedelta(seconds=1)) == {"svc-shop": 1}
