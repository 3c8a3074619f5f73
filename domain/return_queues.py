"""The return queues people work from, and the deadline each open return waits on.

A queue is a question a returns centre asks every morning: what waits for a review, for
the customer's parcel, for the courier, for the warehouse, for a person to retry a
settlement, and what is late. One return can sit in two of them (an inspection the
warehouse missed is both awaiting inspection and overdue). Pure: the read model's
projection and the console both use these.
"""

from datetime import datetime
from enum import StrEnum

from domain.returns import ReturnStatus, ReturnView
from domain.taxonomy import EscalationLevel


class ReturnQueue(StrEnum):
    UNDER_REVIEW = "under_review"
    WAITING_TO_SHIP = "waiting_to_ship"
    IN_TRANSIT = "in_transit"
    AWAITING_INSPECTION = "awaiting_inspection"
    NEEDS_PERSON = "needs_person"
    OVERDUE = "overdue"


# The statuses each status-based queue holds. An exchange on its way to the customer is
# a parcel in transit too, and is watched the same way.
QUEUE_STATUSES: dict[ReturnQueue, frozenset[ReturnStatus]] = {
    ReturnQueue.UNDER_REVIEW: frozenset({ReturnStatus.UNDER_REVIEW}),
    ReturnQueue.WAITING_TO_SHIP: frozenset({ReturnStatus.AWAITING_SHIPMENT}),
    ReturnQueue.IN_TRANSIT: frozenset({ReturnStatus.IN_TRANSIT, ReturnStatus.EXCHANGE_IN_TRANSIT}),
    ReturnQueue.AWAITING_INSPECTION: frozenset({ReturnStatus.AWAITING_INSPECTION}),
}

# Statuses of returns that no longer wait on anyone: in no queue.
CLOSED_STATUSES = frozenset({ReturnStatus.COMPLETED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED})
OPEN_STATUSES = frozenset(ReturnStatus) - CLOSED_STATUSES

# A review the supervisor let pass is with the manager: already late, though the workflow
# only flags it `overdue` once the manager's window passes too.
ESCALATED_REVIEW_LEVEL = EscalationLevel.MANAGER.value


def waiting_due_at(view: ReturnView) -> datetime | None:
    """Returns when what the return waits on falls due: the review, the customer's consent
    or parcel, the inspection, or the exchange's delivery; None when nothing is timed
    (a parcel in transit, a settlement) or the return is closed."""
    due = {
        ReturnStatus.UNDER_REVIEW: view.review_due_at,
        ReturnStatus.AWAITING_CONSENT: view.consent_due_at,
        ReturnStatus.AWAITING_SHIPMENT: view.ship_by,
        ReturnStatus.AWAITING_INSPECTION: view.inspection_due_at,
        ReturnStatus.EXCHANGE_IN_TRANSIT: view.exchange_due_at,
    }
    return due.get(view.status)


def queues_for(
    status: ReturnStatus, *, needs_person: bool, overdue: bool, review_level: str | None
) -> set[ReturnQueue]:
    """Returns the queues a return with these facts is in (none once it is closed): its
    status's queue, needing a person when a settlement waits for one, and overdue when the
    workflow flagged it or its review went past the supervisor to the manager."""
    if status in CLOSED_STATUSES:
        return set()
    found = {queue for queue, statuses in QUEUE_STATUSES.items() if status in statuses}
    if needs_person:
        found.add(ReturnQueue.NEEDS_PERSON)
    escalated = status is ReturnStatus.UNDER_REVIEW and review_level == ESCALATED_REVIEW_LEVEL
    if overdue or escalated:
        found.add(ReturnQueue.OVERDUE)
    return found


def queues_of(view: ReturnView) -> set[ReturnQueue]:
    """Returns the queues the return is in."""
    return queues_for(
        view.status,
        needs_person=view.needs_person,
        overdue=view.overdue,
        review_level=view.review_level,
    )
