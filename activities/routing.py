"""The activity that picks a complaint's team, agent, escalation chain and calendar."""

from temporalio import activity

from domain.complaints import RouteInput, Routing
from domain.policy import ALWAYS_OPEN, TEAM_BY_CATEGORY
from store.db import SessionFactory
from store.teams import get_team, least_loaded_agent


class RoutingActivities:
    """Routes complaints using the teams and workloads in the store."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    @activity.defn(name="route_complaint")
    def route_complaint(self, request: RouteInput) -> Routing:
        """Returns the category's team (or the team a transfer names), its least-loaded
        agent (or the one named), escalation chain and calendar."""
        team_name = request.team or TEAM_BY_CATEGORY[request.category]
        with self._sessions() as session:
            team = get_team(session, name=team_name)
            if team is None:
                # A team missing from the store is a set-up gap, not the customer's problem:
                # the complaint still reaches the team's queue, on the strictest (24/7) clock.
                activity.logger.warning(
                    "Team %r is not in the store; routing %s without agent or calendar",
                    team_name,
                    request.complaint_id,
                )
                return Routing(team=team_name, agent_id=request.agent_id, calendar=ALWAYS_OPEN)
            return Routing(
                team=team.name,
                agent_id=request.agent_id or least_loaded_agent(session, team=team.name),
                supervisor_id=team.supervisor_id,
                manager_id=team.manager_id,
                calendar=team.calendar(),
            )
