"""Service-recovery tasks: the supervisor's list, one task with what opened it, and the
report that closes it (`complete_recovery` on the workflow that holds the task).

A low survey answer opens a task (`SurveyWorkflow`; the task's id is the survey's, and
one survey opens at most one), and so does a failure of service on a complaint: a
compensation undone, a critical complaint's deadline breached, a complaint closed
without the customer's answer (`ServiceRecoveryWorkflow`; the task's id is
`recovery-<complaint id>-<failure>`, one per complaint and failure). Both kinds are
listed, read and completed alike.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.auth import MayRecoverService
from api.deps import SessionDep, TemporalDep
from api.errors import AUTH_RESPONSES, problem_responses
from api.paging import Offset, next_offset_url
from api.recovery_calls import (
    RECOVERY_TASK_ID_PATTERN,
    RecoveryTaskView,
    recovery_task_view,
    send_recovery_report,
)
from api.updates import UpdateKeyHeader, update_id_for
from domain.service_failures import ServiceFailure
from domain.surveys import (
    CaseKind,
    RecoveryCompletion,
    RecoveryReport,
    RecoveryStatus,
    SurveyAnswer,
)
from store.surveys import MAX_PAGE_SIZE, list_recovery_tasks
from store.tables.surveys import MAX_TASK_ID_CHARS, RecoveryTaskRecord

router = APIRouter(prefix="/recovery-tasks", tags=["recovery"], responses=AUTH_RESPONSES)

TaskId = Annotated[
    str,
    Path(
        pattern=RECOVERY_TASK_ID_PATTERN,
        max_length=MAX_TASK_ID_CHARS,
        description="The task's id: the id of the survey whose answer opened it, or "
        "`recovery-<complaint id>-<failure>` for a failure of service",
        examples=["survey-complaint-CGMNI3VZPN5PW", "recovery-CGMNI3VZPN5PW-compensation_undone"],
    ),
]

_RESPONSES = problem_responses("recovery task")
_UPDATE_RESPONSES = problem_responses("recovery task", refusal="The task is done or lapsed")


class RecoveryTaskSummary(BaseModel):
    """Returns one recovery task as the list shows it."""

    task_id: str
    case_kind: CaseKind
    case_id: str
    customer_id: str
    assignee: str
    team: str | None
    status: RecoveryStatus
    reason: str
    # What failed, for a task a failure of service opened (`reason` says what happened);
    # null for a survey's.
    failure: ServiceFailure | None
    coupon_amount: Decimal | None
    currency: str | None
    created_at: datetime
    due_at: datetime
    completed_by: str | None
    completed_at: datetime | None
    note: str | None


class RecoveryTaskPage(BaseModel):
    """Returns one page of recovery tasks, the longest-waiting customer first."""

    items: list[RecoveryTaskSummary]
    total: int
    limit: int
    offset: int
    next: str | None


class RecoveryTaskDetail(BaseModel):
    """Returns a recovery task with what opened it (a survey's answer, or a failure of
    service) and its case."""

    task_id: str
    case_kind: CaseKind
    case_id: str
    customer_id: str
    team: str | None
    agent_id: str | None
    assignee: str
    status: RecoveryStatus
    reason: str
    # What failed, for a task a failure of service opened (`reason` says what happened);
    # null for a survey's.
    failure: ServiceFailure | None
    # The customer's low answer, comment included (null for a failure's task).
    answer: SurveyAnswer | None
    answered_at: datetime | None
    # The win-back coupon the workflow gave at once, if the policy offers one.
    coupon_amount: Decimal | None
    currency: str | None
    coupon_reference: str | None
    opened_at: datetime
    due_at: datetime
    completed_by: str | None
    completed_at: datetime | None
    note: str | None
    customer_response: str | None


def _summary(row: RecoveryTaskRecord) -> RecoveryTaskSummary:
    return RecoveryTaskSummary(
        task_id=row.task_id,
        case_kind=CaseKind(row.case_kind),
        case_id=row.case_id,
        customer_id=row.customer_id,
        assignee=row.assignee,
        team=row.team,
        status=RecoveryStatus(row.status),
        reason=row.reason,
        failure=ServiceFailure(row.failure) if row.failure else None,
        coupon_amount=row.coupon_amount,
        currency=row.currency,
        created_at=row.created_at,
        due_at=row.due_at,
        completed_by=row.completed_by,
        completed_at=row.completed_at,
        note=row.note,
    )


def _detail(view: RecoveryTaskView) -> RecoveryTaskDetail:
    task = view.task
    return RecoveryTaskDetail(
        task_id=view.task_id,
        case_kind=view.case_kind,
        case_id=view.case_id,
        customer_id=view.customer_id,
        team=view.team,
        agent_id=view.agent_id,
        assignee=task.assignee,
        status=task.status,
        reason=task.reason,
        failure=task.failure,
        answer=view.answer,
        answered_at=view.answered_at,
        coupon_amount=task.coupon_amount,
        currency=task.currency,
        coupon_reference=task.coupon_reference,
        opened_at=task.opened_at,
        due_at=task.due_at,
        completed_by=task.completed_by,
        completed_at=task.completed_at,
        note=task.note,
        customer_response=task.customer_response,
    )


@router.get("", name="list_recovery_tasks", response_model=RecoveryTaskPage, responses=_RESPONSES)
async def list_recovery_task_summaries(
    request: Request,
    session: SessionDep,
    caller: MayRecoverService,
    status: RecoveryStatus | None = None,
    team: Annotated[str | None, Query(max_length=64, description="The case's team")] = None,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Offset = 0,
) -> RecoveryTaskPage:
    """Lists recovery tasks, the longest-waiting customer first, with the total matching."""
    rows, total = await run_in_threadpool(
        list_recovery_tasks,
        session,
        status=status.value if status else None,
        team=team,
        assignee=assignee,
        limit=limit,
        offset=offset,
    )
    return RecoveryTaskPage(
        items=[_summary(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
        next=next_offset_url(request, offset=offset, limit=limit, total=total),
    )


@router.get(
    "/{task_id}", name="get_recovery_task", response_model=RecoveryTaskDetail, responses=_RESPONSES
)
async def read_recovery_task(
    task_id: TaskId, session: SessionDep, temporal: TemporalDep, caller: MayRecoverService
) -> RecoveryTaskDetail:
    """Returns the task with what opened it (the customer's answer, or the failure), the
    coupon given and the time left."""
    return _detail(await recovery_task_view(temporal, session, task_id))


@router.post("/{task_id}/complete", response_model=RecoveryTaskDetail, responses=_UPDATE_RESPONSES)
async def complete_recovery_task(
    task_id: TaskId,
    completion: RecoveryCompletion,
    session: SessionDep,
    temporal: TemporalDep,
    caller: MayRecoverService,
    idempotency_key: UpdateKeyHeader = None,
) -> RecoveryTaskDetail:
    """Records what was done for the customer and closes the task (`complete_recovery`);
    a retry with the same `Idempotency-Key` returns the same answer and records nothing."""
    report = RecoveryReport(supervisor=caller.user_id, **completion.model_dump())
    update_id = update_id_for("complete_recovery", caller.user_id, idempotency_key)
    return _detail(
        await send_recovery_report(temporal, session, task_id, report, update_id=update_id)
    )
