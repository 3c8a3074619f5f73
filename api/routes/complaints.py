"""Complaint routes: open a complaint, read it, list them, and send it updates.

The API holds no business rules: it starts, queries and updates `ComplaintWorkflow`, and
reads the read model. Errors map to HTTP codes in `api.errors`.
"""

import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from api.auth import (
    MayDecideApprovals,
    MayOpenCases,
    MayReadCases,
    MaySpeakForCustomer,
    MayWorkComplaints,
    Principal,
    forbidden,
)
from api.canned_reply_calls import check_reply_template, count_reply_from_template
from api.case_summaries import ComplaintSummary
from api.complaint_calls import (
    current_complaint_view,
    root_cause_required,
    send_agent_action,
    send_approval_decision,
    update_complaint,
    works_on,
)
from api.creation import CaseOpening, open_case
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import (
    AUTH_RESPONSES,
    PROBLEM_RESPONSES,
    UPDATE_RESPONSES,
    ApiError,
    FieldProblem,
)
from api.ids import COMPLAINT_ID_PATTERN, complaint_id_for_key, new_complaint_id
from api.paging import Offset
from api.updates import UpdateKeyHeader, update_id_for
from core.links import CaseKind
from domain.access import Permission
from domain.case_summaries import complaint_summary
from domain.complaint_rules import missing_root_cause
from domain.complaints import (
    ActionResult,
    AgentActionRequest,
    ApprovalChoice,
    AssignAction,
    ComplaintInput,
    ComplaintIntake,
    ComplaintStatus,
    ComplaintView,
    CustomerMessage,
    complaint_workflow_id,
)
from domain.internal_notes import customer_copy
from domain.policy_document import PolicyVersion
from domain.search_attributes import COMPLAINT_STATUS, CUSTOMER_TIER, ORDER_ID
from domain.taxonomy import Category, Tier
from store.complaint_queue import team_names
from store.complaints import complaint_cursor, list_complaints
from store.idempotency import claim_idempotency_key
from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS
from workflows.complaints import ComplaintWorkflow

router = APIRouter(prefix="/complaints", tags=["complaints"], responses=AUTH_RESPONSES)

ComplaintId = Annotated[
    str,
    Path(
        pattern=COMPLAINT_ID_PATTERN,
        description="The complaint's id, as returned when it was opened",
        examples=["CGMNI3VZPN5PW"],
    ),
]
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_IDEMPOTENCY_KEY_CHARS,
        description="Retrying with the same key and body returns the same complaint",
    ),
]


class ComplaintCreated(BaseModel):
    """Returns where to follow a complaint that was just opened."""

    complaint_id: str
    status: ComplaintStatus
    status_url: str
    workflow_id: str
    # For the customer: a signed link token that opens this complaint alone (read it,
    # reply), valid for `customer_link_days`. Send it as `Authorization: Bearer <token>`.
    customer_token: str
    # The same link as a page for the customer's browser (`/my/<token>`): follow the
    # complaint, reply, answer what it asks. Put it into messages to the customer.
    customer_url: str


class ComplaintPage(BaseModel):
    """Returns one page of complaints, newest first; `next` is the URL of the next page."""

    items: list[ComplaintSummary]
    total: int
    limit: int
    offset: int
    next: str | None


def _search_attributes(intake: ComplaintIntake) -> TypedSearchAttributes:
    pairs: list[SearchAttributePair[str]] = [
        SearchAttributePair(CUSTOMER_TIER, intake.customer.tier.value),
        SearchAttributePair(COMPLAINT_STATUS, ComplaintStatus.RECEIVED.value),
    ]
    if intake.order is not None:
        pairs.append(SearchAttributePair(ORDER_ID, intake.order.order_id))
    return TypedSearchAttributes(pairs)


def _workflow_input(
    complaint_id: str, intake: ComplaintIntake, received_at: datetime, policy: PolicyVersion
) -> ComplaintInput:
    # The complaint runs under the policy's newest version for its whole life, and so
    # does any return its resolution starts (ComplaintInput.policy, .return_policy).
    return ComplaintInput(
        complaint_id=complaint_id,
        intake=intake,
        received_at=received_at,
        policy=policy.document.complaints,
        return_policy=policy.document.returns,
        policy_version=policy.version,
    )


