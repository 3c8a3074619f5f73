"""Staff and keys, for admins (everyone else gets the 403 page): every staff user with their
role, team, e-mail address, state and working keys; the form that creates a user; and the
newest changes on the audit trail. Each user's own page (`admin_user_page`) disables,
enables, resets a password, sets an address, issues and revokes keys.

The forms change the store through the functions `redress users` and `redress keys` use
(`store.staff`), with an audit note, so the console and the command line refuse alike.
A user of a console role is given a password when created, shown once on their page.
"""

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from api.console.admin_forms import (
    ADMIN_PREFIX,
    SentForm,
    StaffForm,
    done,
    done_notice,
    new_form_key,
    run_change,
)
from api.console.admin_user_page import OneTimeSecret, user_page
from api.console.rendering import render
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem, ConsoleUser, SignedIn, require
from api.deps import SessionDep
from domain.access import CONSOLE_ROLES, Permission, Role
from domain.complaints import Identifier
from store.admin_changes import SubjectKind, recent_changes
from store.staff import active_key_counts, create_user, list_users
from store.tables.admin_changes import AdminChange
from store.tables.staff import StaffUser
from store.tables.teams import Agent, Team
from store.team_members import add_agent
from store.teams import list_teams

router = APIRouter(route_class=ConsoleRoute)

STAFF_PATH = f"{ADMIN_PREFIX}/staff"
LOCALES = ("zh-CN", "en")
MAX_NAME_CHARS = 200
_user_ids: TypeAdapter[str] = TypeAdapter(Identifier)
# The fields of the create form, kept when it is refused so nothing typed is lost.
CREATE_FIELDS = ("user_id", "display_name", "role", "locale", "email", "team", "reason")


@dataclass(frozen=True)
class StaffRow:
    """A staff user as the list shows them: the teams they belong to or lead, and how many
    of their keys still work."""

    user: StaffUser
    teams: list[str]
    working_keys: int


def teams_of(session: Session) -> dict[str, list[str]]:
    """Returns the teams each staff id belongs to: an agent's team, the teams a
    supervisor or manager leads."""
    found: dict[str, set[str]] = {}
    for agent_id, team in session.exec(select(col(Agent.id), col(Agent.team))):
        found.setdefault(agent_id, set()).add(team)
    for team_row in list_teams(session):
        for leader in (team_row.supervisor_id, team_row.manager_id):
            if leader:
                found.setdefault(leader, set()).add(team_row.name)
    return {user_id: sorted(teams) for user_id, teams in found.items()}


@dataclass(frozen=True)
class StaffView:
    rows: list[StaffRow]
    teams: list[str]
    changes: list[AdminChange]


def _read(session: Session) -> StaffView:
    teams, keys = teams_of(session), active_key_counts(session)
    rows = [
        StaffRow(
            user=user, teams=teams.get(user.user_id, []), working_keys=keys.get(user.user_id, 0)
        )
        for user in list_users(session)
    ]
    return StaffView(
        rows=rows,
        teams=[team.name for team in list_teams(session)],
        changes=recent_changes(session, kinds=(SubjectKind.USER,)),
    )


async def _staff_page(
    request: Request,
    user: ConsoleUser,
    session: Session,
    *,
    status_code: int = 200,
    problem: ConsoleProblem | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    view = await run_in_threadpool(_read, session)
    return render(
        request,
        "admin_staff.html",
        user=user,
        status_code=status_code,
        view=view,
        roles=[role.value for role in Role],
        locales=LOCALES,
        problem=problem,
        typed=typed
        or dict.fromkeys(CREATE_FIELDS, "") | {"role": Role.AGENT.value, "locale": "zh-CN"},
        form_key=new_form_key(),
        notice=done_notice(request),
    )


@router.get("/admin/staff")
async def staff_list(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows every staff user, the form that creates one, and recent changes."""
    require(user, Permission.MANAGE_STAFF, "forbidden_admin")
    return await _staff_page(request, user, session)


def _checked_new_user(session: Session, typed: dict[str, str]) -> None:
    """Raises the refusal naming the first field of the create form that is wrong."""
    try:
        _user_ids.validate_python(typed["user_id"])
    except ValidationError:
        raise ConsoleProblem(422, "admin_user_id_invalid") from None
    if len(typed["display_name"]) > MAX_NAME_CHARS:
        raise ConsoleProblem(422, "admin_name_too_long")
    if typed["role"] not in {role.value for role in Role}:
        raise ConsoleProblem(422, "admin_role_invalid")
    if typed["locale"] not in LOCALES:
        raise ConsoleProblem(422, "admin_locale_invalid")
    if typed["team"]:
        if typed["role"] != Role.AGENT.value:
            raise ConsoleProblem(422, "admin_team_only_for_agents")
        if session.get(Team, typed["team"]) is None:
            raise ConsoleProblem(422, "admin_refused_unknown_team")
        # An agent routing already knows (a seeded one) keeps their team: moving them is
        # the Teams page's job, where their open complaints are in view.
        member = session.get(Agent, typed["user_id"])
        if member is not None and member.team != typed["team"]:
            raise ConsoleProblem(422, "admin_refused_agent_exists")


def _create(session: Session, typed: dict[str, str], form: SentForm) -> str:
    """Creates the user (and their team membership); returns their one-time password, or
    "" for a role that does not sign in to the console."""
    _checked_new_user(session, typed)
    role = Role(typed["role"])
    password = secrets.token_urlsafe(12) if role in CONSOLE_ROLES else None
    note = form.note()
    created = create_user(
        session,
        user_id=typed["user_id"],
        display_name=typed["display_name"] or typed["user_id"],
        role=role,
        locale=typed["locale"],
        password=password,
        email=typed["email"] or None,
        note=note,
    )
    if typed["team"] and session.get(Agent, created.user_id) is None:
        # The form's key is spent on the user; a resent form stops before this.
        team_note = form.note(f"{form.form_key}.team")
        add_agent(
            session,
            agent_id=created.user_id,
            name=created.display_name,
            team=typed["team"],
            note=team_note,
        )
    return password or ""


@router.post("/admin/staff")
async def create_staff_user(
    request: Request,
    form: StaffForm,
    session: SessionDep,
    user_id: Annotated[str, Form(max_length=200)] = "",
    display_name: Annotated[str, Form(max_length=10_000)] = "",
    role: Annotated[str, Form(max_length=32)] = "",
    locale: Annotated[str, Form(max_length=16)] = "",
    email: Annotated[str, Form(max_length=10_000)] = "",
    team: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Creates a staff user; shows their page with their first password, once."""
    values = (user_id, display_name, role, locale, email, team, form.reason)
    typed = {name: value.strip() for name, value in zip(CREATE_FIELDS, values, strict=True)}
    outcome = await run_change(session, lambda s: _create(s, typed, form), form_key=form.form_key)
    if outcome is None:
        return done(f"{STAFF_PATH}/{typed['user_id']}", "already", subject=typed["user_id"])
    if isinstance(outcome, ConsoleProblem):
        return await _staff_page(
            request,
            form.user,
            session,
            status_code=outcome.status_code,
            problem=outcome,
            typed=typed,
        )
    secret = OneTimeSecret("password", outcome) if outcome else None
    return await user_page(
        request, form.user, session, typed["user_id"], secret=secret, created=True
    )
