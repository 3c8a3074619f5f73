"""Counts of open cases that want someone's attention, for the API's gauges.

One aggregate query per kind of case, at every scrape of every API replica, so each must
stay cheap however many closed cases the read model keeps: each selects its open rows by
`status IN (...)`, which the status index answers (a `!=` or `closed_at IS NULL` would
read every row ever stored), and counts its flags among those rows only. That is why no
index on `needs_person` is needed: it is read on the open rows the status index found.
"""

from typing import NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.complaints import ComplaintStatus
from domain.returns import ReturnStatus
from store.tables.complaints import ComplaintRecord
from store.tables.returns import ReturnRecord

OPEN_COMPLAINT_STATUSES = [s.value for s in ComplaintStatus if s is not ComplaintStatus.CLOSED]
# A return ends completed, rejected or cancelled (`workflows.return_file.finish`).
_RETURN_ENDINGS = {ReturnStatus.COMPLETED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED}
OPEN_RETURN_STATUSES = [s.value for s in ReturnStatus if s not in _RETURN_ENDINGS]


class OpenComplaintCounts(NamedTuple):
    """Returns how many open complaints need a person and how many broke an SLA."""

    needs_person: int
    sla_breached: int


class OpenReturnCounts(NamedTuple):
    """Returns how many open returns need a person and how many are past a deadline."""

    needs_person: int
    overdue: int


def count_open_complaints(session: Session) -> OpenComplaintCounts:
    """Returns the open complaints that need a person and those with a breached SLA."""
    query = select(
        func.count().filter(col(ComplaintRecord.needs_person)),
        func.count().filter(col(ComplaintRecord.sla_breached)),
    ).where(col(ComplaintRecord.status).in_(OPEN_COMPLAINT_STATUSES))
    needs_person, sla_breached = session.exec(query).one()
    return OpenComplaintCounts(needs_person=needs_person, sla_breached=sla_breached)


def count_open_returns(session: Session) -> OpenReturnCounts:
    """Returns the open returns that need a person and those that are overdue."""
    query = select(
        func.count().filter(col(ReturnRecord.needs_person)),
        func.count().filter(col(ReturnRecord.overdue)),
    ).where(col(ReturnRecord.status).in_(OPEN_RETURN_STATUSES))
    needs_person, overdue = session.exec(query).one()
    return OpenReturnCounts(needs_person=needs_person, overdue=overdue)
