"""The escalations board: open complaints by tier, SLA countdowns, reassigning.

It reads the read model, most urgent first; reassigning is the `assign` action sent the
same way as through `POST /complaints/{id}/actions`, signed by the supervisor.
"""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.complaint_calls import send_agent_action
from api.console.rendering import render
from api.console.routing import UPDATE_ERRORS, ComplaintIdPath, ConsoleRoute, refusal
from api.console.session import (
    CONSOLE_PREFIX,
    ConsoleProblem,
    ConsoleUser,
    SignedIn,
    check_form,
    require,
)
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.ids import COMPLAINT_ID_PATTERN
from domain.access import Permission
from domain.complaints import AssignAction, Identifier
from domain.taxonomy import Tier
from store.complaints import list_open_complaints
from store.tables.complaints import ComplaintRecord
from store.tables.teams import Agent
from store.teams import list_agents

router = APIRouter(route_class=ConsoleRoute)

# The most severe first: the board is read top-down.
BOARD_TIERS = (Tier.CRITICAL, Tier.SERIOUS, Tier.GENERAL)
ROWS_PER_TIER = 100


def _board(session: Session) -> list[tuple[Tier, list[ComplaintRecord], int]]:
    return [
        (tier, *list_open_complaints(session, tier=tier.value, limit=ROWS_PER_TIER))
        for tier in BOARD_TIERS
    ]


async def _board_page(
    request: Request,
    user: ConsoleUser,
    session: Session,
    *,
    status_code: int = 200,
    notice: tuple[str, str, str] | None = None,
    problem: ConsoleProblem | None = None,
) -> Response:
    groups = await run_in_threadpool(_board, session)
    agents: list[Agent] = []
    if user.may(Permission.ASSIGN_COMPLAINTS):
        agents = await run_in_threadpool(list_agents, session)
    return render(
        request,
        "escalations.html",
        user=user,
        status_code=status_code,
        groups=groups,
        agents=agents,
        notice=notice,
        problem=problem,
    )


@router.get("/escalations")
async def escalations_board(
    request: Request,
    user: SignedIn,
    session: SessionDep,
    assigned: Annotated[str | None, Query(pattern=COMPLAINT_ID_PATTERN)] = None,
    agent: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Shows open complaints by tier, breached ones first, with their SLA countdowns."""
    notice = ("assigned_notice", assigned, agent or "") if assigned else None
    return await _board_page(request, user, session, notice=notice)


@router.post("/complaints/{complaint_id}/assign")
async def reassign(
    request: Request,
    complaint_id: ComplaintIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    agent_id: Annotated[Identifier, Form()],
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Assigns the complaint to another agent, then goes back to the board."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.ASSIGN_COMPLAINTS, "forbidden_assign")
    agents = await run_in_threadpool(list_agents, session)
    if agent_id not in {agent.id for agent in agents}:
        problem = ConsoleProblem(422, "invalid_form")
        return await _board_page(request, user, session, status_code=422, problem=problem)
    try:
        await send_agent_action(
            temporal,
            session,
            complaint_id,
            actor=user.principal.user_id,
            action=AssignAction(agent_id=agent_id),
        )
    except UPDATE_ERRORS as error:
        problem = refusal(error)
        return await _board_page(
            request, user, session, status_code=problem.status_code, problem=problem
        )
    done = urlencode({"assigned": complaint_id, "agent": agent_id})
    return RedirectResponse(f"{CONSOLE_PREFIX}/escalations?{done}", status_code=303)
