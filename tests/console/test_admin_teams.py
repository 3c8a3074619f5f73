"""Teams and agents in the console: an admin sets an agent away and back, sets a capacity,
moves an agent and adds a new one to a team, each on the audit trail; new complaints then
skip the away and full agents (through the real workflow and routing activity). Refusals
are named with nothing changed; supervisors get the 403 page; the page in Chinese."""

import pytest
from sqlmodel import select

from domain.access import Role
from store.tables.admin_changes import AdminChange
from store.tables.teams import Agent
from store.team_members import Member, team_members
from tests.api.support import Api, intake
from tests.console.admin_support import form_of, problem_on, send_form, trail
from tests.console.support import add_staff, signed_in

TEAMS = "/console/admin/teams"
ADMIN = "ops-admin"
MEMBERS = f"{TEAMS}/members"
CAPACITY = f"{MEMBERS}/agent-quality-1/capacity"


def member_row(page: str, agent_id: str) -> str:
    return page.split(f'id="member-{agent_id}"')[1].split("</tr>")[0]


def agent(api: Api, agent_id: str) -> Agent:
    with api.sessions() as session:
        found = session.get(Agent, agent_id)
    assert found is not None
    return found


async def routed_to(api: Api) -> tuple[str, str | None]:
    """Opens a complaint through the API; returns the team and agent routing chose."""
    created = await api.create(intake())
    assert created.status_code == 201, created.text
    view = await api.wait_for_view(
        created.json()["complaint_id"], lambda view: view["status"] == "open"
    )
    return view["routing"]["team"], view["assignee"]


@pytest.mark.both_stores
async def test_new_complaints_skip_agents_set_away_or_at_capacity(api: Api) -> None:
    team, first = await routed_to(api)
    assert first is not None
    second, third = sorted(m.agent_id for m in members_of(api, team) if m.agent_id != first)

    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        page = (await admin.get(TEAMS)).text
        assert '<a href="/console/admin/teams" aria-current="page">' in page
        full = await admin.post(
            f"{MEMBERS}/{first}/capacity",
            data=form_of(page, f"{MEMBERS}/{first}/capacity") | {"max_open": "1"},
        )
        away = await send_form(admin, TEAMS, f"{MEMBERS}/{second}/away", {"reason": "annual leave"})
        shown = await admin.get(away.headers["location"])
        # The first holds their one complaint and the second is away: the third gets it.
        assert await routed_to(api) == (team, third)
        await send_form(admin, TEAMS, f"{MEMBERS}/{third}/away", {"reason": "sick"})
        # Nobody is left: the team gets the complaint, unassigned, in its queue.
        assert await routed_to(api) == (team, None)
        back = await send_form(admin, TEAMS, f"{MEMBERS}/{second}/away", {})
        assert await routed_to(api) == (team, second)
        after = (await admin.get(TEAMS)).text

    assert full.status_code == away.status_code == back.status_code == 303
    assert away.headers["location"] == f"{TEAMS}?done=agent_away&subject={second}#member-{second}"
    assert f"{second} is away: routing gives them no new complaints." in shown.text
    assert 'data-state="away"' in member_row(shown.text, second)
    first_row = member_row(after, first)
    assert 'data-state="full"' in first_row and "1 of 1" in first_row and "At capacity" in first_row
    assert 'data-state="taking"' in member_row(after, second)
    assert 'data-state="away"' in member_row(after, third)
    assert [(e.action, e.subject, e.reason) for e in trail(api)] == [
        ("agent_back", second, ""),
        ("agent_away", third, "sick"),
        ("agent_away", second, "annual leave"),
        ("capacity_set", first, ""),
    ]


def members_of(api: Api, team: str) -> list[Member]:
    with api.sessions() as session:
        return team_members(session, team=team)


