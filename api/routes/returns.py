"""Return routes: open a return, read it, list them, and send it decisions.

The API holds no business rules: it starts, queries and updates `ReturnWorkflow`, and reads
the read model. Refusals come from the workflow's validators and map to HTTP codes in
`api.errors`; a return that is closed or unknown is told apart here (the workflow is gone).
"""

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from api.auth import (
    MayInspectReturns,
    MayOpenCases,
    MayReadCases,
    MayReviewReturns,
    MaySpeakForCustomer,
)
from api.case_summaries import ReturnSummary
from api.creation import CaseOpening, open_case
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import AUTH_RESPONSES, Problem
from api.ids import RETURN_ID_PATTERN, new_return_id, return_id_for_key
from api.paging import Offset
from api.return_calls import current_return_view, decide_return
from api.return_evidence_calls import photos_problem
from api.updates import UpdateKeyHeader, update_id_for
from core.links import CaseKind
from domain.case_summaries import return_summary
from domain.policy_document import PolicyVersion
from domain.returns import (
    ConsentDecision,
    InspectionFindings,
    InspectionReport,
    ReturnInput,
    ReturnOutcome,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
    ReturnView,
    ReviewChoice,
    ReviewDecision,
    return_workflow_id,
)
from domain.search_attributes import RETURN_REASON, RETURN_STATUS
from store.idempotency import MAX_RETURN_KEY_CHARS, claim_return_key
from store.returns import MAX_PAGE_SIZE, list_returns
from workflows.returns import ReturnWorkflow

router = APIRouter(prefix="/returns", tags=["returns"], responses=AUTH_RESPONSES)

ReturnId = Annotated[
    str,
    Path(
        pattern=RETURN_ID_PATTERN,
        description="The return's id, as returned when it was opened",
        examples=["RGMNI3VZPN5PW"],
    ),
]
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_RETURN_KEY_CHARS,
        description="Retrying with the same key and body returns the same return",
    ),
]

# Error bodies documented on routes (FastAPI's `responses=`).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such return"},
    422: {"model": Problem, "description": "The request is invalid (see `fields`)"},
}
UPDATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    409: {"model": Problem, "description": "The return refuses this now (or is closed)"},
}


class ReturnCreated(BaseModel):
    """Returns where to follow a return that was just opened."""

    return_id: str
    status: ReturnStatus
    status_url: str
    workflow_id: str
    # For the customer: a signed link token that opens this return alone (read it, answer
    # an offer), valid for `customer_link_days`. Send it as `Authorization: Bearer <token>`.
    customer_token: str
    # The same link as a page for the customer's browser (`/my/<token>`): follow the
    # return, reply, answer what it asks. Put it into messages to the customer.
    customer_url: str


class ReturnPage(BaseModel):
    """Returns one page of returns, newest first; `next` is the URL of the next page."""

    items: list[ReturnSummary]
    total: int
    limit: int
    offset: int
    next: str | None


def _search_attributes(request: ReturnRequest) -> TypedSearchAttributes:
    return TypedSearchAttributes(
        [
            SearchAttributePair(RETURN_STATUS, ReturnStatus.REQUESTED.value),
            SearchAttributePair(RETURN_REASON, request.reason.value),
        ]
    )


def _workflow_input(
    return_id: str, request: ReturnRequest, received_at: datetime, policy: PolicyVersion
) -> ReturnInput:
    # The return runs under the policy's newest version for its whole life (its windows,
    # deadlines and coupon: ReturnInput.policy).
    return ReturnInput(
        return_id=return_id,
        request=request,
        received_at=received_at,
        policy=policy.document.returns,
        policy_version=policy.version,
    )


RETURN_OPENING = CaseOpening[ReturnRequest](
    link_kind=CaseKind.RETURN,
    status_path=router.prefix,
    new_id=new_return_id,
    id_for_key=return_id_for_key,
    claim_key=lambda session, key, body_hash, case_id, now: claim_return_key(
        session, key=key, request_hash=body_hash, return_id=case_id, now=now
    ),
    workflow_id=return_workflow_id,
    run=ReturnWorkflow.run,
    workflow_input=_workflow_input,
    search_attributes=_search_attributes,
    summary=return_summary,
)


@router.post(
    "",
    status_code=201,
    response_model=ReturnCreated,
    responses={
        200: {"model": ReturnCreated, "description": "Replayed: this key opened it before"},
        **PROBLEM_RESPONSES,
    },
)
async def open_return(
    return_request: ReturnRequest,
    response: Response,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    caller: MayOpenCases,
    idempotency_key: IdempotencyKeyHeader = None,
) -> ReturnCreated:
    """Opens a return by starting its workflow; retries with one `Idempotency-Key` are safe."""
    opened = await open_case(
        RETURN_OPENING,
        return_request,
        idempotency_key,
        session=session,
        response=response,
        temporal=temporal,
        settings=settings,
    )
    return ReturnCreated(
        return_id=opened.case_id,
        status=ReturnStatus.REQUESTED,
        status_url=opened.status_url,
        workflow_id=opened.workflow_id,
        customer_token=opened.customer_token,
        customer_url=opened.customer_url,
    )