# How a complaint opens; `POST /mentions` opens complaints this way too.
COMPLAINT_OPENING = CaseOpening[ComplaintIntake](
    link_kind=CaseKind.COMPLAINT,
    status_path=router.prefix,
    new_id=new_complaint_id,
    id_for_key=complaint_id_for_key,
    claim_key=lambda session, key, body_hash, case_id, now: claim_idempotency_key(
        session, key=key, request_hash=body_hash, complaint_id=case_id, now=now
    ),
    workflow_id=complaint_workflow_id,
    run=ComplaintWorkflow.run,
    workflow_input=_workflow_input,
    search_attributes=_search_attributes,
    summary=complaint_summary,
)


@router.post(
    "",
    status_code=201,
    response_model=ComplaintCreated,
    responses={
        200: {"model": ComplaintCreated, "description": "Replayed: this key opened it before"},
        **PROBLEM_RESPONSES,
    },
)
async def open_complaint(
    intake: ComplaintIntake,
    response: Response,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    caller: MayOpenCases,
    idempotency_key: IdempotencyKeyHeader = None,
) -> ComplaintCreated:
    """Opens a complaint by starting its workflow; retries with one `Idempotency-Key` are safe."""
    opened = await open_case(
        COMPLAINT_OPENING,
        intake,
        idempotency_key,
        session=session,
        response=response,
        temporal=temporal,
        settings=settings,
    )
    return ComplaintCreated(
        complaint_id=opened.case_id,
        status=ComplaintStatus.RECEIVED,
        status_url=opened.status_url,
        workflow_id=opened.workflow_id,
        customer_token=opened.customer_token,
        customer_url=opened.customer_url,
    )


@router.get(
    "/{complaint_id}",
    name="get_complaint",
    response_model=ComplaintView,
    responses=PROBLEM_RESPONSES,
)
async def read_complaint(
    complaint_id: ComplaintId, session: SessionDep, temporal: TemporalDep, caller: MayReadCases
) -> ComplaintView:
    """Returns the complaint's live state, or its stored view once the workflow is gone
    (to a customer's link, without the staff's internal notes)."""
    view = await current_complaint_view(temporal, session, complaint_id)
    return customer_copy(view) if caller.link is not None else view


