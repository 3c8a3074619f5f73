"""The recovery inbox: service-recovery tasks a low survey answer or a failure of service
opened, for supervisors and admins (agents get the 403 page), and each task's page with
the form that closes it.

The list reads the read model (`store.recovery_inbox`), filtered by status and team and
paged in the URL like the queues. A task's page and its form take the path of
`GET /recovery-tasks/{id}` and `POST .../complete` (`api.recovery_calls`), signed with
the signed-in user's id, so the console refuses what the API refuses: a task already
done or lapsed is explained on the page and nothing changes.
"""

import secrets
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.queue_page import QueueInputError, page_number, queue_links
from api.console.rendering import render
from api.console.routing import UPDATE_ERRORS, ConsoleRoute, refusal
from api.console.session import (
    CONSOLE_PREFIX,
    ConsoleProblem,
    ConsoleUser,
    SignedIn,
    check_form,
    require,
)
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.recovery_calls import (
    RECOVERY_TASK_ID_PATTERN,
    RecoveryTaskView,
    recovery_task_view,
    send_recovery_report,
)
from api.updates import update_id_for
from domain.access import Permission
from domain.surveys import (
    MAX_RECOVERY_NOTE_CHARS,
    RecoveryCompletion,
    RecoveryReport,
    RecoveryStatus,
)
from store.complaint_queue import team_names
from store.recovery_inbox import RecoveryInboxPage, list_recovery_inbox

router = APIRouter(route_class=ConsoleRoute)

# A malformed id names no task: the console's 404 page (see ConsoleRoute).
RecoveryTaskIdPath = Annotated[str, Path(pattern=RECOVERY_TASK_ID_PATTERN)]
STATUSES = [status.value for status in RecoveryStatus]
# Each rendered form carries a key of its own, sent as the update's id: the same form
# sent twice (a double click, a retry after a lost answer) records one report, while a
# report from a second form on a task already done is refused.
FORM_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
# What the report's fields are called when refused, by (field, pydantic's error type).
FORM_PROBLEMS = {
    ("note", "string_too_short"): "recovery_note_required",
    ("note", "string_too_long"): "recovery_note_too_long",
    ("customer_response", "string_too_long"): "recovery_customer_response_too_long",
}


@dataclass
class InboxView:
    """What the inbox template shows; `result` is None when nothing could be listed."""

    status: RecoveryStatus = RecoveryStatus.OPEN
    team: str | None = None
    teams: list[str] = field(default_factory=list)
    result: RecoveryInboxPage | None = None
    error: QueueInputError | None = None


def _chosen(request: Request, name: str, allowed: list[str]) -> str | None:
    """Returns the filter `name` from the URL (None when not given); raises the refusal
    naming it when its value is not one of `allowed`."""
    value = request.query_params.get(name, "")
    if value and value not in allowed:
        raise QueueInputError("queue_filter_invalid", field_key=name, name=name)
    return value or None


def _read_inbox(session: Session, request: Request) -> InboxView:
    view = InboxView(teams=team_names(session))
    try:
        view.status = RecoveryStatus(_chosen(request, "status", STATUSES) or RecoveryStatus.OPEN)
        view.team = _chosen(request, "team", view.teams)
        page = page_number(request)
        view.result = list_recovery_inbox(session, status=view.status, team=view.team, page=page)
    except QueueInputError as refused:
        view.error = refused
    return view


@router.get("/recovery")
async def recovery_inbox(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows the recovery tasks, the longest-waiting customer first (open ones unless asked)."""
    require(user, Permission.RECOVER_SERVICE, "forbidden_recovery")
    view = await run_in_threadpool(_read_inbox, session, request)
    return render(
        request,
        "recovery.html",
        user=user,
        status_code=422 if view.error else 200,
        inbox=view,
        statuses=STATUSES,
        page_url=queue_links(request)["page_url"],
    )


def _task_page(
    request: Request,
    user: ConsoleUser,
    view: RecoveryTaskView,
    *,
    status_code: int = 200,
    problem: ConsoleProblem | None = None,
    typed: dict[str, str] | None = None,
    completed: bool = False,
) -> Response:
    return render(
        request,
        "recovery_task.html",
        user=user,
        status_code=status_code,
        view=view,
        task=view.task,
        problem=problem,
        typed=typed or {"note": "", "customer_response": ""},
        completed=completed,
        form_key=secrets.token_urlsafe(24),
        max_note=MAX_RECOVERY_NOTE_CHARS,
    )


@router.get("/recovery/{task_id}")
async def recovery_task_page(
    request: Request,
    task_id: RecoveryTaskIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    completed: bool = False,
) -> Response:
    """Shows the task: what opened it (the customer's answer, or the failure), the coupon
    given, the time left, and the form that completes it while it is open."""
    require(user, Permission.RECOVER_SERVICE, "forbidden_recovery")
    view = await recovery_task_view(temporal, session, task_id)
    return _task_page(request, user, view, completed=completed)


def _form_problem(invalid: ValidationError) -> ConsoleProblem:
    first = invalid.errors()[0]
    key = FORM_PROBLEMS.get((str(first["loc"][0]), first["type"]), "invalid_form")
    return ConsoleProblem(422, key)


@router.post("/recovery/{task_id}")
async def complete_recovery_task(
    request: Request,
    task_id: RecoveryTaskIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    # Lengths are checked by `RecoveryCompletion`, so a refusal names the field.
    note: Annotated[str, Form()] = "",
    customer_response: Annotated[str, Form()] = "",
    form_key: Annotated[str, Form(pattern=FORM_KEY_PATTERN)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Sends the report to the task's workflow (`complete_recovery`), then shows the task."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.RECOVER_SERVICE, "forbidden_recovery")
    # Kept on a refused form, so nothing typed is lost.
    typed = {"note": note, "customer_response": customer_response}
    try:
        completion = RecoveryCompletion(
            note=note.strip(), customer_response=customer_response.strip()
        )
    except ValidationError as invalid:
        view = await recovery_task_view(temporal, session, task_id)
        problem = _form_problem(invalid)
        return _task_page(request, user, view, status_code=422, problem=problem, typed=typed)
    supervisor = user.principal.user_id
    report = RecoveryReport(supervisor=supervisor, **completion.model_dump())
    update_id = update_id_for("console/complete_recovery", supervisor, form_key or None)
    try:
        await send_recovery_report(temporal, session, task_id, report, update_id=update_id)
    except UPDATE_ERRORS as error:
        problem = refusal(error)
        view = await recovery_task_view(temporal, session, task_id)
        return _task_page(
            request, user, view, status_code=problem.status_code, problem=problem, typed=typed
        )
    return RedirectResponse(f"{CONSOLE_PREFIX}/recovery/{task_id}?completed=true", status_code=303)
