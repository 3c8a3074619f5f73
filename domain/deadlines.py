"""When a complaint next needs attention: the earliest timer its state implies."""

from datetime import datetime

from domain.complaint_policy import CustomerWaitPolicy
from domain.complaints import ComplaintStatus, ComplaintView, SlaClock


def _clock_deadlines(clock: SlaClock | None) -> list[datetime]:
    if clock is None or clock.running_since is None or clock.met_at is not None:
        return []
    moments = [clock.due_at] if clock.due_at else []
    if clock.reminder_at and not clock.reminded:
        moments.append(clock.reminder_at)
    return moments


def next_deadline(view: ComplaintView, customer_wait: CustomerWaitPolicy) -> datetime | None:
    """Returns the earliest moment a timer of this complaint fires, or None if none runs."""
    if view.status is ComplaintStatus.CLOSED:
        return None
    moments = _clock_deadlines(view.first_response) + _clock_deadlines(view.resolution)
    if view.status is ComplaintStatus.WAITING_ON_CUSTOMER and view.waiting_since:
        if not view.customer_reminded:
            moments.append(view.waiting_since + customer_wait.reminder_after)
        moments.append(view.waiting_since + customer_wait.auto_close_after)
    if view.status is ComplaintStatus.AWAITING_APPROVAL and view.approval:
        moments.append(view.approval.due_at)
    return min(moments, default=None)
