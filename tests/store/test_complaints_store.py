from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlmodel import select

from domain.complaints import (
    CloseReason,
    CompensationRecord,
    ComplaintProjection,
    ComplaintStatus,
    SlaClock,
    TimelineEvent,
    TimelineKind,
)
from domain.taxonomy import Category, EscalationLevel, SubCategory, Tier
from store.complaints import (
    InvalidCursorError,
    complaint_cursor,
    count_recent_complaints,
    get_complaint,
    list_complaints,
    prior_complaint_counter,
    project_complaint,
    timeline,
)
from store.db import SessionFactory
from store.tables.complaints import ComplaintItemRecord, ComplaintRecord, TimelineEventRecord
from tests.factories import (
    OPENED_AT,
    make_classification,
    make_customer,
    make_intake,
    make_projection,
    make_view,
)


def store(sessions: SessionFactory, projection: ComplaintProjection) -> None:
    with sessions() as session:
        project_complaint(session, projection=projection)


def reply_event(seq: int, at: datetime) -> TimelineEvent:
    return TimelineEvent(
        seq=seq, at=at, kind=TimelineKind.REPLIED, actor="agent-quality-1", detail="已联系仓库"
    )


def test_projecting_the_same_view_twice_stores_one_row_and_each_event_once(
    sessions: SessionFactory,
) -> None:
    projection = make_projection()

    store(sessions, projection)
    store(sessions, projection)

    with sessions() as session:
        rows = session.exec(select(ComplaintRecord)).all()
        events = timeline(session, complaint_id=projection.view.complaint_id)
        items = session.exec(select(ComplaintItemRecord)).all()
    assert [row.complaint_id for row in rows] == [projection.view.complaint_id]
    assert [(event.seq, event.kind) for event in events] == [
        (1, "received"),
        (2, "classified"),
        (3, "routed"),
    ]
    assert [(item.line, item.sku) for item in items] == [(1, "sku-hp-wh1000"), (2, "sku-case-07")]


def test_record_holds_the_view_in_columns_and_as_json(sessions: SessionFactory) -> None:
    view = make_view(sla_breached=True, escalation_level=EscalationLevel.SUPERVISOR)

    store(sessions, make_projection(view))

    with sessions() as session:
        record = get_complaint(session, complaint_id=view.complaint_id)
    assert record is not None
    assert record.as_view() == view
    assert (record.status, record.category, record.sub_category, record.tier) == (
        "open",
        "product_quality",
        "defect",
        "general",
    )
    assert (record.customer_id, record.order_id, record.primary_sku) == (
        "cust-10086",
        "ord-20261030-5521",
        "sku-hp-wh1000",
    )
    assert (record.paid_amount, record.currency) == (Decimal("1388.00"), "CNY")
    assert (record.team, record.assignee, record.escalation_level) == (
        "quality",
        "agent-quality-1",
        "supervisor",
    )
    assert record.sla_breached is True
    assert record.first_response_due == OPENED_AT + timedelta(hours=24)
    assert record.description == view.intake.description


def test_datetimes_come_back_as_aware_utc(sessions: SessionFactory) -> None:
    beijing = timezone(timedelta(hours=8))
    created_at = datetime(2026, 11, 3, 10, 0, tzinfo=beijing)
    view = make_view(created_at=created_at, updated_at=created_at)

    store(sessions, make_projection(view))

    with sessions() as session:
        record = get_complaint(session, complaint_id=view.complaint_id)
        events = timeline(session, complaint_id=view.complaint_id)
    assert record is not None
    assert record.created_at == datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
    assert record.created_at.tzinfo is UTC
    assert events[0].at.tzinfo is UTC
    assert events[0].as_event() == view.timeline[0]


def test_unknown_complaint_is_none(sessions: SessionFactory) -> None:
    with sessions() as session:
        assert get_complaint(session, complaint_id="cmp-missing") is None
        assert timeline(session, complaint_id="cmp-missing") == []


