"""Reads and writes of the complaints read model.

Lists are newest first. They page two ways: `after=` takes the cursor of the last row seen
(`complaint_cursor(row)`) and stays stable while new complaints arrive (keyset
pagination, the one to use for "load more" and exports); `offset=` jumps to a page number
for consoles that show one. The total always counts every row matching the filters.
"""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from domain.case_event_payloads import complaint_case_events
from domain.complaints import CloseReason, ComplaintProjection, ComplaintStatus, ComplaintView
from domain.policy import SEVERITY
from store.complaint_search import refresh_search_text
from store.db import SessionFactory
from store.projection import db_value, events_of, upsert_case_and_events
from store.rollups import complaint_rollups_kept
from store.tables.complaints import ComplaintItemRecord, ComplaintRecord, TimelineEventRecord
from store.upsert import insert_on_conflict
from store.webhook_outbox import publish_events

MAX_PAGE_SIZE = 200


class InvalidCursorError(ValueError):
    """A pagination cursor that `complaint_cursor` did not produce."""


def project_complaint(session: Session, *, projection: ComplaintProjection) -> None:
    """Stores a complaint's view and its new timeline events, moves its counts in the
    reports' roll-ups (`store.rollups`), then commits.

    Replaying a projection changes nothing, and a view older than the stored one (a late
    retry) leaves the row as it is while still adding any timeline events it carries.
    """
    view = projection.view
    row = _record_values(view)
    # The roll-ups change with the row, in the same transaction, or reports would drift.
    with complaint_rollups_kept(session, complaint_id=view.complaint_id):
        upsert_case_and_events(
            session,
            record_model=ComplaintRecord,
            event_model=TimelineEventRecord,
            key="complaint_id",
            row=row,
            events=projection.new_events,
        )
    # The events platforms subscribe to commit with the entries that publish them.
    publish_events(session, complaint_case_events(view, projection.new_events))
    _store_items(session, view)
    if projection.new_events:
        # A new message changes what the complaint is found by (the first projection
        # writes the text); the events above are already in place to be read.
        refresh_search_text(session, record=row)
    session.commit()
    # The upsert bypasses the ORM: drop any copy of the row this session already holds.
    session.expire_all()


def get_complaint(session: Session, *, complaint_id: str) -> ComplaintRecord | None:
    """Returns the stored complaint, or None if it was never projected."""
    return session.get(ComplaintRecord, complaint_id)


def list_complaints(
    session: Session,
    *,
    status: str | None = None,
    category: str | None = None,
    tier: str | None = None,
    sla_breached: bool | None = None,
    customer_id: str | None = None,
    assignee: str | None = None,
    limit: int = 50,
    offset: int = 0,
    after: str | None = None,
) -> tuple[list[ComplaintRecord], int]:
    """Returns one page of complaints matching every given filter (newest first) and the total.

    Raises `InvalidCursorError` for an `after` cursor this module did not produce.
    """
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be zero or more, got {offset}")
    wanted = {
        "status": status,
        "category": category,
        "tier": tier,
        "sla_breached": sla_breached,
        "customer_id": customer_id,
        "assignee": assignee,
    }
    filters = [
        col(getattr(ComplaintRecord, name)) == db_value(value)
        for name, value in wanted.items()
        if value is not None
    ]
    total = session.exec(select(func.count()).select_from(ComplaintRecord).where(*filters)).one()
    query = select(ComplaintRecord).where(*filters)
    if after is not None:
        query = query.where(_older_than(after))
    query = query.order_by(
        col(ComplaintRecord.created_at).desc(), col(ComplaintRecord.complaint_id).desc()
    )
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return list(rows), total


def list_open_complaints(
    session: Session,
    *,
    tier: str | None = None,
    assignee: str | None = None,
    limit: int = MAX_PAGE_SIZE,
) -> tuple[list[ComplaintRecord], int]:
    """Returns the most urgent open complaints and how many are open, for consoles.

    Those that need a person come first, then breached ones, then the nearest resolution
    deadline; complaints whose clocks are not running yet (just received, or waiting on
    the customer) come last.
    """
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    filters = [col(ComplaintRecord.status) != ComplaintStatus.CLOSED.value]
    if tier is not None:
        filters.append(col(ComplaintRecord.tier) == db_value(tier))
    if assignee is not None:
        filters.append(col(ComplaintRecord.assignee) == assignee)
    total = session.exec(select(func.count()).select_from(ComplaintRecord).where(*filters)).one()
    query = (
        select(ComplaintRecord)
        .where(*filters)
        .order_by(
            col(ComplaintRecord.needs_person).desc(),
            col(ComplaintRecord.sla_breached).desc(),
            col(ComplaintRecord.resolution_due).asc().nulls_last(),
            col(ComplaintRecord.created_at).asc(),
            col(ComplaintRecord.complaint_id).asc(),
        )
        .limit(limit)
    )
    return list(session.exec(query).all()), total


