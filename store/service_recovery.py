"""Reads and writes of a failure's recovery task: its workflow's view, its row among the
recovery tasks (the inbox's list), and its outcome on the complaint's timeline."""

from sqlmodel import Session, col, select

from domain.service_recovery import ServiceRecoveryProjection, complaint_events
from store.projection import add_events
from store.surveys import store_recovery_task, upsert_newer
from store.tables import table_of
from store.tables.complaints import ComplaintRecord, TimelineEventRecord
from store.tables.surveys import ServiceRecoveryRecord


def project_service_recovery(session: Session, *, projection: ServiceRecoveryProjection) -> None:
    """Stores the recovery's view, its task's row, and its outcome on the complaint's
    timeline, then commits.

    Replaying a projection changes nothing, and a view older than the stored one (a late
    retry) leaves the rows as they are.
    """
    view = projection.view
    upsert_newer(
        session,
        ServiceRecoveryRecord,
        "task_id",
        {
            "task_id": view.task_id,
            "case_kind": view.case_kind.value,
            "case_id": view.case_id,
            "failure": view.failure.value,
            "created_at": view.created_at,
            "updated_at": view.updated_at,
            "view_json": view.model_dump_json(),
        },
    )
    store_recovery_task(
        session,
        task_id=view.task_id,
        task=view.recovery,
        case_kind=view.case_kind,
        case_id=view.case_id,
        customer_id=view.customer_id,
        updated_at=view.updated_at,
    )
    events = complaint_events(view)
    complaint = col(ComplaintRecord.complaint_id)
    # A complaint the store never held (a store restored from before it) has no timeline
    # to join: its rows would break the foreign key and fail every retry.
    if events and session.exec(select(complaint).where(complaint == view.case_id)).first():
        add_events(
            session,
            event_table=table_of(TimelineEventRecord),
            key="complaint_id",
            case_id=view.case_id,
            events=events,
        )
    session.commit()
    # The upserts bypass the ORM: drop any copy of the rows this session already holds.
    session.expire_all()


def get_service_recovery(session: Session, *, task_id: str) -> ServiceRecoveryRecord | None:
    """Returns the stored recovery of a failure, or None if it was never projected."""
    return session.get(ServiceRecoveryRecord, task_id)
