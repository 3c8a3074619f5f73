"""The console's return queues: pages of one queue, the nearest deadline first, and how
many returns each queue holds.

The queues are defined in `domain.return_queues`; the SQL below asks the same questions
of the read model's columns (a test holds the two to agreement). Every query starts from
an index: status with the deadline (`ix_returns_status_due_at`), the `needs_person` and
`overdue` flags, and the status index for the counts, which read open returns only.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from domain.return_queues import (
    ESCALATED_REVIEW_LEVEL,
    OPEN_STATUSES,
    QUEUE_STATUSES,
    ReturnQueue,
    queues_for,
)
from domain.returns import ReturnStatus
from store.tables.returns import ReturnRecord

RETURN_QUEUE_PAGE_SIZE = 25
_OPEN = sorted(status.value for status in OPEN_STATUSES)


@dataclass(frozen=True)
class ReturnQueuePage:
    """One page of a queue, the number of returns in it, and the page's number."""

    rows: list[ReturnRecord]
    total: int
    page: int
    pages: int


def in_queue(queue: ReturnQueue) -> ColumnElement[bool]:
    """Returns the SQL condition of a return being in `queue`."""
    status = col(ReturnRecord.status)
    statuses = QUEUE_STATUSES.get(queue)
    if statuses is not None:
        return status.in_(sorted(s.value for s in statuses))
    if queue is ReturnQueue.NEEDS_PERSON:
        return and_(col(ReturnRecord.needs_person).is_(True), status.in_(_OPEN))
    escalated = and_(
        status == ReturnStatus.UNDER_REVIEW.value,
        col(ReturnRecord.review_level) == ESCALATED_REVIEW_LEVEL,
    )
    return and_(or_(col(ReturnRecord.overdue).is_(True), escalated), status.in_(_OPEN))


def list_return_queue(
    session: Session, *, queue: ReturnQueue, page: int = 1, page_size: int = RETURN_QUEUE_PAGE_SIZE
) -> ReturnQueuePage:
    """Returns page `page` (from 1) of `queue`, the nearest deadline first (returns without
    one last, the oldest first); a page past the end is the last one."""
    if page < 1:
        raise ValueError(f"page must be 1 or more, got {page}")
    condition = in_queue(queue)
    total = session.exec(select(func.count()).select_from(ReturnRecord).where(condition)).one()
    pages = max(1, -(-total // page_size))
    # Returns that left the queue since the link was made: the last page rather than none.
    page = min(page, pages)
    rows = session.exec(
        select(ReturnRecord)
        .where(condition)
        .order_by(
            col(ReturnRecord.due_at).asc().nulls_last(),
            col(ReturnRecord.created_at),
            col(ReturnRecord.return_id),
        )
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return ReturnQueuePage(rows=list(rows), total=total, page=page, pages=pages)


def count_return_queues(session: Session) -> dict[ReturnQueue, int]:
    """Returns how many returns each queue holds.

    One grouped read of the open returns (the status index finds them): each group of
    the same status, flags and review level counts towards every queue it is in.
    """
    # Five columns: past what sqlmodel's `select` types, so SQLAlchemy's own.
    groups = session.execute(
        sa.select(
            col(ReturnRecord.status),
            col(ReturnRecord.needs_person),
            col(ReturnRecord.overdue),
            col(ReturnRecord.review_level),
            func.count(),
        )
        .where(col(ReturnRecord.status).in_(_OPEN))
        .group_by(
            col(ReturnRecord.status),
            col(ReturnRecord.needs_person),
            col(ReturnRecord.overdue),
            col(ReturnRecord.review_level),
        )
    ).all()
    counts = dict.fromkeys(ReturnQueue, 0)
    for status, needs_person, overdue, review_level, number in groups:
        for queue in queues_for(
            ReturnStatus(status),
            needs_person=needs_person,
            overdue=overdue,
            review_level=review_level,
        ):
            counts[queue] += number
    return counts
