"""Reading a complaint and sending it updates: the one path the JSON routes and the console
share, so a decision taken in the console reaches the workflow exactly as one sent to
`POST /complaints/{id}/approval` does.

Errors are raised, never turned into responses here: `ApiError` (404, 409 closed),
`WorkflowUpdateFailedError` (the workflow refused) and `RPCError` (Temporal trouble). The
JSON routes let `api.errors` answer them; the console shows them on the page.
"""

from datetime import timedelta
from typing import TypeVar

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client, RPCTimeoutOrCancelledError, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import complaint_closed, complaint_not_found
from api.updates import update_case
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
from store.complaints import get_complaint
from workflows.complaints import ComplaintWorkflow

_Message = TypeVar("_Message", CustomerMessage, AgentAction, ApprovalDecision)

# A query needs a worker; past this the stored view answers instead of a hung request.
QUERY_TIMEOUT = timedelta(seconds=5)


async def current_complaint_view(
    temporal: Client, session: Session, complaint_id: str
) -> ComplaintView:
    """Returns the complaint's live state, or its stored view when the workflow cannot answer;
    raises the 404 when neither knows it."""
    handle = temporal.get_workflow_handle(complaint_workflow_id(complaint_id))
    try:
        return await handle.query(ComplaintWorkflow.view, rpc_timeout=QUERY_TIMEOUT)
    except RPCError as error:
        live_error: Exception = error
        if error.status is RPCStatusCode.NOT_FOUND:
            live_error = complaint_not_found(complaint_id)
    except (WorkflowQueryFailedError, RPCTimeoutOrCancelledError) as error:
        # No worker answered (for example while the stack restarts): the stored view will do.
        live_error = error
    record = await run_in_threadpool(get_complaint, session, complaint_id=complaint_id)
    if record is None:
        raise live_error
    return record.as_view()


async def update_complaint(
    temporal: Client,
    session: Session,
    complaint_id: str,
    update: UpdateMethodMultiParam[[ComplaintWorkflow, _Message], ActionResult],
    message: _Message,
) -> ActionResult:
    """Returns the result of sending `message` to the complaint's workflow as `update`."""

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
    )


async def send_approval_decision(
    temporal: Client, session: Session, complaint_id: str, *, approver: str, choice: ApprovalChoice
) -> ActionResult:
    """Returns the result of `approver`'s decision on the pending proposal (signed as theirs)."""
    decision = ApprovalDecision(approver=approver, **choice.model_dump())
    return await update_complaint(
        temporal, session, complaint_id, ComplaintWorkflow.decide_approval, decision
    )


async def send_agent_action(
    temporal: Client, session: Session, complaint_id: str, *, actor: str, action: AgentActionBody
) -> ActionResult:
    """Returns the result of `actor`'s action (reply, propose, assign, ...) on the complaint."""
    message = AgentAction(actor=actor, action=action)
    return await update_complaint(temporal, session, complaint_id, ComplaintWorkflow.act, message)