def test_newer_view_replaces_the_stored_row(sessions: SessionFactory) -> None:
    opened = make_view()
    store(sessions, make_projection(opened))
    replied_at = opened.updated_at + timedelta(minutes=20)
    assert opened.first_response is not None
    resolved = opened.model_copy(
        update={
            "status": ComplaintStatus.CLOSED,
            "close_reason": CloseReason.RESOLVED,
            "updated_at": replied_at,
            "closed_at": replied_at,
            "compensations": [
                CompensationRecord(kind="refund", amount=Decimal("1299.00"), reference="RF-1")
            ],
            "first_response": opened.first_response.model_copy(update={"met_at": replied_at}),
        }
    )

    store(sessions, ComplaintProjection(view=resolved, new_events=[reply_event(4, replied_at)]))

    with sessions() as session:
        record = get_complaint(session, complaint_id=opened.complaint_id)
        events = timeline(session, complaint_id=opened.complaint_id)
    assert record is not None
    assert (record.status, record.close_reason) == ("closed", "resolved")
    assert record.refunded_total == Decimal("1299.00")
    assert record.first_responded_at == replied_at
    assert record.resolved_at == replied_at
    assert record.closed_at == replied_at
    assert record.as_view() == resolved
    assert [event.seq for event in events] == [1, 2, 3, 4]


def test_older_view_does_not_roll_back_but_still_adds_its_events(
    sessions: SessionFactory,
) -> None:
    opened = make_view()
    later = opened.updated_at + timedelta(hours=1)
    closed = opened.model_copy(
        update={"status": ComplaintStatus.CLOSED, "updated_at": later, "closed_at": later}
    )
    store(sessions, ComplaintProjection(view=closed))

    # A retried projection from before the close arrives late, with an event not yet stored.
    store(
        sessions,
        ComplaintProjection(view=opened, new_events=[reply_event(4, opened.updated_at)]),
    )

    with sessions() as session:
        record = get_complaint(session, complaint_id=opened.complaint_id)
        events = timeline(session, complaint_id=opened.complaint_id)
    assert record is not None
    assert record.status == "closed"
    assert record.updated_at == later
    assert [event.seq for event in events] == [4]


def test_get_complaint_in_the_same_session_sees_the_newest_projection(
    sessions: SessionFactory,
) -> None:
    view = make_view()
    with sessions() as session:
        project_complaint(session, projection=make_projection(view))
        assert get_complaint(session, complaint_id=view.complaint_id) is not None
        newer = view.model_copy(
            update={"assignee": "agent-quality-2", "updated_at": view.updated_at + timedelta(1)}
        )
        project_complaint(session, projection=ComplaintProjection(view=newer))
        record = get_complaint(session, complaint_id=view.complaint_id)
    assert record is not None
    assert record.assignee == "agent-quality-2"


def test_list_filters_by_every_field(sessions: SessionFactory) -> None:
    vip = make_intake(customer=make_customer(id="cust-vip-7"))
    logistics = make_classification(
        category=Category.LOGISTICS, sub_category=SubCategory.LOST_PARCEL, tier=Tier.SERIOUS
    )
    default = make_view()
    breached = make_view(sla_breached=True, assignee="agent-quality-2")
    closed = make_view(status=ComplaintStatus.CLOSED, intake=vip)
    lost_parcel = make_view(classification=logistics, assignee=None)
    for view in (default, breached, closed, lost_parcel):
        store(sessions, make_projection(view))

    def ids(**filters: object) -> set[str]:
        with sessions() as session:
            rows, total = list_complaints(session, **filters)  # type: ignore[arg-type]
        assert total == len(rows)
        return {row.complaint_id for row in rows}

    everyone = {view.complaint_id for view in (default, breached, closed, lost_parcel)}
    assert ids() == everyone
    assert ids(status=ComplaintStatus.CLOSED) == {closed.complaint_id}
    assert ids(status="open") == everyone - {closed.complaint_id}
    assert ids(category=Category.LOGISTICS) == {lost_parcel.complaint_id}
    assert ids(tier=Tier.SERIOUS) == {lost_parcel.complaint_id}
    assert ids(sla_breached=True) == {breached.complaint_id}
    assert ids(sla_breached=False) == everyone - {breached.complaint_id}
    assert ids(customer_id="cust-vip-7") == {closed.complaint_id}
    assert ids(assignee="agent-quality-2") == {breached.complaint_id}
    assert ids(status="open", assignee="agent-quality-1") == {default.complaint_id}
    assert ids(category=Category.SECURITY) == set()


