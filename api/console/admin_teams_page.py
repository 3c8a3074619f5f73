"""Teams and agents, for admins: each team with its calendar and its members (open
complaints against their capacity, away or at work), and the forms that add an agent to a
team, move one, set their capacity and mark them away or back.

Routing reads the same rows (`store.teams.least_loaded_agent`): an agent marked away or
holding their capacity of open complaints gets no new complaint until that changes; the
complaints they hold stay theirs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request, Response
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from api.console.admin_forms import (
    ADMIN_PREFIX,
    SentForm,
    TeamsForm,
    done,
    done_notice,
    new_form_key,
    run_change,
)
from api.console.rendering import render
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem, ConsoleUser, SignedIn, require
from api.deps import SessionDep
from domain.access import Permission, Role
from store.admin_changes import SubjectKind, recent_changes
from store.tables.admin_changes import AdminChange
from store.tables.staff import StaffUser
from store.tables.teams import Agent, Team
from store.team_members import (
    MAX_CAPACITY,
    Member,
    add_agent,
    move_agent,
    set_agent_away,
    set_agent_capacity,
    team_members,
)
from store.teams import list_teams

router = APIRouter(route_class=ConsoleRoute)

TEAMS_PATH = f"{ADMIN_PREFIX}/teams"
AgentIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]


@dataclass(frozen=True)
class TeamsView:
    teams: list[Team]
    members: dict[str, list[Member]]
    # Agents with a staff account and no team yet: routing never sees them.
    unplaced: list[StaffUser]
    changes: list[AdminChange]


def _read(session: Session) -> TeamsView:
    teams = list_teams(session)
    members: dict[str, list[Member]] = {team.name: [] for team in teams}
    for member in team_members(session):
        members.setdefault(member.team, []).append(member)
    placed = select(col(Agent.id))
    unplaced = select(StaffUser).where(
        StaffUser.role == Role.AGENT.value,
        col(StaffUser.disabled_at).is_(None),
        col(StaffUser.user_id).not_in(placed),
    )
    return TeamsView(
        teams=teams,
        members=members,
        unplaced=list(session.exec(unplaced.order_by(col(StaffUser.user_id)))),
        changes=recent_changes(session, kinds=(SubjectKind.AGENT, SubjectKind.TEAM)),
    )


async def _teams_page(
    request: Request,
    user: ConsoleUser,
    session: Session,
    *,
    status_code: int = 200,
    problem: ConsoleProblem | None = None,
    problem_agent: str | None = None,
) -> Response:
    view = await run_in_threadpool(_read, session)
    agent_ids = [m.agent_id for team in view.members.values() for m in team]
    return render(
        request,
        "admin_teams.html",
        user=user,
        status_code=status_code,
        view=view,
        problem=problem,
        # Beside the agent's row when there is one, else above the teams.
        problem_agent=problem_agent if problem_agent in agent_ids else None,
        max_capacity=MAX_CAPACITY,
        add_key=new_form_key(),
        # Three forms per agent, each with its own key.
        form_keys={
            agent_id: {form: new_form_key() for form in ("away", "capacity", "team")}
            for agent_id in agent_ids
        },
        notice=done_notice(request),
    )


@router.get("/admin/teams")
async def teams(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows each team with its members, their load and availability."""
    require(user, Permission.MANAGE_TEAMS, "forbidden_admin")
    return await _teams_page(request, user, session)


async def _change(
    request: Request,
    form: SentForm,
    session: Session,
    agent_id: str,
    change: Callable[[Session], str],
) -> Response:
    """Runs `change`; returns the redirect to the agent's row saying what was done, or
    the page with the refusal beside the agent."""
    user = form.user
    outcome = await run_change(session, change, form_key=form.form_key)
    if isinstance(outcome, ConsoleProblem):
        return await _teams_page(
            request,
            user,
            session,
            status_code=outcome.status_code,
            problem=outcome,
            problem_agent=agent_id,
        )
    what = outcome or "already"
    return done(TEAMS_PATH, what, subject=agent_id, anchor=f"member-{agent_id}")


@router.post("/admin/teams/members")
async def add_member(
    request: Request,
    form: TeamsForm,
    session: SessionDep,
    agent_id: Annotated[str, Form(max_length=200)] = "",
    team: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Adds an agent with a staff account to a team: routing gives them complaints."""

    def change(session: Session) -> str:
        staff = session.get(StaffUser, agent_id)
        if staff is None or staff.role != Role.AGENT.value:
            raise ConsoleProblem(422, "admin_refused_not_an_agent")
        note = form.note()
        add_agent(session, agent_id=agent_id, name=staff.display_name, team=team, note=note)
        return "agent_added"

    return await _change(request, form, session, agent_id, change)


@router.post("/admin/teams/members/{agent_id}/away")
async def set_away(
    request: Request,
    agent_id: AgentIdPath,
    form: TeamsForm,
    session: SessionDep,
    away: Annotated[str, Form(pattern="^(away|back)$")],
) -> Response:
    """Marks the agent away (no new complaints) or back at work."""

    def change(session: Session) -> str:
        note = form.note()
        set_agent_away(session, agent_id=agent_id, away=away == "away", note=note)
        return "agent_away" if away == "away" else "agent_back"

    return await _change(request, form, session, agent_id, change)


def _capacity(typed: str) -> int | None:
    """Returns the capacity typed (None: no limit); raises the refusal naming the field
    when it is not a whole number from 1 to `MAX_CAPACITY`."""
    if not typed.strip():
        return None
    if not typed.strip().isdigit() or not 1 <= int(typed) <= MAX_CAPACITY:
        raise ConsoleProblem(422, "admin_refused_capacity_invalid")
    return int(typed)


@router.post("/admin/teams/members/{agent_id}/capacity")
async def set_capacity(
    request: Request,
    agent_id: AgentIdPath,
    form: TeamsForm,
    session: SessionDep,
    max_open: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Sets how many open complaints the agent holds at most (empty: no limit)."""

    def change(session: Session) -> str:
        capacity = _capacity(max_open)
        note = form.note()
        set_agent_capacity(session, agent_id=agent_id, max_open=capacity, note=note)
        return "capacity_set"

    return await _change(request, form, session, agent_id, change)


@router.post("/admin/teams/members/{agent_id}/team")
async def move_member(
    request: Request,
    agent_id: AgentIdPath,
    form: TeamsForm,
    session: SessionDep,
    team: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Moves the agent to another team; their open complaints stay theirs."""

    def change(session: Session) -> str:
        note = form.note()
        move_agent(session, agent_id=agent_id, team=team, note=note)
        return "agent_moved"

    return await _change(request, form, session, agent_id, change)
