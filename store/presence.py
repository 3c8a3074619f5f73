"""Presence reports in the store: one row per open console page, written by whichever API
process took the page's report, read by all of them (`domain.presence`)."""

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from domain.presence import FORGOTTEN_AFTER, SHOWN_FOR, PresenceState, Present
from store.tables import table_of
from store.tables.presence import ComplaintPresence
from store.upsert import insert_on_conflict


def record_presence(
    session: Session,
    *,
    complaint_id: str,
    user_id: str,
    display_name: str,
    page_key: str,
    state: PresenceState,
    now: datetime,
) -> None:
    """Keeps the page's report (a closing page's is removed), committed; deletes reports
    a day old on the way, so no cleaner has to run."""
    table = table_of(ComplaintPresence)
    session.execute(delete(table).where(col(ComplaintPresence.seen_at) < now - FORGOTTEN_AFTER))
    if state is PresenceState.LEFT:
        session.execute(
            delete(table).where(
                col(ComplaintPresence.complaint_id) == complaint_id,
                col(ComplaintPresence.user_id) == user_id,
                col(ComplaintPresence.page_key) == page_key,
            )
        )
    else:
        values = {"display_name": display_name, "state": state.value, "seen_at": now}
        statement = (
            insert_on_conflict(session, table)
            .values(complaint_id=complaint_id, user_id=user_id, page_key=page_key, **values)
            .on_conflict_do_update(
                index_elements=["complaint_id", "user_id", "page_key"], set_=values
            )
        )
        session.execute(statement)
    session.commit()


def present_on(
    session: Session, *, complaint_id: str, now: datetime, excluding: str
) -> list[Present]:
    """Returns who has the complaint open (reports younger than `SHOWN_FOR`), but for
    `excluding`: those writing first, then by name."""
    query = select(ComplaintPresence).where(
        col(ComplaintPresence.complaint_id) == complaint_id,
        col(ComplaintPresence.user_id) != excluding,
        col(ComplaintPresence.seen_at) >= now - SHOWN_FOR,
    )
    people: dict[str, Present] = {}
    for row in session.exec(query).all():
        writing = row.state == PresenceState.WRITING.value
        known = people.get(row.user_id)
        people[row.user_id] = Present(
            user_id=row.user_id,
            display_name=row.display_name,
            writing=writing or (known is not None and known.writing),
        )
    return sorted(people.values(), key=lambda p: (not p.writing, p.display_name, p.user_id))
