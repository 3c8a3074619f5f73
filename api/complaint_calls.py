"""Reading a complaint and sending it updates: the one path the JSON routes and the console
share, so a decision taken in the console reaches the workflow exactly as one sent to
`POST /complaints/{id}/approval` does.

Errors are raised, never turned into responses here: `ApiError` (404, 409 closed),
`WorkflowUpdateFailedError` (the workflow refused) and `RPCError` (Temporal trouble). The
JSON routes let `api.errors` answer them; the console shows them on the page.
"""

from typing import TypeVar

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client
from temporalio.workflow import UpdateMethodMultiParam

from api.auth import Principal
from api.errors import ApiError, FieldProblem, complaint_closed, complaint_not_found
from api.live_views import QUERY_TIMEOUT, stored_or_live, with_survey_events
from api.updates import update_case
from domain.access import Permission
from domain.bounces import BouncedNotification
from domain.compensation import ResolutionProposal
from domain.complaints import (
    ActionResult,
    AgentAction,
    AgentActionBody,
    ApprovalChoice,
    ApprovalDecision,
    ComplaintView,
    CustomerMessage,
    complaint_workflow_id,
)
from domain.evidence import EvidenceNotice
from domain.resolution_preview import ResolutionPreview
from domain.surveys import CaseKind as SurveyCaseKind
from store.complaints import get_complaint
from workflows.complaints import ComplaintWorkflow

# The mail gateway sends bounces the same way (`inbound.mail.actions`).
_Message = TypeVar(
    "_Message", CustomerMessage, AgentAction, ApprovalDecision, BouncedNotification, EvidenceNotice
)


async def current_complaint_view(
    temporal: Client, session: Session, complaint_id: str
) -> ComplaintView:
    """Returns the complaint's stored view (its live state before its first projection),
    with its survey's events; raises the 404 when neither knows it."""
    handle = temporal.get_workflow_handle(complaint_workflow_id(complaint_id))

    async def stored() -> ComplaintView | None:
        record = await run_in_threadpool(get_complaint, session, complaint_id=complaint_id)
        return record.as_view() if record is not None else None

    view = await stored_or_live(
        stored,
        lambda: handle.query(ComplaintWorkflow.view, rpc_timeout=QUERY_TIMEOUT),
        unknown=complaint_not_found(complaint_id),
    )
    return await with_survey_events(session, view, SurveyCaseKind.COMPLAINT, complaint_id)


async def update_complaint(
    temporal: Client,
    session: Session,
    complaint_id: str,
    update: UpdateMethodMultiParam[[ComplaintWorkflow, _Message], ActionResult],
    message: _Message,
    *,
    update_id: str | None = None,
) -> ActionResult:
    """Returns the result of sending `message` to the complaint's workflow as `update`
    (of the earlier update with `update_id`, when there was one)."""

    async def stored() -> bool:
        found = await run_in_threadpool(get_complaint, session, complaint_id=complaint_id)
        return found is not None

    return await update_case(
        temporal.get_workflow_handle(complaint_workflow_id(complaint_id)),
        update,
        message,
        closed=complaint_closed(complaint_id),
        unknown=complaint_not_found(complaint_id),
        stored=stored,
        update_id=update_id,
    )


async def send_approval_decision(
    temporal: Client,
    session: Session,
    complaint_id: str,
    *,
    approver: str,
    choice: ApprovalChoice,
    update_id: str | None = None,
) -> ActionResult:
    """Returns the result of `approver`'s decision on the pending proposal (signed as theirs)."""
    decision = ApprovalDecision(approver=approver, **choice.model_dump())
    return await update_complaint(
        temporal,
        session,
        complaint_id,
        ComplaintWorkflow.decide_approval,
        decision,
        update_id=update_id,
    )


async def send_agent_action(
    temporal: Client,
    session: Session,
    complaint_id: str,
    *,
    actor: str,
    action: AgentActionBody,
    update_id: str | None = None,
) -> ActionResult:
    """Returns the result of `actor`'s action (reply, propose, assign, ...) on the complaint."""
    message = AgentAction(actor=actor, action=action)
    return await update_complaint(
        temporal, session, complaint_id, ComplaintWorkflow.act, message, update_id=update_id
    )


def works_on(caller: Principal, view: ComplaintView) -> bool:
    """Returns whether `caller` may act on the complaint: it is assigned to them, or they
    may work any complaint (supervisors, admins)."""
    return caller.may(Permission.WORK_ANY_COMPLAINT) or view.assignee == caller.user_id


def root_cause_required(field: str) -> ApiError:
    """Returns the 422 for a final resolution proposed without a root cause."""
    problem = "a final resolution closes the complaint resolved: say what caused it"
    return ApiError(
        422,
        "validation_failed",
        f"invalid fields: {field}; {problem}",
        fields=[FieldProblem(field=field, problem=problem)],
    )


async def preview_resolution(
    temporal: Client, complaint_id: str, proposal: ResolutionProposal
) -> ResolutionPreview:
    """Returns what the complaint's workflow would do with `proposal` now, under the policy
    it runs by (its `preview_resolution` query); nothing is sent or changed."""
    handle = temporal.get_workflow_handle(complaint_workflow_id(complaint_id))
    return await handle.query(
        ComplaintWorkflow.preview_resolution, proposal, rpc_timeout=QUERY_TIMEOUT
    )
