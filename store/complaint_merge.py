"""What linking and merging duplicate complaints read and write in the store: the open
complaint a new one may repeat, the timeline a merge carries, and the evidence it copies
(`domain.complaint_merge` says what each means)."""

from sqlmodel import Session, col, select

from domain.complaint_merge import CARRIED_KINDS
from domain.complaints import ComplaintStatus, TimelineEvent
from store.tables.complaints import ComplaintRecord, TimelineEventRecord
from store.tables.evidence import CaseEvidence
from store.upsert import insert_on_conflict

COMPLAINT_KIND = "complaint"


def open_duplicate_of(
    session: Session, *, complaint_id: str, customer_id: str, order_id: str, category: str
) -> str | None:
    """Returns the id of the oldest open complaint, other than `complaint_id`, of the same
    customer about the same order in the same category; None when there is none."""
    query = (
        select(ComplaintRecord.complaint_id)
        .where(
            col(ComplaintRecord.customer_id) == customer_id,
            col(ComplaintRecord.order_id) == order_id,
            col(ComplaintRecord.category) == category,
            col(ComplaintRecord.status) != ComplaintStatus.CLOSED.value,
            col(ComplaintRecord.complaint_id) != complaint_id,
        )
        .order_by(col(ComplaintRecord.created_at), col(ComplaintRecord.complaint_id))
        .limit(1)
    )
    return session.exec(query).first()


def open_complaints_among(session: Session, *, complaint_ids: list[str]) -> set[str]:
    """Returns those of `complaint_ids` the read model holds as not closed."""
    if not complaint_ids:
        return set()
    query = select(ComplaintRecord.complaint_id).where(
        col(ComplaintRecord.complaint_id).in_(complaint_ids),
        col(ComplaintRecord.status) != ComplaintStatus.CLOSED.value,
    )
    return set(session.exec(query))


def carried_timeline(session: Session, *, complaint_id: str) -> list[TimelineEvent]:
    """Returns the complaint's stored timeline entries of the kinds a merge carries,
    oldest first."""
    query = (
        select(TimelineEventRecord)
        .where(
            col(TimelineEventRecord.complaint_id) == complaint_id,
            col(TimelineEventRecord.kind).in_([kind.value for kind in CARRIED_KINDS]),
        )
        .order_by(col(TimelineEventRecord.seq))
    )
    return [row.as_event() for row in session.exec(query)]


def copy_evidence(session: Session, *, from_complaint_id: str, to_complaint_id: str) -> int:
    """Gives `to_complaint_id` every evidence file `from_complaint_id` holds (the bytes are
    shared: files are kept by their hash), noting where each came from; a file it holds
    already is left as it is, so a repeat copies nothing. Returns how many rows were
    added, then commits."""
    rows = session.exec(
        select(CaseEvidence)
        .where(
            col(CaseEvidence.case_kind) == COMPLAINT_KIND,
            col(CaseEvidence.case_id) == from_complaint_id,
        )
        .order_by(col(CaseEvidence.id))
    ).all()
    added = 0
    for row in rows:
        copy = row.model_dump(exclude={"id", "case_id", "source_ref"}) | {
            "case_id": to_complaint_id,
            "source_ref": f"merged from {from_complaint_id}",
        }
        insert = insert_on_conflict(session, CaseEvidence).values(**copy)
        written = session.execute(
            insert.on_conflict_do_nothing(
                index_elements=["case_kind", "case_id", "sha256"]
            ).returning(col(CaseEvidence.id))
        ).first()
        added += written is not None
    session.commit()
    return added
