"""Reads and writes of the returns read model, and the stock movements of restocking."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from domain.case_event_payloads import return_case_events
from domain.return_analytics import return_facts
from domain.return_queues import waiting_due_at
from domain.returns import RestockRequest, ReturnProjection, ReturnView
from store.projection import db_value, events_of, upsert_case_and_events
from store.return_rollups import return_rollups_kept, write_facts
from store.tables.returns import ReturnEventRecord, ReturnRecord, StockMovement
from store.upsert import insert_on_conflict
from store.webhook_outbox import publish_events

MAX_PAGE_SIZE = 200


class RestockKeyReused(ValueError):
    """A restock key already recorded a different movement (another return or quantity)."""


def project_return(session: Session, *, projection: ReturnProjection) -> None:
    """Stores a return's view and its new timeline events, moves its counts in the
    reports' roll-ups (`store.return_rollups`), then commits.

    Replaying a projection changes nothing, and a view older than the stored one (a late
    retry) leaves the row as it is while still adding any timeline events it carries.
    """
    view = projection.view
    # The reports' facts and roll-ups change with the row, in the same transaction.
    with return_rollups_kept(session, return_id=view.return_id):
        upsert_case_and_events(
            session,
            record_model=ReturnRecord,
            event_model=ReturnEventRecord,
            key="return_id",
            row=_record_values(view),
            events=projection.new_events,
        )
        write_facts(session, return_facts(view))
    # The events platforms subscribe to commit with the entries that publish them.
    publish_events(session, return_case_events(view, projection.new_events))
    session.commit()
    # The upsert bypasses the ORM: drop any copy of the row this session already holds.
    session.expire_all()


def get_return(session: Session, *, return_id: str) -> ReturnRecord | None:
    """Returns the stored return, or None if it was never projected."""
    return session.get(ReturnRecord, return_id)


def list_returns(
    session: Session,
    *,
    status: str | None = None,
    reason: str | None = None,
    outcome: str | None = None,
    courier: str | None = None,
    overdue: bool | None = None,
    customer_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ReturnRecord], int]:
    """Returns one page of returns matching every given filter (newest first) and the total."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be zero or more, got {offset}")
    wanted = {
        "status": status,
        "reason": reason,
        "outcome": outcome,
        "courier": courier,
        "overdue": overdue,
        "customer_id": customer_id,
    }
    filters = [
        col(getattr(ReturnRecord, name)) == db_value(value)
        for name, value in wanted.items()
        if value is not None
    ]
    total = session.exec(select(func.count()).select_from(ReturnRecord).where(*filters)).one()
    query = (
        select(ReturnRecord)
        .where(*filters)
        .order_by(col(ReturnRecord.created_at).desc(), col(ReturnRecord.return_id).desc())
    )
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return list(rows), total


def return_timeline(session: Session, *, return_id: str) -> list[ReturnEventRecord]:
    """Returns every stored timeline event of a return, oldest first."""
    return events_of(session, ReturnEventRecord, key="return_id", case_id=return_id)


def count_recent_returns(
    session: Session, *, customer_id: str, exclude_return_id: str, since: datetime
) -> int:
    """Returns how many returns the customer opened at or after `since`, except one.

    Every return counts, whatever became of it: repeated rejected attempts are a signal too.
    """
    query = (
        select(func.count())
        .select_from(ReturnRecord)
        .where(
            col(ReturnRecord.customer_id) == customer_id,
            col(ReturnRecord.return_id) != exclude_return_id,
            col(ReturnRecord.created_at) >= since,
        )
    )
    return session.exec(query).one()


def return_for_tracking_number(session: Session, *, tracking_number: str) -> str | None:
    """Returns the id of the return whose return or outbound parcel has `tracking_number`.

    Should a carrier reuse a number, the newest return wins.
    """
    query = (
        select(ReturnRecord.return_id)
        .where(
            or_(
                col(ReturnRecord.return_tracking_number) == tracking_number,
                col(ReturnRecord.outbound_tracking_number) == tracking_number,
            )
        )
        .order_by(col(ReturnRecord.created_at).desc(), col(ReturnRecord.return_id).desc())
        .limit(1)
    )
    return session.exec(query).first()


def restock(session: Session, *, request: RestockRequest) -> int:
    """Records the request's items as back in stock, once per key; returns the units recorded.

    Each SKU gets one movement keyed `"<idempotency_key>/<sku>"` (repeated SKUs are added
    up, zero quantities skipped), so a retry adds nothing and returns the same count.
    Raises `RestockKeyReused` when a key already recorded another return or quantity.
    """
    return _move_stock(session, request, direction=1)


def reserve_stock(session: Session, *, request: RestockRequest) -> int:
    """Takes the request's items out of stock for an exchange, once per key; returns the
    units reserved. Keys work as in `restock`; a reservation is released by restocking
    the same items under another key."""
    return _move_stock(session, request, direction=-1)


def _move_stock(session: Session, request: RestockRequest, *, direction: int) -> int:
    quantities: dict[str, int] = defaultdict(int)
    for item in request.items:
        if item.quantity < 0:
            raise ValueError(f"cannot move {item.quantity} of {item.sku}: quantities are >= 0")
        quantities[item.sku] += item.quantity
    wanted = {
        f"{request.idempotency_key}/{sku}": (sku, quantity * direction)
        for sku, quantity in quantities.items()
        if quantity > 0
    }
    if not wanted:
        return 0
    movements = insert_on_conflict(session, StockMovement).values(
        [
            {"idempotency_key": key, "return_id": request.return_id, "sku": sku, "quantity": units}
            for key, (sku, units) in wanted.items()
        ]
    )
    session.exec(movements.on_conflict_do_nothing(index_elements=["idempotency_key"]))
    stored = session.exec(
        select(StockMovement).where(col(StockMovement.idempotency_key).in_(wanted))
    ).all()
    for movement in stored:
        sku, units = wanted[movement.idempotency_key]
        if (movement.return_id, movement.quantity) != (request.return_id, units):
            # Write none of the request's movements: it is a mistake, not a retry.
            session.rollback()
            raise RestockKeyReused(
                f"stock key {movement.idempotency_key} already moved "
                f"{movement.quantity} of {sku} for return {movement.return_id}; "
                "use a new key for a new movement"
            )
    session.commit()
    return sum(abs(movement.quantity) for movement in stored)


def _record_values(view: ReturnView) -> dict[str, Any]:
    request = view.request
    parcel = view.return_parcel or view.outbound_parcel
    return {
        "return_id": view.return_id,
        "status": db_value(view.status),
        "reason": db_value(request.reason),
        "preferred_outcome": db_value(request.preferred_outcome),
        "outcome": db_value(view.outcome),
        "customer_id": request.customer.id,
        "customer_tier": db_value(request.customer.tier),
        "complaint_id": request.complaint_id,
        "courier": parcel.carrier if parcel else None,
        "return_tracking_number": (
            view.return_parcel.tracking_number if view.return_parcel else None
        ),
        "outbound_tracking_number": (
            view.outbound_parcel.tracking_number if view.outbound_parcel else None
        ),
        "overdue": view.overdue,
        "needs_person": view.needs_person,
        "review_level": view.review_level,
        "due_at": waiting_due_at(view),
        "refunded_total": view.refunded_total,
        "store_credit_total": view.store_credit_total,
        "currency": view.eligibility.currency if view.eligibility else None,
        "root_cause": db_value(view.root_cause),
        "created_at": view.created_at,
        "updated_at": view.updated_at,
        "closed_at": view.closed_at,
        "view_json": view.model_dump_json(),
    }
