from temporalio.testing import ActivityEnvironment

from activities.routing import RoutingActivities
from domain.complaints import ComplaintStatus, RouteInput, Routing
from domain.official_calendars import CN_OFFICE_HOURS
from domain.policy import ALWAYS_OPEN
from domain.taxonomy import Category, Tier
from store.complaints import project_complaint
from store.db import SessionFactory
from store.tables.teams import Team
from store.teams import seed_default_teams
from tests.factories import make_projection, make_view


def route(sessions: SessionFactory, category: Category, tier: Tier = Tier.GENERAL) -> Routing:
    request = RouteInput(complaint_id="cmp-routing", category=category, tier=tier)
    return ActivityEnvironment().run(RoutingActivities(sessions).route_complaint, request)


def test_routes_to_the_category_team_with_its_chain_and_calendar(
    sessions: SessionFactory,
) -> None:
    with sessions() as session:
        seed_default_teams(session)

    routing = route(sessions, Category.LOGISTICS)

    assert routing == Routing(
        team="logistics",
        agent_id="agent-logistics-1",
        supervisor_id="supervisor-logistics",
        manager_id="manager-logistics",
        calendar=ALWAYS_OPEN,
    )


def test_routes_to_the_agent_with_the_fewest_open_complaints(sessions: SessionFactory) -> None:
    with sessions() as session:
        seed_default_teams(session)
        for agent_id, status in (
            ("agent-payments-1", ComplaintStatus.OPEN),
            ("agent-payments-2", ComplaintStatus.OPEN),
            ("agent-payments-3", ComplaintStatus.CLOSED),
        ):
            view = make_view(assignee=agent_id, status=status)
            project_complaint(session, projection=make_projection(view))

    assert route(sessions, Category.PAYMENT, Tier.CRITICAL).agent_id == "agent-payments-3"


def test_routing_uses_the_team_calendar_from_the_store(sessions: SessionFactory) -> None:
    with sessions() as session:
        seed_default_teams(session)
        team = session.get(Team, "customer-care")
        assert team is not None
        team.calendar_json = CN_OFFICE_HOURS.model_dump_json()
        session.commit()

    assert route(sessions, Category.SERVICE).calendar == CN_OFFICE_HOURS
    assert route(sessions, Category.OTHER).team == "customer-care"


def test_team_missing_from_the_store_still_gets_the_complaint(sessions: SessionFactory) -> None:
    routing = route(sessions, Category.SECURITY)

    assert routing == Routing(team="trust-safety", agent_id=None, calendar=ALWAYS_OPEN)
