"""Which messages a reply written on an older page must be reviewed against: others'
replies and questions and the customer's messages after the last one the page showed,
never the writer's own, never notes or other steps."""

from datetime import timedelta

from domain.complaints import TimelineEvent, TimelineKind
from domain.reply_collision import arrived_since, latest_message_seq
from tests.factories import OPENED_AT, make_timeline, make_view


def with_events(*steps: tuple[TimelineKind, str]) -> list[TimelineEvent]:
    timeline = make_timeline()
    for kind, actor in steps:
        seq = len(timeline) + 1
        at = OPENED_AT + timedelta(minutes=seq)
        timeline.append(TimelineEvent(seq=seq, at=at, kind=kind, actor=actor, detail=f"#{seq}"))
    return timeline


def test_the_marker_is_the_latest_message_and_zero_before_any() -> None:
    assert latest_message_seq(make_view()) == 0
    timeline = with_events(
        (TimelineKind.REPLIED, "agent-1"),
        (TimelineKind.CUSTOMER_REPLIED, "customer:c-1"),
        (TimelineKind.NOTED, "agent-2"),
        (TimelineKind.SLA_REMINDER, "redress"),
    )
    assert latest_message_seq(make_view(timeline=timeline)) == 5


def test_others_messages_after_the_marker_arrived_and_nothing_else_did() -> None:
    timeline = with_events(
        (TimelineKind.REPLIED, "agent-1"),  # 4: the page showed this one
        (TimelineKind.NOTED, "agent-2"),  # 5: a note is no message to the customer
        (TimelineKind.REPLIED, "agent-1"),  # 6: the writer's own, from another tab
        (TimelineKind.CUSTOMER_REPLIED, "customer:c-1"),  # 7
        (TimelineKind.INFO_REQUESTED, "sup-1"),  # 8
        (TimelineKind.RECLASSIFIED, "sup-1"),  # 9
    )
    view = make_view(timeline=timeline)

    arrived = arrived_since(view, 4, reader="agent-1")
    assert [(e.seq, e.kind) for e in arrived] == [
        (7, TimelineKind.CUSTOMER_REPLIED),
        (8, TimelineKind.INFO_REQUESTED),
    ]
    assert arrived_since(view, 8, reader="agent-1") == []
    # Another reader counts agent-1's replies too.
    assert [e.seq for e in arrived_since(view, 4, reader="agent-2")] == [6, 7, 8]