@router.get(
    "/{return_id}", name="get_return", response_model=ReturnView, responses=PROBLEM_RESPONSES
)
async def read_return(
    return_id: ReturnId, session: SessionDep, temporal: TemporalDep, caller: MayReadCases
) -> ReturnView:
    """Returns the return's live state, or its stored view once the workflow is gone."""
    return await current_return_view(temporal, session, return_id)


@router.get("", name="list_returns", response_model=ReturnPage, responses=PROBLEM_RESPONSES)
async def list_return_summaries(
    request: Request,
    session: SessionDep,
    caller: MayReadCases,
    status: ReturnStatus | None = None,
    reason: ReturnReason | None = None,
    outcome: ReturnOutcome | None = None,
    courier: Annotated[str | None, Query(max_length=64, description="The carrier")] = None,
    overdue: Annotated[bool | None, Query(description="Only overdue (or not)")] = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Offset = 0,
) -> ReturnPage:
    """Lists returns from the read model, newest first, with the total matching."""
    rows, total = await run_in_threadpool(
        list_returns,
        session,
        status=status,
        reason=reason,
        outcome=outcome,
        courier=courier,
        overdue=overdue,
        customer_id=customer_id,
        limit=limit,
        offset=offset,
    )
    next_url = None
    if offset + limit < total:
        params = dict(request.query_params) | {"offset": str(offset + limit)}
        next_url = f"{request.url.path}?{urlencode(params)}"
    return ReturnPage(
        items=[ReturnSummary.model_validate(row, from_attributes=True) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
        next=next_url,
    )


@router.post("/{return_id}/consent", response_model=ReturnView, responses=UPDATE_RESPONSES)
async def give_consent(
    return_id: ReturnId,
    decision: ConsentDecision,
    session: SessionDep,
    temporal: TemporalDep,
    caller: MaySpeakForCustomer,
    idempotency_key: UpdateKeyHeader = None,
) -> ReturnView:
    """Records the customer's answer to the plan the return proposed (`give_consent`)."""
    return await decide_return(
        temporal,
        session,
        return_id,
        ReturnWorkflow.give_consent,
        decision,
        update_id=update_id_for("give_consent", caller.user_id, idempotency_key),
    )


@router.post(
    "/{return_id}/inspection",
    response_model=ReturnView,
    responses=UPDATE_RESPONSES,
    tags=["warehouse"],
)
async def report_inspection(
    return_id: ReturnId,
    findings: InspectionFindings,
    session: SessionDep,
    temporal: TemporalDep,
    caller: MayInspectReturns,
    idempotency_key: UpdateKeyHeader = None,
) -> ReturnView:
    """Records the warehouse's inspection of the returned parcel (`report_inspection`);
    its `photos` are files uploaded to the return first (`POST /returns/{id}/evidence`)."""
    unheld = await photos_problem(session, return_id, findings.photos)
    if unheld is not None:
        raise unheld
    report = InspectionReport(inspector=caller.user_id, **findings.model_dump())
    return await decide_return(
        temporal,
        session,
        return_id,
        ReturnWorkflow.report_inspection,
        report,
        update_id=update_id_for("report_inspection", caller.user_id, idempotency_key),
    )


@router.post("/{return_id}/review", response_model=ReturnView, responses=UPDATE_RESPONSES)
async def decide_review(
    return_id: ReturnId,
    choice: ReviewChoice,
    session: SessionDep,
    temporal: TemporalDep,
    caller: MayReviewReturns,
    idempotency_key: UpdateKeyHeader = None,
) -> ReturnView:
    """Records a person's decision on a return in manual review (`decide_review`)."""
    decision = ReviewDecision(reviewer=caller.user_id, **choice.model_dump())
    return await decide_return(
        temporal,
        session,
        return_id,
        ReturnWorkflow.decide_review,
        decision,
        update_id=update_id_for("decide_review", caller.user_id, idempotency_key),
    )


@router.post("/{return_id}/settlement-retry", response_model=ReturnView, responses=UPDATE_RESPONSES)
async def retry_settlement(
    return_id: ReturnId,
    choice: ReviewChoice,
    session: SessionDep,
    temporal: TemporalDep,
    caller: MayReviewReturns,
    idempotency_key: UpdateKeyHeader = None,
) -> ReturnView:
    """Retries a settlement that failed for good and was undone (`retry_settlement`)."""
    decision = ReviewDecision(reviewer=caller.user_id, **choice.model_dump())
    return await decide_return(
        temporal,
        session,
        return_id,
        ReturnWorkflow.retry_settlement,
        decision,
        update_id=update_id_for("retry_settlement", caller.user_id, idempotency_key),
    )
