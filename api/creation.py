"""Opening a case (complaint or return) once per `Idempotency-Key`.

A key maps to one case id: the same key with the same body replays the first answer, the
same key with another body is refused, and concurrent requests race on the key's row so
exactly one wins. A replay answers byte for byte what the first request answered: the
customer's link is issued from when the key was claimed, not from when the replay came.
Replays start the workflow again too (an id-reuse policy makes that a no-op), in case the
first request stopped between claiming the key and starting it.

Each kind of case describes itself once (`CaseOpening`: its ids, its workflow, its search
attributes, its customer link); `open_case` does the rest the same way for every kind.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from fastapi import Response
from pydantic import BaseModel
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client
from temporalio.common import (
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.errors import idempotency_key_reused
from api.ids import request_hash
from core.links import CaseKind, case_link_token, case_page_url
from core.settings import Settings
from domain.policy_document import PolicyVersion
from store.idempotency import KeyClaim
from store.policies import current_policy

# Claims a key in the store: (session, key, request hash, case id derived from the key,
# now) -> the winning row.
KeyClaimer = Callable[[Session, str, str, str, datetime], KeyClaim]

Body = TypeVar("Body", bound=BaseModel)


@dataclass(frozen=True)
class CaseOpening(Generic[Body]):
    """What opening one kind of case needs to know; `Body` is what a client sends."""

    # The case's customer links name this kind.
    link_kind: CaseKind
    # Where the case is read: `<status_path>/<case id>`.
    status_path: str
    new_id: Callable[[], str]
    # The id a key always maps to, so concurrent retries share one.
    id_for_key: Callable[[str], str]
    claim_key: KeyClaimer
    workflow_id: Callable[[str], str]
    # The workflow's `run` method.
    run: Callable[[Any, Any], Awaitable[Any]]
    # The workflow's input: (case id, body, received at, the policy's newest version).
    workflow_input: Callable[[str, Body, datetime, PolicyVersion], BaseModel]
    search_attributes: Callable[[Body], TypedSearchAttributes]
    # The line ops read beside the workflow in the Temporal UI: (case id, body).
    summary: Callable[[str, Body], str]


@dataclass(frozen=True)
class CaseClaim:
    """The case a request opens, whether an earlier request with its key opened it, and
    when the key was first claimed (when the request came, without a key)."""

    case_id: str
    replayed: bool
    claimed_at: datetime


@dataclass(frozen=True)
class OpenedCase:
    """Returns where to follow a case that was just opened, and the customer's link."""

    case_id: str
    status_url: str
    workflow_id: str
    customer_token: str
    customer_url: str


async def claim_case(
    opening: CaseOpening[Body], body: Body, idempotency_key: str | None, session: Session
) -> CaseClaim:
    """Returns the case this request opens; raises the 422 for a key sent again with
    another body."""
    if idempotency_key is None:
        return CaseClaim(opening.new_id(), replayed=False, claimed_at=datetime.now(UTC))
    body_hash = request_hash(body.model_dump_json())
    won = await run_in_threadpool(
        opening.claim_key,
        session,
        idempotency_key,
        body_hash,
        opening.id_for_key(idempotency_key),
        datetime.now(UTC),
    )
    if won.record.request_hash != body_hash:
        raise idempotency_key_reused(opening.link_kind.value)
    # The shared key table names its id column after complaints; it holds either kind.
    return CaseClaim(
        won.record.complaint_id, replayed=not won.created, claimed_at=won.record.created_at
    )


async def start_case_workflow(
    temporal: Client,
    opening: CaseOpening[Body],
    *,
    session: Session,
    task_queue: str,
    case_id: str,
    body: Body,
) -> None:
    """Starts the case's workflow under the policy's newest version; one that already runs
    under the id counts as started (and keeps the version it started under)."""
    policy = await run_in_threadpool(current_policy, session)
    try:
        await temporal.start_workflow(
            opening.run,
            opening.workflow_input(case_id, body, datetime.now(UTC), policy),
            id=opening.workflow_id(case_id),
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=opening.search_attributes(body),
            static_summary=opening.summary(case_id, body),
        )
    except WorkflowAlreadyStartedError:
        # Only ids derived from an idempotency key repeat (random ids have 60 bits):
        # an earlier request with the same key started it.
        pass


def answer_created(response: Response, status_url: str, replayed: bool) -> None:
    """Sets 201 + Location, or 200 + `Idempotent-Replayed` for a replay."""
    response.headers["Location"] = status_url
    if replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"


async def open_case(
    opening: CaseOpening[Body],
    body: Body,
    idempotency_key: str | None,
    *,
    session: Session,
    response: Response,
    temporal: Client,
    settings: Settings,
) -> OpenedCase:
    """Opens a case, once per key: claims its id, starts its workflow and answers 201 with
    a `Location` (200 for a replay); returns where to follow it and the customer's link."""
    claim = await claim_case(opening, body, idempotency_key, session)
    # A replay starts the workflow too, in case the first request stopped before doing so.
    await start_case_workflow(
        temporal,
        opening,
        session=session,
        task_queue=settings.complaint_task_queue,
        case_id=claim.case_id,
        body=body,
    )
    status_url = f"{opening.status_path}/{claim.case_id}"
    answer_created(response, status_url, claim.replayed)
    customer_token = case_link_token(
        settings.secret_key,
        kind=opening.link_kind,
        case_id=claim.case_id,
        days=settings.customer_link_days,
        issued_at=claim.claimed_at,
    )
    return OpenedCase(
        case_id=claim.case_id,
        status_url=status_url,
        workflow_id=opening.workflow_id(claim.case_id),
        customer_token=customer_token,
        customer_url=case_page_url(settings.effective_public_base_url, customer_token),
    )
