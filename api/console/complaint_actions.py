"""The complaint page's action forms: reply, request information, internal note,
reclassify and reassign (the resolution forms are in `resolution_forms`).

Each form sends the `act` update `POST /complaints/{id}/actions` sends
(`api.complaint_calls.send_agent_action`), signed as the signed-in user, under the same
rules: an agent acts on complaints assigned to them (another agent's complaint is the 403
page, and the workflow hears nothing), reassigning is for supervisors. A field the
action's model refuses comes back named on the page; a refusal from the workflow comes
back with its reason; either way what was typed is kept. The form's key is the update's
id, so a form sent twice records once. Success goes back to the page (303).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client

from api.complaint_calls import current_complaint_view, send_agent_action, works_on
from api.console.canned_reply_picker import (
    chosen_template_problem,
    count_template_use,
    template_outcome,
)
from api.console.complaint_page import complaint_page
from api.console.complaint_workspace import FormOutcome, FormProblem, show_outcome
from api.console.reply_collision import held_back
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
from api.updates import update_id_for
from domain.access import Permission
from domain.complaints import (
    AgentActionBody,
    AssignAction,
    ComplaintView,
    NoteAction,
    ReclassifyAction,
    ReplyAction,
    RequestInfoAction,
)
from store.complaint_queue import team_names
from store.teams import list_agents

router = APIRouter(route_class=ConsoleRoute)

# Each rendered form carries a key of its own (see `complaint_workspace`).
FORM_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
# Each form's inputs by the action model's field they fill: (input name, label key).
FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "reply": {"message": ("message", "field_reply_message")},
    "request_info": {"question": ("question", "field_question")},
    "note": {"text": ("text", "field_note")},
    "reclassify": {
        "sub_category": ("sub_category", "field_sub_category"),
        "tier": ("tier", "field_tier"),
        "reason": ("reason", "field_reason"),
    },
    "reassign": {
        "agent_id": ("agent_id", "field_agent"),
        "team": ("team", "field_team"),
    },
    "propose": {
        "message": ("message", "field_resolution_message"),
        "root_cause": ("root_cause", "field_root_cause"),
    },
    "close": {
        "message": ("message", "field_closing_message"),
        "root_cause": ("root_cause", "field_root_cause"),
    },
}
# pydantic's error types as the page words them; any other is "not valid".
ERROR_KEYS = {
    "missing": "field_required",
    "string_too_short": "field_required",
    "string_too_long": "field_too_long",
    "enum": "field_choose",
    "literal_error": "field_choose",
}


class FormRefused(Exception):
    """A form the console refuses before anything is sent (a choice not on its list)."""

    def __init__(self, problem: FormProblem) -> None:
        super().__init__(problem.message_key)
        self.problem = problem


def field_problem(form: str, invalid: ValidationError) -> FormProblem:
    """Returns the refusal of `form` naming the input its first error is about."""
    first: ErrorDetails = invalid.errors()[0]
    names = [str(part) for part in first["loc"] if str(part) in FIELDS[form]]
    input_name, label_key = FIELDS[form][names[-1]] if names else ("", "")
    key = ERROR_KEYS.get(first["type"], "field_invalid") if label_key else "invalid_form"
    limit = (first.get("ctx") or {}).get("max_length")
    values = {"max": f"{limit:,}" if limit else ""}
    return FormProblem(422, key, field=input_name, field_key=label_key, values=values)


@dataclass
class ActionForm:
    """A workspace form that arrived with a valid CSRF token, and what it needs to act."""

    request: Request
    complaint_id: str
    user: ConsoleUser
    session: Session
    temporal: Client
    form_key: str

    async def act(
        self,
        form: str,
        typed: dict[str, Any],
        build: Callable[[ComplaintView], AgentActionBody],
        *,
        seen: str | None = None,
    ) -> Response:
        """Sends the action `build` makes from the form, then goes back to the page; shows
        the page again, with `typed` kept, when the form or the workflow refuses it, or
        (for a message to the customer, which carries what its page had `seen`) when
        another message arrived since, to be reviewed first."""
        view = await current_complaint_view(self.temporal, self.session, self.complaint_id)
        self.check_may(form, view)
        try:
            action = build(view)
        except ValidationError as invalid:
            return await self.again(FormOutcome(form, typed, field_problem(form, invalid)))
        except FormRefused as refused:
            return await self.again(FormOutcome(form, typed, refused.problem))
        if seen is not None:
            reader = self.user.principal.user_id
            review = held_back(form, typed, view, seen, reader=reader)
            if review is not None:
                return await self.again(review)
        return await self.send(form, typed, action)

    def check_may(self, form: str, view: ComplaintView) -> None:
        """Raises the 403 page unless the user may send `form` on the complaint."""
        if form == "reassign":
            require(self.user, Permission.ASSIGN_COMPLAINTS, "forbidden_assign")
        elif not works_on(self.user.principal, view):
            raise ConsoleProblem(403, "forbidden_not_yours")

    async def send(self, form: str, typed: dict[str, Any], action: AgentActionBody) -> Response:
        """Sends `action` as this form's update; returns the way back to the page, or the
        page with the workflow's refusal."""
        actor = self.user.principal.user_id
        try:
            await send_agent_action(
                self.temporal,
                self.session,
                self.complaint_id,
                actor=actor,
                action=action,
                update_id=update_id_for("console/act", actor, self.form_key or None),
            )
        except UPDATE_ERRORS as error:
            refused = refusal(error)
            problem = FormProblem(refused.status_code, refused.message_key, detail=refused.detail)
            return await self.again(FormOutcome(form, typed, problem))
        return RedirectResponse(
            f"{CONSOLE_PREFIX}/complaints/{self.complaint_id}?done={form}#workspace",
            status_code=303,
        )

    async def again(self, outcome: FormOutcome, status_code: int | None = None) -> Response:
        """Returns the complaint page showing `outcome` in its workspace."""
        show_outcome(self.request, outcome)
        page = await complaint_page(
            self.request, self.complaint_id, self.user, self.session, self.temporal
        )
        problem = outcome.problem
        page.status_code = status_code or (problem.status_code if problem else 200)
        return page