async def test_a_full_agent_is_marked_and_capacity_is_refused_outside_its_range(
    api: Api,
) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        answers = [
            await send_form(
                admin, TEAMS, f"{MEMBERS}/agent-quality-1/capacity", {"max_open": typed}
            )
            for typed in ("0", "501", "two", "-1")
        ]
        emptied = await send_form(
            admin, TEAMS, f"{MEMBERS}/agent-quality-1/capacity", {"max_open": "3"}
        )
        cleared = await send_form(
            admin, TEAMS, f"{MEMBERS}/agent-quality-1/capacity", {"max_open": ""}
        )

    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert problem_on(answer.text) == "admin_refused_capacity_invalid"
        assert "“Capacity” must be a whole number from 1 to 500" in answer.text
        # The refusal stands beside the agent's own forms, which are open.
        row = member_row(answer.text, "agent-quality-1")
        assert "data-problem" in row and "<details open>" in row
    assert emptied.status_code == cleared.status_code == 303
    assert agent(api, "agent-quality-1").max_open is None
    assert [e.detail for e in trail(api)] == ["max_open=- was=3", "max_open=3 was=-"]


async def test_moving_and_adding_agents_and_a_form_sent_twice(api: Api) -> None:
    add_staff(api, "agent-new", Role.AGENT)
    add_staff(api, "sup-care", Role.SUPERVISOR)
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        page = (await admin.get(TEAMS)).text
        add_form = form_of(page, MEMBERS)
        added = await admin.post(
            MEMBERS, data=add_form | {"agent_id": "agent-new", "team": "logistics"}
        )
        resent = await admin.post(
            MEMBERS, data=add_form | {"agent_id": "agent-new", "team": "logistics"}
        )
        moved = await send_form(
            admin, TEAMS, f"{MEMBERS}/agent-quality-2/team", {"team": "payments"}
        )
        # The add form lists agents only; a forged one naming a supervisor is refused.
        not_agent = await admin.post(
            MEMBERS,
            data=add_form
            | {"agent_id": "sup-care", "team": "logistics", "form_key": "forged-form-key-1234"},
        )
        unknown_team = await send_form(
            admin, TEAMS, f"{MEMBERS}/agent-quality-3/team", {"team": "no-such-team"}
        )
        # A form of one agent's row sent for an agent that is in no team.
        no_agent = await admin.post(
            f"{MEMBERS}/nobody/away", data=form_of(page, f"{MEMBERS}/agent-quality-1/away")
        )
        after = (await admin.get(TEAMS)).text

    assert added.status_code == 303 and "done=agent_added" in added.headers["location"]
    assert resent.status_code == 303 and "done=already" in resent.headers["location"]
    assert moved.status_code == 303
    assert agent(api, "agent-new").team == "logistics"
    assert agent(api, "agent-quality-2").team == "payments"
    assert problem_on(not_agent.text) == "admin_refused_not_an_agent"
    assert problem_on(unknown_team.text) == "admin_refused_unknown_team"
    assert agent(api, "agent-quality-3").team == "quality"
    assert no_agent.status_code == 422 and problem_on(no_agent.text) == "admin_refused_no_agent"
    assert 'data-team="payments"' in after
    payments = after.split('data-team="payments"')[1].split("</section>")[0]
    assert 'id="member-agent-quality-2"' in payments
    with api.sessions() as session:
        entries = session.exec(select(AdminChange).order_by(AdminChange.id)).all()
    assert [(e.action, e.subject, e.detail) for e in entries] == [
        ("agent_added", "agent-new", "team=logistics"),
        ("agent_moved", "agent-quality-2", "team=payments was=quality"),
    ]
    assert "Every agent with an account is in a team." in after


async def test_supervisors_get_the_403_page_and_the_page_reads_in_chinese(api: Api) -> None:
    async with signed_in(api, "sup-1", Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(TEAMS)
        posted = await supervisor.post(
            f"{MEMBERS}/agent-quality-1/away",
            data={"away": "away", "form_key": "k" * 32, "csrf_token": "0" * 64},
        )
        calendar = await supervisor.get(f"{TEAMS}/quality/calendar")
    async with signed_in(api, ADMIN, Role.ADMIN, locale="zh-CN") as admin:
        chinese = await admin.get(f"{TEAMS}?lang=zh-CN")
        refused = await send_form(
            admin, TEAMS, f"{MEMBERS}/agent-quality-1/capacity", {"max_open": "0"}
        )

    for answer in (page, calendar):
        assert answer.status_code == 403
        assert "Only admins may manage staff, keys, teams and calendars." in answer.text
    assert posted.status_code == 403
    assert agent(api, "agent-quality-1").active is True
    assert "团队与客服" in chinese.text and "接收投诉" in chinese.text
    assert "修改 agent-quality-1" in chinese.text
    assert "“上限”须为 1 到 500 之间的整数" in refused.text
