import pytest
from sqlmodel import Session, select

from domain.calendar import BusinessCalendar
from domain.complaints import ComplaintStatus
from domain.official_calendars import CN_OFFICE_HOURS
from domain.policy import ALWAYS_OPEN, TEAM_BY_CATEGORY
from store.complaints import project_complaint
from store.db import SessionFactory
from store.tables.teams import Agent, Team
from store.teams import (
    UnknownTeamError,
    least_loaded_agent,
    seed_default_teams,
    team_calendar,
)
from tests.factories import make_projection, make_view


def assign(session: Session, agent_id: str, count: int, status: ComplaintStatus) -> None:
    for _ in range(count):
        view = make_view(assignee=agent_id, status=status)
        project_complaint(session, projection=make_projection(view))


def test_seed_creates_every_routed_team_with_agents_and_chain(sessions: SessionFactory) -> None:
    with sessions() as session:
        seed_default_teams(session)
        teams = session.exec(select(Team)).all()
        agents = session.exec(select(Agent)).all()

    assert {team.name for team in teams} == set(TEAM_BY_CATEGORY.values())
    logistics = next(team for team in teams if team.name == "logistics")
    assert (logistics.supervisor_id, logistics.manager_id) == (
        "supervisor-logistics",
        "manager-logistics",
    )
    assert logistics.calendar() == ALWAYS_OPEN
    logistics_agents = sorted(agent.id for agent in agents if agent.team == "logistics")
    assert logistics_agents == ["agent-logistics-1", "agent-logistics-2", "agent-logistics-3"]
    assert all(agent.active for agent in agents)


def test_seed_is_idempotent_and_keeps_later_changes(sessions: SessionFactory) -> None:
    with sessions() as session:
        seed_default_teams(session)
        agent = session.get(Agent, "agent-quality-2")
        team = session.get(Team, "quality")
        assert agent is not None and team is not None
        agent.active = False
        team.calendar_json = CN_OFFICE_HOURS.model_dump_json()
        session.commit()

    with sessions() as session:
        seed_default_teams(session)
        seed_default_teams(session)
        team_count = len(session.exec(select(Team)).all())
        agent_count = len(session.exec(select(Agent)).all())
        agent = session.get(Agent, "agent-quality-2")
        calendar = team_calendar(session, team="quality")

    assert team_count == len(set(TEAM_BY_CATEGORY.values()))
    assert agent_count == 3 * team_count
    assert agent is not None and agent.active is False
    assert calendar == CN_OFFICE_HOURS


def test_team_calendar_of_an_unknown_team_names_the_fix(sessions: SessionFactory) -> None:
    with sessions() as session, pytest.raises(UnknownTeamError, match="seed_default_teams"):
        team_calendar(session, team="no-such-team")


def test_least_loaded_agent_picks_the_agent_with_fewest_open_complaints(
    sessions: SessionFactory,
) -> None:
    with sessions() as session:
        seed_default_teams(session)
        assign(session, "agent-quality-1", 2, ComplaintStatus.OPEN)
        assign(session, "agent-quality-2", 1, ComplaintStatus.WAITING_ON_CUSTOMER)
        assign(session, "agent-quality-3", 3, ComplaintStatus.AWAITING_APPROVAL)
        # Another team's load does not count.
        assign(session, "agent-logistics-1", 5, ComplaintStatus.OPEN)

        assert least_loaded_agent(session, team="quality") == "agent-quality-2"


def test_least_loaded_agent_ignores_closed_complaints(sessions: SessionFactory) -> None:
    with sessions() as session:
        seed_default_teams(session)
        assign(session, "agent-payments-1", 4, ComplaintStatus.CLOSED)
        assign(session, "agent-payments-2", 1, ComplaintStatus.OPEN)
        assign(session, "agent-payments-3", 1, ComplaintStatus.RESOLVING)

        assert least_loaded_agent(session, team="payments") == "agent-payments-1"


def test_least_loaded_agent_breaks_ties_by_id(sessions: SessionFactory) -> None:
    with sessions() as session:
        seed_default_teams(session)
        assign(session, "agent-quality-1", 1, ComplaintStatus.OPEN)

        assert least_loaded_agent(session, team="quality") == "agent-quality-2"
        assert least_loaded_agent(session, team="logistics") == "agent-logistics-1"


def test_least_loaded_agent_skips_inactive_and_full_agents(sessions: SessionFactory) -> None:
    with sessions() as session:
        seed_default_teams(session)
        session.add(Team(name="vip-desk", calendar_json=BusinessCalendar().model_dump_json()))
        session.commit()
        session.add(Agent(id="agent-vip-1", name="Li Na", team="vip-desk", active=False))
        session.add(Agent(id="agent-vip-2", name="Zhao Lei", team="vip-desk", max_open=1))
        session.commit()

        assert least_loaded_agent(session, team="vip-desk") == "agent-vip-2"
        assign(session, "agent-vip-2", 1, ComplaintStatus.OPEN)
        assert least_loaded_agent(session, team="vip-desk") is None
        assert least_loaded_agent(session, team="no-such-team") is None