async def action_form(
    request: Request,
    complaint_id: ComplaintIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    form_key: Annotated[str, Form(pattern=FORM_KEY_PATTERN)] = "",
) -> ActionForm:
    """Returns the form's context once its CSRF token is this session's (else the 403
    page)."""
    check_form(settings.secret_key, user, csrf_token)
    return ActionForm(request, complaint_id, user, session, temporal, form_key)


ActionFormDep = Annotated[ActionForm, Depends(action_form)]
# Lengths are checked by the action's model, so a refusal names the field.
TextField = Annotated[str, Form()]


@router.post("/complaints/{complaint_id}/reply")
async def reply(
    form: ActionFormDep,
    message: TextField = "",
    canned_reply_id: TextField = "",
    use_template: TextField = "",
    seen_message: TextField = "",
) -> Response:
    """Sends the agent's reply to the customer, counting the canned reply it started from;
    "use this template" (the page without its script) brings the form back filled with
    the template instead, and sends nothing."""
    typed = {"message": message, "canned_reply_id": canned_reply_id}
    if use_template:
        view = await current_complaint_view(form.temporal, form.session, form.complaint_id)
        form.check_may("reply", view)
        filled = await template_outcome(
            form.request, form.session, form.user, view, canned_reply_id, typed
        )
        return await form.again(filled)
    problem = await chosen_template_problem(form.session, canned_reply_id)

    def build(view: ComplaintView) -> ReplyAction:
        if problem is not None:
            raise FormRefused(problem)
        return ReplyAction(message=message.strip())

    sent = await form.act("reply", typed, build, seen=seen_message)
    if sent.status_code == 303:
        actor = form.user.principal.user_id
        await count_template_use(
            form.session,
            raw_id=canned_reply_id,
            complaint_id=form.complaint_id,
            agent=actor,
            reply_key=update_id_for("console/act", actor, form.form_key or None),
        )
    return sent


@router.post("/complaints/{complaint_id}/request-info")
async def request_info(
    form: ActionFormDep, question: TextField = "", seen_message: TextField = ""
) -> Response:
    """Asks the customer for information; the SLA pauses until they answer."""
    return await form.act(
        "request_info",
        {"question": question},
        lambda view: RequestInfoAction(question=question.strip()),
        seen=seen_message,
    )


@router.post("/complaints/{complaint_id}/note")
async def note(form: ActionFormDep, text: TextField = "") -> Response:
    """Puts an internal note on the timeline, for staff only."""
    return await form.act("note", {"text": text}, lambda view: NoteAction(text=text.strip()))


@router.post("/complaints/{complaint_id}/reclassify")
async def reclassify(
    form: ActionFormDep,
    sub_category: TextField = "",
    tier: TextField = "",
    reason: TextField = "",
) -> Response:
    """Replaces the classification (deadlines follow the tier, routing the category)."""
    typed = {"sub_category": sub_category, "tier": tier, "reason": reason}
    return await form.act(
        "reclassify",
        typed,
        lambda view: ReclassifyAction.model_validate(typed | {"reason": reason.strip()}),
    )


@router.post("/complaints/{complaint_id}/reassign")
async def reassign(form: ActionFormDep, agent_id: TextField = "", team: TextField = "") -> Response:
    """Gives the complaint to another agent, or moves it to another team (supervisors)."""
    typed = {"agent_id": agent_id, "team": team}
    require(form.user, Permission.ASSIGN_COMPLAINTS, "forbidden_assign")
    agents = {agent.id: agent.team for agent in await run_in_threadpool(list_agents, form.session)}
    teams = set(await run_in_threadpool(team_names, form.session))

    def assignment(view: ComplaintView) -> AssignAction:
        current = view.routing.team if view.routing else None
        return _assignment(agents, teams, current, agent_id, team)

    return await form.act("reassign", typed, assignment)


def _assignment(
    agents: dict[str, str], teams: set[str], current_team: str | None, agent_id: str, team: str
) -> AssignAction:
    """Returns the assignment the reassign form asks for: an agent of the complaint's team,
    or a move to another team (to the agent chosen there, or its least-loaded one)."""
    if agent_id and agent_id not in agents:
        raise FormRefused(FormProblem(422, "field_choose", "agent_id", "field_agent"))
    if team and team not in teams:
        raise FormRefused(FormProblem(422, "field_choose", "team", "field_team"))
    if not agent_id:
        if not team or team == current_team:
            raise FormRefused(FormProblem(422, "reassign_nobody", "agent_id", "field_agent"))
        return AssignAction(team=team)
    agent_team = agents[agent_id]
    # The team list starts on the complaint's own team: an agent of another team chosen
    # with it untouched moves the complaint to the agent's team.
    if team and team not in (current_team, agent_team):
        values = {"agent": agent_id, "team": team}
        raise FormRefused(FormProblem(422, "agent_not_in_team", "agent_id", "field_agent", values))
    return AssignAction(agent_id=agent_id, team=agent_team if agent_team != current_team else None)
