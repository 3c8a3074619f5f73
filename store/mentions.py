"""Mentions the listening route took: recorded once per post, linked to their complaint,
and listed newest first with the label staff gave each."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from domain.mention_labels import MentionDecision
from store.tables.mentions import MentionLabel, MentionRecord
from store.upsert import insert_on_conflict


def record_mention(session: Session, *, mention: MentionRecord) -> tuple[MentionRecord, bool]:
    """Stores `mention` unless its post is already stored, then commits; returns the stored
    row and whether this call stored it (concurrent posts race on the primary key)."""
    values = mention.model_dump()
    insert = insert_on_conflict(session, MentionRecord).values(**values)
    # RETURNING tells whether this call wrote the row: an ORM session reports no rowcount
    # for a Core insert on PostgreSQL (-1), which took every new post for a repeat.
    written = session.execute(
        insert.on_conflict_do_nothing(index_elements=["mention_id"]).returning(
            col(MentionRecord.mention_id)
        )
    ).first()
    session.commit()
    stored = session.get(MentionRecord, mention.mention_id, populate_existing=True)
    if stored is None:  # pragma: no cover - the row was just written or already there
        raise LookupError(f"mention {mention.mention_id} vanished after being recorded")
    return stored, written is not None


def link_complaint(session: Session, *, mention_id: str, complaint_id: str) -> None:
    """Records that the mention opened `complaint_id`, then commits (repeating is harmless)."""
    stored = session.get(MentionRecord, mention_id)
    if stored is not None and stored.complaint_id != complaint_id:
        stored.complaint_id = complaint_id
        session.add(stored)
        session.commit()


def get_mention(session: Session, *, mention_id: str) -> MentionRecord | None:
    """Returns the stored mention, or None."""
    return session.get(MentionRecord, mention_id)


@dataclass(frozen=True)
class MentionRow:
    """A mention as a list shows it: the post, the detector's decision and the complaint
    (on the mention's row), and the label staff gave it (None before anyone did)."""

    mention: MentionRecord
    label: MentionLabel | None


def _decided(decision: MentionDecision | None) -> ColumnElement[bool] | None:
    if decision is MentionDecision.OPENED:
        return col(MentionRecord.is_complaint).is_(True)
    if decision is MentionDecision.PASSED_OVER:
        return col(MentionRecord.is_complaint).is_(False)
    if decision is MentionDecision.LABELLED:
        return col(MentionLabel.id).is_not(None)
    return None


def list_mentions(
    session: Session, *, decision: MentionDecision | None = None, limit: int, offset: int = 0
) -> tuple[list[MentionRow], int]:
    """Returns `limit` mentions from `offset` (those `decision` selects, when given), the
    newest first, each with its label, and how many match."""
    joined = (MentionRecord, MentionLabel)
    on = col(MentionLabel.mention_id) == col(MentionRecord.mention_id)
    listed = select(*joined).outerjoin(MentionLabel, on)
    counted = select(func.count()).select_from(MentionRecord).outerjoin(MentionLabel, on)
    condition = _decided(decision)
    if condition is not None:
        listed, counted = listed.where(condition), counted.where(condition)
    newest_first = (col(MentionRecord.received_at).desc(), col(MentionRecord.mention_id).desc())
    rows = session.exec(listed.order_by(*newest_first).limit(limit).offset(offset))
    total = session.exec(counted).one()
    return [MentionRow(mention=mention, label=label) for mention, label in rows], total