def test_list_pages_newest_first_by_cursor_or_offset(sessions: SessionFactory) -> None:
    views = [make_view(created_at=OPENED_AT + timedelta(minutes=n)) for n in range(5)]
    # Two complaints in the same instant: the cursor must not skip or repeat either.
    views.append(make_view(created_at=views[-1].created_at))
    for view in views:
        store(sessions, make_projection(view))
    newest_first = [
        view.complaint_id
        for view in sorted(views, key=lambda v: (v.created_at, v.complaint_id), reverse=True)
    ]

    seen: list[str] = []
    after: str | None = None
    with sessions() as session:
        while True:
            rows, total = list_complaints(session, limit=4, after=after)
            assert total == 6
            seen += [row.complaint_id for row in rows]
            if len(rows) < 4:
                break
            after = complaint_cursor(rows[-1])
        second_page, _ = list_complaints(session, limit=2, offset=2)
    assert seen == newest_first
    assert [row.complaint_id for row in second_page] == newest_first[2:4]


def test_list_rejects_a_cursor_it_did_not_issue(sessions: SessionFactory) -> None:
    with sessions() as session:
        for cursor in ("not-a-cursor", "WzFd", "WyJ5ZXN0ZXJkYXkiLCAiY21wLTEiXQ=="):
            with pytest.raises(InvalidCursorError):
                list_complaints(session, after=cursor)
        with pytest.raises(ValueError):
            list_complaints(session, limit=0)


def test_count_recent_complaints_respects_window_and_exclusion(sessions: SessionFactory) -> None:
    customer = make_intake(customer=make_customer(id="cust-repeat"))
    someone_else = make_intake(customer=make_customer(id="cust-other"))
    since = OPENED_AT - timedelta(days=90)
    current = make_view(intake=customer, created_at=OPENED_AT)
    within = make_view(intake=customer, created_at=OPENED_AT - timedelta(days=30))
    on_the_edge = make_view(intake=customer, created_at=since)
    too_old = make_view(intake=customer, created_at=since - timedelta(seconds=1))
    other_customer = make_view(intake=someone_else, created_at=OPENED_AT)
    for view in (current, within, on_the_edge, too_old, other_customer):
        store(sessions, make_projection(view))

    with sessions() as session:
        count = count_recent_complaints(
            session,
            customer_id="cust-repeat",
            exclude_complaint_id=current.complaint_id,
            since=since,
        )
    assert count == 2


def test_prior_complaint_counter_uses_the_severity_window(sessions: SessionFactory) -> None:
    now = datetime.now(UTC)
    customer = make_intake(customer=make_customer(id="cust-counted"))
    current = make_view(intake=customer, created_at=now)
    for view in (
        current,
        make_view(intake=customer, created_at=now - timedelta(days=10)),
        make_view(intake=customer, created_at=now - timedelta(days=60)),
        make_view(intake=customer, created_at=now - timedelta(days=120)),
    ):
        store(sessions, make_projection(view))

    count_prior = prior_complaint_counter(sessions)

    assert count_prior("cust-counted", current.complaint_id) == 2
    assert count_prior("cust-nobody", "cmp-none") == 0


def test_events_of_a_long_complaint_arrive_in_batches(sessions: SessionFactory) -> None:
    view = make_view()
    store(sessions, make_projection(view))
    later = [reply_event(seq, view.updated_at + timedelta(minutes=seq)) for seq in range(4, 9)]
    # Batches overlap, as they do when a projection is retried after a partial failure.
    store(sessions, ComplaintProjection(view=view, new_events=later[:3]))
    store(sessions, ComplaintProjection(view=view, new_events=later[1:]))

    with sessions() as session:
        events = timeline(session, complaint_id=view.complaint_id)
        count = len(session.exec(select(TimelineEventRecord)).all())
    assert [event.seq for event in events] == list(range(1, 9))
    assert count == 8


def test_first_response_clock_without_due_date_is_stored_as_none(sessions: SessionFactory) -> None:
    paused = SlaClock(name="first_response", budget_seconds=3600)
    view = make_view(first_response=paused, resolution=None, classification=None, routing=None)

    store(sessions, make_projection(view))

    with sessions() as session:
        record = get_complaint(session, complaint_id=view.complaint_id)
    assert record is not None
    assert (record.first_response_due, record.resolution_due, record.category) == (None,) * 3
