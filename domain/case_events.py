"""The events platforms subscribe to: their types, and which timeline entry publishes which.

A case's timeline already records every step it takes; a webhook event is one of those
entries, published under a stable public name. Only the entries a platform acts on are
published (an SLA reminder or a staff message is not); docs/api.md lists the mapping.
Each published entry gets an id derived from its case and timeline seq, so publishing the
same entry twice (a replayed projection) is recognisably one event; a customer's message
sent through the platform, one derived from the message's idempotency key.
"""

import hashlib
from enum import StrEnum

from domain.complaints import TimelineKind
from domain.returns import ReturnEventKind


class CaseEventType(StrEnum):
    COMPLAINT_OPENED = "complaint.opened"
    COMPLAINT_CLASSIFIED = "complaint.classified"
    COMPLAINT_ASSIGNED = "complaint.assigned"
    COMPLAINT_ESCALATED = "complaint.escalated"
    APPROVAL_REQUESTED = "approval.requested"
    APPROVAL_DECIDED = "approval.decided"
    COMPENSATION_DONE = "compensation.done"
    COMPENSATION_UNDONE = "compensation.undone"
    COMPLAINT_RESOLVED = "complaint.resolved"
    COMPLAINT_CLOSED = "complaint.closed"
    RETURN_OPENED = "return.opened"
    RETURN_LABEL_ISSUED = "return.label_issued"
    RETURN_PARCEL_EVENT = "return.parcel_event"
    RETURN_INSPECTED = "return.inspected"
    RETURN_SETTLED = "return.settled"
    SURVEY_ANSWERED = "survey.answered"
    RECOVERY_STARTED = "recovery.started"
    # A message for the customer, for the platform to push (no timeline entry publishes
    # it: the notification activity does, `activities.notifications.platform`).
    NOTIFICATION_REQUESTED = "notification.requested"


# A complaint's timeline kinds that publish an event. Reclassifying publishes a new
# classification, routing and reassigning a new assignee; an approval that moves up a
# level is requested again of the higher level.
COMPLAINT_EVENT_TYPES: dict[TimelineKind, CaseEventType] = {
    TimelineKind.RECEIVED: CaseEventType.COMPLAINT_OPENED,
    TimelineKind.CLASSIFIED: CaseEventType.COMPLAINT_CLASSIFIED,
    TimelineKind.RECLASSIFIED: CaseEventType.COMPLAINT_CLASSIFIED,
    TimelineKind.ROUTED: CaseEventType.COMPLAINT_ASSIGNED,
    TimelineKind.ASSIGNED: CaseEventType.COMPLAINT_ASSIGNED,
    TimelineKind.ESCALATED: CaseEventType.COMPLAINT_ESCALATED,
    TimelineKind.APPROVAL_REQUESTED: CaseEventType.APPROVAL_REQUESTED,
    TimelineKind.APPROVAL_ESCALATED: CaseEventType.APPROVAL_REQUESTED,
    TimelineKind.APPROVED: CaseEventType.APPROVAL_DECIDED,
    TimelineKind.REJECTED: CaseEventType.APPROVAL_DECIDED,
    TimelineKind.APPROVAL_EXPIRED: CaseEventType.APPROVAL_DECIDED,
    TimelineKind.COMPENSATION_DONE: CaseEventType.COMPENSATION_DONE,
    TimelineKind.COMPENSATION_UNDONE: CaseEventType.COMPENSATION_UNDONE,
    TimelineKind.RESOLVED: CaseEventType.COMPLAINT_RESOLVED,
    TimelineKind.CLOSED: CaseEventType.COMPLAINT_CLOSED,
    TimelineKind.SURVEY_ANSWERED: CaseEventType.SURVEY_ANSWERED,
    TimelineKind.RECOVERY_STARTED: CaseEventType.RECOVERY_STARTED,
}

# A return's. Its settlement's money steps are compensations like a complaint's; the
# return is settled when it completes (a rejected or cancelled return publishes nothing
# beyond what came before).
RETURN_EVENT_TYPES: dict[ReturnEventKind, CaseEventType] = {
    ReturnEventKind.RECEIVED: CaseEventType.RETURN_OPENED,
    ReturnEventKind.LABEL_CREATED: CaseEventType.RETURN_LABEL_ISSUED,
    ReturnEventKind.PICKUP_BOOKED: CaseEventType.RETURN_LABEL_ISSUED,
    ReturnEventKind.TRACKING: CaseEventType.RETURN_PARCEL_EVENT,
    ReturnEventKind.INSPECTED: CaseEventType.RETURN_INSPECTED,
    ReturnEventKind.REFUNDED: CaseEventType.COMPENSATION_DONE,
    ReturnEventKind.STORE_CREDITED: CaseEventType.COMPENSATION_DONE,
    ReturnEventKind.COUPON_ISSUED: CaseEventType.COMPENSATION_DONE,
    ReturnEventKind.STEP_UNDONE: CaseEventType.COMPENSATION_UNDONE,
    ReturnEventKind.COMPLETED: CaseEventType.RETURN_SETTLED,
    ReturnEventKind.SURVEY_ANSWERED: CaseEventType.SURVEY_ANSWERED,
    ReturnEventKind.RECOVERY_STARTED: CaseEventType.RECOVERY_STARTED,
}

# Every type, for validating what a subscription asks for.
EVENT_TYPES = frozenset(CaseEventType)


def case_event_id(case_id: str, seq: int) -> str:
    """Returns the id of the event a case's timeline entry `seq` publishes (`webhook-id`)."""
    return f"evt_{case_id}_{seq}"


def notification_event_id(idempotency_key: str) -> str:
    """Returns the id of the `notification.requested` event of the message sent under
    `idempotency_key` (`webhook-id`): every delivery of the message carries the same one.
    A digest, since keys may be longer than an event id may be."""
    return f"ntf_{hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]}"
