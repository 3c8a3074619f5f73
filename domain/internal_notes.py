"""What staff write for each other: internal notes stay on the staff's side of a case.

A note is on the complaint's timeline for the console; the customer's page, the
customer's messages and platforms' webhook events each name the timeline kinds they
show, and none names a note. The JSON API answers a customer's link without them too.
"""

from domain.complaints import ComplaintView, TimelineKind

STAFF_ONLY_KINDS = frozenset({TimelineKind.NOTED})


def customer_copy(view: ComplaintView) -> ComplaintView:
    """Returns the complaint as a customer's link may read it: without staff-only events
    (the total counts the events kept for it)."""
    shown = [event for event in view.timeline if event.kind not in STAFF_ONLY_KINDS]
    hidden = len(view.timeline) - len(shown)
    if not hidden:
        return view
    return view.model_copy(
        update={"timeline": shown, "timeline_total": view.timeline_total - hidden}
    )
