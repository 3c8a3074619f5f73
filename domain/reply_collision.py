"""Replies that cross: a message to the customer written while another one landed.

A console reply form carries the last message of the conversation its page showed
(`latest_message_seq`). If, when it is sent, someone else replied or asked, or the
customer wrote, after that one (`arrived_since`), the agent reviews them before sending.
Their own messages do not count: a form sent twice, or a reply from their other tab, is
theirs already.
"""

from domain.complaints import ComplaintView, TimelineEvent, TimelineKind

# The timeline's messages between the customer and staff.
CONVERSATION_KINDS = frozenset(
    {TimelineKind.REPLIED, TimelineKind.INFO_REQUESTED, TimelineKind.CUSTOMER_REPLIED}
)


def latest_message_seq(view: ComplaintView) -> int:
    """Returns the timeline position of the complaint's latest message (0 before any)."""
    return max((e.seq for e in view.timeline if e.kind in CONVERSATION_KINDS), default=0)


def arrived_since(view: ComplaintView, seen_seq: int, *, reader: str) -> list[TimelineEvent]:
    """Returns the messages after position `seen_seq` that `reader` did not send, oldest
    first."""
    return sorted(
        (
            event
            for event in view.timeline
            if event.kind in CONVERSATION_KINDS and event.seq > seen_seq and event.actor != reader
        ),
        key=lambda event: event.seq,
    )
