"""Reads and writes of the survey read model: survey results, and the service-recovery
tasks surveys and failures of service open."""

from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.surveys import CaseKind, RecoveryTask, SurveyProjection, SurveyView
from store.rollups import complaint_rollups_kept
from store.survey_timeline import add_survey_events
from store.tables.surveys import RecoveryTaskRecord, SurveyRecord
from store.upsert import insert_on_conflict

MAX_PAGE_SIZE = 200


def project_survey(session: Session, *, projection: SurveyProjection) -> None:
    """Stores a survey's view, its recovery task if it has one, and its events on the
    case's timeline, then commits.

    Replaying a projection changes nothing, and a view older than the stored one (a late
    retry) leaves the rows as they are.
    """
    view = projection.view
    with _complaint_rollups(session, view):
        upsert_newer(session, SurveyRecord, "survey_id", _survey_values(view))
    if view.recovery is not None:
        store_recovery_task(
            session,
            task_id=view.survey_id,
            task=view.recovery,
            case_kind=view.case_kind,
            case_id=view.case_id,
            customer_id=view.customer_id,
            updated_at=view.updated_at,
        )
    # The case's workflow has ended: its timeline learns of the survey only from here.
    add_survey_events(session, view=view)
    session.commit()
    # The upserts bypass the ORM: drop any copy of the rows this session already holds.
    session.expire_all()


def _complaint_rollups(session: Session, view: SurveyView) -> AbstractContextManager[None]:
    # A complaint's survey answers count in the daily roll-ups of complaint reports.
    if view.case_kind is CaseKind.COMPLAINT:
        return complaint_rollups_kept(session, complaint_id=view.case_id)
    return nullcontext()


def get_survey(session: Session, *, survey_id: str) -> SurveyRecord | None:
    """Returns the stored survey, or None if it was never projected."""
    return session.get(SurveyRecord, survey_id)


def list_recovery_tasks(
    session: Session,
    *,
    status: str | None = None,
    assignee: str | None = None,
    team: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[RecoveryTaskRecord], int]:
    """Returns one page of recovery tasks (oldest first: the longest-waiting customer comes
    first) matching every given filter, and the total."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be zero or more, got {offset}")
    filters = []
    if status is not None:
        filters.append(col(RecoveryTaskRecord.status) == status)
    if assignee is not None:
        filters.append(col(RecoveryTaskRecord.assignee) == assignee)
    if team is not None:
        filters.append(col(RecoveryTaskRecord.team) == team)
    total = session.exec(select(func.count()).select_from(RecoveryTaskRecord).where(*filters)).one()
    rows = session.exec(
        select(RecoveryTaskRecord)
        .where(*filters)
        .order_by(col(RecoveryTaskRecord.created_at), col(RecoveryTaskRecord.task_id))
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def upsert_newer(session: Session, table: Any, key: str, row: dict[str, Any]) -> None:
    """Inserts `row` into `table`, or updates the row with its `key` unless the stored one
    is newer (its `updated_at`). The caller commits."""
    upsert = insert_on_conflict(session, table).values(**row)
    session.exec(
        upsert.on_conflict_do_update(
            index_elements=[key],
            set_={name: upsert.excluded[name] for name in row if name != key},
            # `<=`: changes made in one workflow task share one timestamp.
            where=col(table.updated_at) <= upsert.excluded["updated_at"],
        )
    )


def _survey_values(view: SurveyView) -> dict[str, Any]:
    answer = view.answer
    return {
        "survey_id": view.survey_id,
        "case_kind": view.case_kind.value,
        "case_id": view.case_id,
        "status": view.status.value,
        "outcome": view.outcome.value if view.outcome else None,
        "customer_id": view.customer_id,
        "customer_tier": view.customer_tier.value,
        "locale": view.locale.value,
        "team": view.team,
        "agent_id": view.agent_id,
        "category": view.category.value if view.category else None,
        "csat": answer.csat if answer else None,
        "resolved": answer.resolved if answer else None,
        "nps": answer.nps if answer else None,
        "comment": answer.comment if answer and answer.comment else None,
        "low_score": view.low_score,
        "created_at": view.created_at,
        "updated_at": view.updated_at,
        "sent_at": view.sent_at,
        "reminded_at": view.reminded_at,
        "expires_at": view.expires_at,
        "answered_at": view.answered_at,
        "closed_at": view.closed_at,
        "view_json": view.model_dump_json(),
    }


def store_recovery_task(
    session: Session,
    *,
    task_id: str,
    task: RecoveryTask,
    case_kind: CaseKind,
    case_id: str,
    customer_id: str,
    updated_at: datetime,
) -> None:
    """Stores a recovery task's row, whichever workflow opened it, unless the stored row
    is newer. The caller commits."""
    row = {
        "task_id": task_id,
        "case_kind": case_kind.value,
        "case_id": case_id,
        "customer_id": customer_id,
        "assignee": task.assignee,
        "team": task.team,
        "status": task.status.value,
        "reason": task.reason,
        "failure": task.failure.value if task.failure else None,
        "coupon_amount": task.coupon_amount,
        "currency": task.currency,
        "coupon_reference": task.coupon_reference,
        "completed_by": task.completed_by,
        "note": task.note,
        "created_at": task.opened_at,
        "updated_at": updated_at,
        "due_at": task.due_at,
        "completed_at": task.completed_at,
    }
    upsert_newer(session, RecoveryTaskRecord, "task_id", row)
