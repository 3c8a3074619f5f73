"""Courier webhook bookkeeping: which tracking events were already taken."""

from datetime import UTC, datetime

from sqlmodel import Session, col

from domain.returns import TrackingEvent
from store.tables.webhooks import ReceivedCourierEvent
from store.upsert import insert_on_conflict


def courier_event_seen(session: Session, *, event_id: str) -> bool:
    """Returns whether a courier event with this id was already recorded."""
    return session.get(ReceivedCourierEvent, event_id) is not None


def record_courier_event(
    session: Session, *, event: TrackingEvent, return_id: str, now: datetime | None = None
) -> bool:
    """Records `event` as taken for `return_id`, then commits; returns False when it was
    already recorded (concurrent deliveries race on the primary key: one row wins)."""
    insert = insert_on_conflict(session, ReceivedCourierEvent).values(
        event_id=event.event_id,
        parcel_id=event.parcel_id,
        return_id=return_id,
        status=event.status.value,
        received_at=now or datetime.now(UTC),
    )
    # RETURNING tells whether this call wrote the row: an ORM session reports no rowcount
    # for a Core insert on PostgreSQL (-1), so counting rows took every event for a repeat.
    written = session.execute(
        insert.on_conflict_do_nothing(index_elements=["event_id"]).returning(
            col(ReceivedCourierEvent.event_id)
        )
    ).first()
    session.commit()
    return written is not None
