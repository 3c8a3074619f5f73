"""Routing honours what an admin sets on the teams page: an agent marked away, one holding
their capacity of open complaints, or a disabled staff user gets no new complaint; the
choice among the others stays the least loaded, ties to the smallest id, and a team with
nobody available still gets the complaint, unassigned."""

import pytest
from sqlmodel import Session
from temporalio.testing import ActivityEnvironment

from activities.routing import RoutingActivities
from domain.access import Role
from domain.complaints import ComplaintStatus, RouteInput, Routing
from domain.taxonomy import Category, Tier
from store.admin_changes import ChangeNote
from store.complaints import project_complaint
from store.db import SessionFactory
from store.staff import create_user, disable_user
from store.team_members import set_agent_away, set_agent_capacity
from store.teams import seed_default_teams
from tests.factories import make_projection, make_view

ADMIN = ChangeNote(actor="ops-admin")


def route(sessions: SessionFactory, complaint_id: str = "cmp-available") -> Routing:
    request = RouteInput(complaint_id=complaint_id, category=Category.PAYMENT, tier=Tier.GENERAL)
    return ActivityEnvironment().run(RoutingActivities(sessions).route_complaint, request)


def assign_open(session: Session, agent_id: str, count: int) -> None:
    for _ in range(count):
        view = make_view(assignee=agent_id, status=ComplaintStatus.OPEN)
        project_complaint(session, projection=make_projection(view))


@pytest.fixture
def seeded(sessions: SessionFactory) -> SessionFactory:
    with sessions() as session:
        seed_default_teams(session)
    return sessions


def test_an_away_agent_gets_no_new_complaint_until_back(seeded: SessionFactory) -> None:
    with seeded() as session:
        set_agent_away(session, agent_id="agent-payments-1", away=True, note=ADMIN)

    assert route(seeded).agent_id == "agent-payments-2"

    with seeded() as session:
        set_agent_away(session, agent_id="agent-payments-1", away=False, note=ADMIN)
    assert route(seeded).agent_id == "agent-payments-1"


def test_an_agent_at_capacity_is_skipped_even_when_least_loaded(seeded: SessionFactory) -> None:
    with seeded() as session:
        assign_open(session, "agent-payments-1", 1)
        assign_open(session, "agent-payments-2", 3)
        assign_open(session, "agent-payments-3", 3)
        set_agent_capacity(session, agent_id="agent-payments-1", max_open=1, note=ADMIN)

    # Agent 1 holds the fewest but is full; 2 and 3 tie, and the smaller id wins.
    assert route(seeded).agent_id == "agent-payments-2"

    with seeded() as session:
        set_agent_capacity(session, agent_id="agent-payments-1", max_open=None, note=ADMIN)
    assert route(seeded).agent_id == "agent-payments-1"


def test_a_disabled_staff_account_is_skipped(seeded: SessionFactory) -> None:
    with seeded() as session:
        create_user(session, user_id="agent-payments-1", display_name="Li", role=Role.AGENT)
        disable_user(session, user_id="agent-payments-1", note=ADMIN)

    assert route(seeded).agent_id == "agent-payments-2"


def test_with_everyone_away_or_full_the_team_still_gets_it_unassigned(
    seeded: SessionFactory,
) -> None:
    with seeded() as session:
        set_agent_away(session, agent_id="agent-payments-1", away=True, note=ADMIN)
        set_agent_away(session, agent_id="agent-payments-2", away=True, note=ADMIN)
        assign_open(session, "agent-payments-3", 2)
        set_agent_capacity(session, agent_id="agent-payments-3", max_open=2, note=ADMIN)

    routing = route(seeded)

    assert (routing.team, routing.agent_id) == ("payments", None)
    assert routing.supervisor_id == "supervisor-payments"


def test_the_same_store_routes_the_same_way_every_time(seeded: SessionFactory) -> None:
    with seeded() as session:
        set_agent_away(session, agent_id="agent-payments-2", away=True, note=ADMIN)
        assign_open(session, "agent-payments-1", 1)

    # A retried activity on an unchanged store picks the same agent.
    assert {route(seeded, f"cmp-{n}").agent_id for n in range(3)} == {"agent-payments-3"}
