"""Mentions the listening route took: recorded once per post, linked to their complaint."""

from sqlmodel import Session, col

from store.tables.mentions import MentionRecord
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