@router.get("", name="list_complaints", response_model=ComplaintPage, responses=PROBLEM_RESPONSES)
async def list_complaint_summaries(
    request: Request,
    session: SessionDep,
    caller: MayReadCases,
    status: ComplaintStatus | None = None,
    category: Category | None = None,
    tier: Tier | None = None,
    breached: Annotated[bool | None, Query(description="Only SLA-breached (or not)")] = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
    after: Annotated[
        str | None,
        Query(max_length=500, description="Cursor from a `next` link: stable while new arrive"),
    ] = None,
) -> ComplaintPage:
    """Lists complaints from the read model, newest first, with the total matching."""
    rows, total = await run_in_threadpool(
        list_complaints,
        session,
        status=status,
        category=category,
        tier=tier,
        sla_breached=breached,
        customer_id=customer_id,
        assignee=assignee,
        limit=limit,
        offset=offset,
        after=after,
    )
    next_url = None
    if offset > 0:  # page numbers: the next page is the next offset
        if offset + limit < total:
            next_url = _page_url(request, offset=str(offset + limit))
    elif rows and len(rows) == limit and (after is not None or limit < total):
        # From the top or from a cursor, continue after the last row: stable while new
        # complaints arrive (a last full page may be followed by an empty one).
        next_url = _page_url(request, after=complaint_cursor(rows[-1]))
    return ComplaintPage(
        items=[ComplaintSummary.model_validate(row, from_attributes=True) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
        next=next_url,
    )


def _page_url(request: Request, **changes: str) -> str:
    params = dict(request.query_params) | changes
    return f"{request.url.path}?{urlencode(params)}"


@router.post("/{complaint_id}/messages", response_model=ActionResult, responses=UPDATE_RESPONSES)
async def send_customer_message(
    complaint_id: ComplaintId,
    message: CustomerMessage,
    temporal: TemporalDep,
    session: SessionDep,
    caller: MaySpeakForCustomer,
    idempotency_key: UpdateKeyHeader = None,
) -> ActionResult:
    """Delivers the customer's reply to the complaint (the `customer_reply` update)."""
    return await update_complaint(
        temporal,
        session,
        complaint_id,
        ComplaintWorkflow.customer_reply,
        message,
        update_id=update_id_for("customer_reply", caller.user_id, idempotency_key),
    )


@router.post("/{complaint_id}/actions", response_model=ActionResult, responses=UPDATE_RESPONSES)
async def take_agent_action(
    complaint_id: ComplaintId,
    body: AgentActionRequest,
    temporal: TemporalDep,
    session: SessionDep,
    caller: MayWorkComplaints,
    idempotency_key: UpdateKeyHeader = None,
) -> ActionResult:
    """Applies an agent's action: reply, request info, internal note, reclassify,
    propose a resolution, assign (or transfer to another team).

    Agents act on complaints assigned to them; assigning needs a supervisor. A note is
    for staff only: it is never sent to the customer nor published to platforms. A final
    proposal (one that closes the complaint resolved) must name its `root_cause`. A reply
    started from a canned reply names it (`canned_reply_id`), counted once it is sent.
    """
    if missing_root_cause(body.action):
        raise root_cause_required("action.proposal.root_cause")
    if isinstance(body.action, AssignAction):
        if not caller.may(Permission.ASSIGN_COMPLAINTS):
            raise forbidden("only a supervisor may assign complaints")
        if body.action.team is not None:
            await _check_team_exists(session, body.action.team)
    elif not caller.may(Permission.WORK_ANY_COMPLAINT):
        await _check_assigned_to(caller, temporal, session, complaint_id)
    template = body.canned_reply_id
    if template is not None:
        await run_in_threadpool(check_reply_template, session, template, field="canned_reply_id")
    update_id = update_id_for("act", caller.user_id, idempotency_key)
    result = await send_agent_action(
        temporal,
        session,
        complaint_id,
        actor=caller.user_id,
        action=body.action,
        update_id=update_id,
    )
    if template is not None:
        # Once per reply: a retry with the same key finds its use counted already.
        await run_in_threadpool(
            count_reply_from_template,
            session,
            canned_reply_id=template,
            complaint_id=complaint_id,
            agent=caller.user_id,
            reply_key=update_id or f"act/{caller.user_id}/{uuid.uuid4()}",
        )
    return result


async def _check_assigned_to(
    caller: Principal, temporal: Client, session: SessionDep, complaint_id: str
) -> None:
    view = await current_complaint_view(temporal, session, complaint_id)
    if not works_on(caller, view):
        raise forbidden(
            f"complaint {complaint_id} is assigned to {view.assignee or 'nobody'}, not to you; "
            "ask a supervisor to reassign it"
        )


async def _check_team_exists(session: SessionDep, team: str) -> None:
    if team not in await run_in_threadpool(team_names, session):
        raise ApiError(
            422,
            "validation_failed",
            f"invalid fields: action.team; there is no team {team!r}",
            fields=[FieldProblem(field="action.team", problem=f"no team is called {team!r}")],
        )


@router.post("/{complaint_id}/approval", response_model=ActionResult, responses=UPDATE_RESPONSES)
async def decide_approval(
    complaint_id: ComplaintId,
    choice: ApprovalChoice,
    temporal: TemporalDep,
    session: SessionDep,
    caller: MayDecideApprovals,
    idempotency_key: UpdateKeyHeader = None,
) -> ActionResult:
    """Records a supervisor's decision on the pending resolution proposal, signed as theirs."""
    return await send_approval_decision(
        temporal,
        session,
        complaint_id,
        approver=caller.user_id,
        choice=choice,
        update_id=update_id_for("decide_approval", caller.user_id, idempotency_key),
    )
