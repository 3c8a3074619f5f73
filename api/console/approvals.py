"""The approvals inbox: proposals waiting for a supervisor, decided in one click each.

Decisions travel the same path as `POST /complaints/{id}/approval`
(`api.complaint_calls.send_approval_decision`), signed with the signed-in user's id; a
refusal from the workflow is shown on the inbox in the user's language.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.complaint_calls import send_approval_decision
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
from domain.complaints import ApprovalChoice, ComplaintStatus, ComplaintView
from store.complaints import MAX_PAGE_SIZE, list_complaints

router = APIRouter(route_class=ConsoleRoute)

# How many timeline events each inbox card shows; the complaint page has them all.
HISTORY_EVENTS = 5
MAX_DESCRIPTION_SHOWN = 400


def _pending_approvals(
    session: Session, *, hide: str | None
) -> tuple[list[ComplaintView], int, int]:
    """Returns the views waiting for approval (the one due soonest first), how many were
    read and how many wait in all (more than a page only in a crisis)."""
    rows, total = list_complaints(
        session, status=ComplaintStatus.AWAITING_APPROVAL.value, limit=MAX_PAGE_SIZE
    )
    # The read model trails the workflow by a moment: the complaint just decided may still
    # be listed as waiting, so it is left out rather than offered for a second decision.
    views = [row.as_view() for row in rows if row.complaint_id != hide]
    pending = [view for view in views if view.approval is not None]
    pending.sort(key=lambda view: view.approval.due_at if view.approval else view.updated_at)
    return pending, len(rows), total


async def _inbox(
    request: Request,
    user: ConsoleUser,
    session: Session,
    *,
    status_code: int = 200,
    notice: tuple[str, str] | None = None,
    problem: ConsoleProblem | None = None,
    hide: str | None = None,
    failed_id: str | None = None,
    reason: str = "",
) -> Response:
    pending, listed, total = await run_in_threadpool(_pending_approvals, session, hide=hide)
    return render(
        request,
        "approvals.html",
        user=user,
        status_code=status_code,
        pending=pending,
        listed=listed,
        total=total,
        notice=notice,
        problem=problem,
        failed_id=failed_id,
        reason=reason,
        history_events=HISTORY_EVENTS,
        max_description=MAX_DESCRIPTION_SHOWN,
    )


@router.get("/approvals")
async def approvals_inbox(
    request: Request,
    user: SignedIn,
    session: SessionDep,
    decided: Annotated[str | None, Query(pattern=COMPLAINT_ID_PATTERN)] = None,
    outcome: Literal["approved", "rejected"] | None = None,
) -> Response:
    """Shows the proposals waiting for approval."""
    require(user, Permission.DECIDE_APPROVALS, "forbidden_approvals")
    notice = None
    if decided is not None and outcome is not None:
        notice = ("decided_approved" if outcome == "approved" else "decided_rejected", decided)
    return await _inbox(request, user, session, notice=notice, hide=decided)


@router.post("/approvals/{complaint_id}")
async def decide_approval(
    request: Request,
    complaint_id: ComplaintIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    decision: Annotated[Literal["approve", "reject"], Form()],
    reason: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Sends the decision to the complaint's workflow, then goes back to the inbox."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.DECIDE_APPROVALS, "forbidden_approvals")
    try:
        choice = ApprovalChoice(approved=decision == "approve", reason=reason.strip())
    except ValidationError:
        problem = ConsoleProblem(422, "reason_required")
        return await _inbox(
            request, user, session, status_code=422, problem=problem, failed_id=complaint_id
        )
    try:
        await send_approval_decision(
            temporal, session, complaint_id, approver=user.principal.user_id, choice=choice
        )
    except UPDATE_ERRORS as error:
        problem = refusal(error)
        return await _inbox(
            request,
            user,
            session,
            status_code=problem.status_code,
            problem=problem,
            failed_id=complaint_id,
            # Kept for the reject form only, so a rejection's reason need not be retyped.
            reason=reason if decision == "reject" else "",
        )
    outcome = "approved" if choice.approved else "rejected"
    return RedirectResponse(
        f"{CONSOLE_PREFIX}/approvals?decided={complaint_id}&outcome={outcome}", status_code=303
    )