def complaint_cursor(record: ComplaintRecord) -> str:
    """Returns the cursor that makes `list_complaints(after=...)` continue after `record`."""
    position = [record.created_at.astimezone(UTC).isoformat(), record.complaint_id]
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def count_recent_complaints(
    session: Session, *, customer_id: str, exclude_complaint_id: str, since: datetime
) -> int:
    """Returns how many complaints the customer opened at or after `since`, except one."""
    query = (
        select(func.count())
        .select_from(ComplaintRecord)
        .where(
            col(ComplaintRecord.customer_id) == customer_id,
            col(ComplaintRecord.complaint_id) != exclude_complaint_id,
            col(ComplaintRecord.created_at) >= since,
        )
    )
    return session.exec(query).one()


def prior_complaint_counter(sessions: SessionFactory) -> Callable[[str, str], int]:
    """Returns a function counting a customer's complaints in the severity policy's window.

    The classifier calls it as `count(customer_id, exclude_complaint_id)`; the window ends
    now, so it belongs in an activity, never in workflow code.
    """

    def count(customer_id: str, exclude_complaint_id: str) -> int:
        since = datetime.now(UTC) - timedelta(days=SEVERITY.repeat_window_days)
        with sessions() as session:
            return count_recent_complaints(
                session,
                customer_id=customer_id,
                exclude_complaint_id=exclude_complaint_id,
                since=since,
            )

    return count


def timeline(session: Session, *, complaint_id: str) -> list[TimelineEventRecord]:
    """Returns every stored timeline event of a complaint, oldest first."""
    return events_of(session, TimelineEventRecord, key="complaint_id", case_id=complaint_id)


def _record_values(view: ComplaintView) -> dict[str, Any]:
    intake = view.intake
    order = intake.order
    classification = view.classification
    resolved_at = view.resolution.met_at if view.resolution else None
    if resolved_at is None and view.close_reason is CloseReason.RESOLVED:
        resolved_at = view.closed_at
    first_responded = view.first_response.met_at if view.first_response else None
    return {
        "complaint_id": view.complaint_id,
        "status": db_value(view.status),
        "close_reason": db_value(view.close_reason),
        "category": db_value(classification.category) if classification else None,
        "sub_category": db_value(classification.sub_category) if classification else None,
        "tier": db_value(classification.tier) if classification else None,
        "channel": db_value(intake.channel),
        "customer_id": intake.customer.id,
        "customer_tier": db_value(intake.customer.tier),
        "locale": db_value(intake.customer.locale),
        "order_id": order.order_id if order else None,
        "primary_sku": order.items[0].sku if order and order.items else None,
        "paid_amount": order.paid_amount if order else None,
        "currency": order.currency if order else None,
        "team": view.routing.team if view.routing else None,
        "assignee": view.assignee,
        "escalation_level": db_value(view.escalation_level),
        "sla_breached": view.sla_breached,
        "needs_person": view.needs_person,
        "first_response_due": view.first_response.due_at if view.first_response else None,
        "resolution_due": view.resolution.due_at if view.resolution else None,
        "first_responded_at": view.first_response.met_at if view.first_response else None,
        "resolved_at": resolved_at,
        "first_response_seconds": _seconds_since(view, first_responded),
        "resolution_seconds": _seconds_since(view, resolved_at),
        "first_response_breached": bool(view.first_response and view.first_response.breached),
        "resolution_breached": bool(view.resolution and view.resolution.breached),
        "region": intake.customer.region,
        "refunded_total": view.refunded_total,
        "auto_resolved": view.auto_resolved,
        "root_cause": db_value(view.root_cause),
        "created_at": view.created_at,
        "updated_at": view.updated_at,
        "closed_at": view.closed_at,
        "description": intake.description,
        "view_json": view.model_dump_json(),
    }


def _seconds_since(view: ComplaintView, moment: datetime | None) -> int | None:
    if moment is None:
        return None
    return max(0, round((moment - view.created_at).total_seconds()))


def _store_items(session: Session, view: ComplaintView) -> None:
    # Order lines come from the intake, which never changes: write them once.
    order = view.intake.order
    if order is None or not order.items:
        return
    stored = (
        select(func.count())
        .select_from(ComplaintItemRecord)
        .where(col(ComplaintItemRecord.complaint_id) == view.complaint_id)
    )
    if session.exec(stored).one():
        return
    items = insert_on_conflict(session, ComplaintItemRecord).values(
        [
            {
                "complaint_id": view.complaint_id,
                "line": line,
                "sku": item.sku,
                "name": item.name,
                "price": item.price,
                "quantity": item.quantity,
            }
            for line, item in enumerate(order.items, start=1)
        ]
    )
    session.exec(items.on_conflict_do_nothing(index_elements=["complaint_id", "line"]))


def _older_than(cursor: str) -> ColumnElement[bool]:
    try:
        created_at_text, complaint_id = json.loads(base64.urlsafe_b64decode(cursor))
        created_at = datetime.fromisoformat(created_at_text)
    except (binascii.Error, UnicodeDecodeError, TypeError, ValueError) as error:
        raise InvalidCursorError(
            f"cursor {cursor!r} is not one this API returned: drop it to start from the top"
        ) from error
    if created_at.tzinfo is None or not isinstance(complaint_id, str):
        raise InvalidCursorError(f"cursor {cursor!r} is malformed: drop it to start from the top")
    created = col(ComplaintRecord.created_at)
    return or_(
        created < created_at,
        and_(created == created_at, col(ComplaintRecord.complaint_id) < complaint_id),
    )
