"""The rules of merging, without a server: which merges are refused and naming which
field, what a merge carries and how it is marked, and which SLA clock the survivor keeps."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from domain.case_event_payloads import complaint_case_events
from domain.case_events import CaseEventType
from domain.complaint_merge import (
    MergeInto,
    MergeRefusalReason,
    carried_detail,
    carried_events,
    check_merge_into,
    merge_refusal,
    take_earlier_clock,
)
from domain.complaint_rules import (
    ActionNotAllowed,
    InvalidAction,
    check_agent_action,
    check_customer_message,
)
from domain.complaints import (
    AgentAction,
    CloseReason,
    ComplaintStatus,
    CustomerMessage,
    ReplyAction,
    SlaClock,
    TimelineEvent,
    TimelineKind,
)
from domain.policy import ALWAYS_OPEN
from domain.sla import pause_clock, remaining_seconds, start_clock
from tests.factories import make_customer, make_intake, make_view

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)
HOUR = 3600.0
REMIND_AT = 0.75


def _clock(hours_ago: float, budget_hours: float = 72) -> SlaClock:
    """Returns a round-the-clock resolution clock started `hours_ago` before NOW."""
    started = NOW - timedelta(hours=hours_ago)
    return start_clock("resolution", timedelta(hours=budget_hours), started, ALWAYS_OPEN, REMIND_AT)


def _take(own: SlaClock | None, merged: SlaClock | None) -> SlaClock | None:
    return take_earlier_clock(own, merged, NOW, ALWAYS_OPEN, ALWAYS_OPEN, REMIND_AT)


def test_the_survivor_takes_the_clock_with_less_time_left() -> None:
    own, merged = _clock(hours_ago=1), _clock(hours_ago=10)

    taken = _take(own, merged)

    assert taken is not None and taken.due_at == merged.due_at
    assert remaining_seconds(taken, NOW, ALWAYS_OPEN) == pytest.approx(62 * HOUR)
    assert taken.running_since == NOW and taken.budget_seconds == own.budget_seconds
    # The other way round the survivor's own clock stands.
    assert _take(merged, own) == merged


def test_a_paused_survivor_stays_paused_with_the_earlier_budget_left() -> None:
    waiting = pause_clock(_clock(hours_ago=1), NOW, ALWAYS_OPEN)

    taken = _take(waiting, _clock(hours_ago=30))

    assert taken is not None and taken.running_since is None and taken.due_at is None
    assert remaining_seconds(taken, NOW, ALWAYS_OPEN) == pytest.approx(42 * HOUR)


def test_met_clocks_and_missing_ones_leave_the_survivors_clock_alone() -> None:
    own, merged = _clock(hours_ago=1), _clock(hours_ago=10)
    met = merged.model_copy(update={"met_at": NOW, "running_since": None, "due_at": None})

    assert _take(own, met) == own
    assert _take(own, None) == own
    assert _take(None, merged) is None
    own_met = own.model_copy(update={"met_at": NOW})
    assert _take(own_met, merged) == own_met


def test_a_breach_on_the_merged_complaint_is_kept_and_falls_due_at_once() -> None:
    overdue = _clock(hours_ago=80).model_copy(update={"breached": True})

    taken = _take(_clock(hours_ago=1), overdue)

    assert taken is not None and taken.breached
    assert taken.due_at == NOW


def test_a_merge_carries_the_description_then_every_message_of_both_sources() -> None:
    view = make_view(complaint_id="CMERGEDAAAAAA")
    stored = [
        TimelineEvent(seq=1, at=NOW, kind=TimelineKind.RECEIVED, actor="c", detail="web"),
        TimelineEvent(seq=4, at=NOW, kind=TimelineKind.REPLIED, actor="agent", detail="Hi"),
    ]
    not_stored_yet = TimelineEvent(
        seq=5, at=NOW, kind=TimelineKind.CUSTOMER_REPLIED, actor="customer:c", detail="Thanks"
    )
    view.timeline = [*view.timeline, stored[1], not_stored_yet]

    carried = carried_events(view, stored)

    assert [(e.kind, e.detail) for e in carried] == [
        (
            TimelineKind.CUSTOMER_REPLIED,
            "\n".join([view.intake.description, *view.intake.evidence_urls]),
        ),
        (TimelineKind.REPLIED, "Hi"),
        (TimelineKind.CUSTOMER_REPLIED, "Thanks"),
    ]
    assert carried[0].actor == f"customer:{view.intake.customer.id}"
    assert carried[0].at == view.created_at
    marked = carried_detail("CMERGEDAAAAAA", carried[1])
    assert marked == f"[CMERGEDAAAAAA {NOW:%Y-%m-%d %H:%M} UTC] Hi"


def _refusal(merged_overrides: dict[str, object], survivor_overrides: dict[str, object]) -> object:
    merged = make_view(**merged_overrides)
    survivor = make_view(**survivor_overrides)
    refusal = merge_refusal(merged, survivor)
    return None if refusal is None else (refusal.reason, refusal.status_code, refusal.field)


@pytest.mark.parametrize(
    ("merged", "survivor", "expected"),
    [
        ({}, {}, None),
        ({"status": ComplaintStatus.WAITING_ON_CUSTOMER}, {}, None),
        (
            {},
            {"intake": make_intake(customer=make_customer(id="cust-other"))},
            (MergeRefusalReason.OTHER_CUSTOMER, 422, "into"),
        ),
        (
            {"merged_into": "CSOMEWHEREAAA"},
            {},
            (MergeRefusalReason.ALREADY_MERGED, 409, "complaint_id"),
        ),
        ({"status": ComplaintStatus.CLOSED}, {}, (MergeRefusalReason.CLOSED, 409, "complaint_id")),
        (
            {"status": ComplaintStatus.AWAITING_APPROVAL},
            {},
            (MergeRefusalReason.BUSY, 409, "complaint_id"),
        ),
        ({"status": ComplaintStatus.RESOLVING}, {}, (MergeRefusalReason.BUSY, 409, "complaint_id")),
        (
            {},
            {"merged_into": "CSOMEWHEREAAA", "status": ComplaintStatus.CLOSED},
            (MergeRefusalReason.SURVIVOR_MERGED, 409, "into"),
        ),
        ({}, {"status": ComplaintStatus.CLOSED}, (MergeRefusalReason.SURVIVOR_CLOSED, 409, "into")),
        (
            {},
            {"status": ComplaintStatus.RECEIVED},
            (MergeRefusalReason.SURVIVOR_RECEIVED, 409, "into"),
        ),
    ],
)
def test_merge_refusals_name_the_field_at_fault(
    merged: dict[str, object], survivor: dict[str, object], expected: object
) -> None:
    assert _refusal(merged, survivor) == expected


def test_a_complaint_is_not_merged_into_itself() -> None:
    view = make_view()
    refusal = merge_refusal(view, view)
    assert refusal is not None and (refusal.reason, refusal.field) == (
        MergeRefusalReason.ITSELF,
        "into",
    )
    with pytest.raises(InvalidAction):
        check_merge_into(view, MergeInto(into=view.complaint_id, actor="sup"))


def test_once_merging_begins_the_complaint_takes_nothing_else() -> None:
    view = make_view()
    check_merge_into(view, MergeInto(into="CSURVIVORAAAA", actor="sup"))
    view.merged_into = "CSURVIVORAAAA"

    with pytest.raises(ActionNotAllowed, match="merged into CSURVIVORAAAA"):
        check_agent_action(view, AgentAction(actor="agent", action=ReplyAction(message="Hi")))
    with pytest.raises(ActionNotAllowed, match="merged into CSURVIVORAAAA"):
        check_customer_message(view, CustomerMessage(message="Hello?"))
    with pytest.raises(ActionNotAllowed, match="already merged"):
        check_merge_into(view, MergeInto(into="CSURVIVORAAAA", actor="sup"))


def test_a_merged_complaint_publishes_where_it_went_and_nothing_for_its_links() -> None:
    view = make_view(
        status=ComplaintStatus.CLOSED,
        close_reason=CloseReason.MERGED,
        merged_into="CSURVIVORAAAA",
    )
    entries = [
        TimelineEvent(seq=4, at=NOW, kind=TimelineKind.DUPLICATE_LINKED, actor="redress"),
        TimelineEvent(seq=5, at=NOW, kind=TimelineKind.MERGED_INTO, actor="sup", detail="C"),
        TimelineEvent(seq=6, at=NOW, kind=TimelineKind.CLOSED, actor="redress", detail="merged"),
    ]

    [closed] = complaint_case_events(view, entries)

    assert closed.type is CaseEventType.COMPLAINT_CLOSED
    data = json.loads(closed.body)["data"]
    assert (data["close_reason"], data["merged_into"]) == ("merged", "CSURVIVORAAAA")
