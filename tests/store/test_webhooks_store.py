"""Courier events the webhook took: each event id is recorded once, whoever races for it."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlmodel import select

from domain.returns import TrackingEvent, TrackingStatus
from store.db import SessionFactory
from store.tables.webhooks import ReceivedCourierEvent
from store.webhooks import courier_event_seen, record_courier_event

AT = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def event(
    event_id: str = "EVT-1", status: TrackingStatus = TrackingStatus.PICKED_UP
) -> TrackingEvent:
    return TrackingEvent(
        event_id=event_id,
        parcel_id="PCL-000001",
        tracking_number="SBX000000001",
        status=status,
        at=AT,
    )


def record(sessions: SessionFactory, tracking_event: TrackingEvent) -> bool:
    with sessions() as session:
        return record_courier_event(
            session, event=tracking_event, return_id="RABCDEFGHIJKL", now=AT
        )


def test_an_event_is_recorded_once_and_then_seen(sessions: SessionFactory) -> None:
    with sessions() as session:
        assert not courier_event_seen(session, event_id="EVT-1")

    assert record(sessions, event()) is True
    assert record(sessions, event()) is False

    with sessions() as session:
        assert courier_event_seen(session, event_id="EVT-1")
        rows = session.exec(select(ReceivedCourierEvent)).all()
    assert [(r.event_id, r.parcel_id, r.return_id, r.status, r.received_at) for r in rows] == [
        ("EVT-1", "PCL-000001", "RABCDEFGHIJKL", "picked_up", AT)
    ]


def test_a_repeat_keeps_the_first_delivery(sessions: SessionFactory) -> None:
    record(sessions, event())
    record(sessions, event(status=TrackingStatus.DELIVERED))

    with sessions() as session:
        row = session.get(ReceivedCourierEvent, "EVT-1")
    assert row is not None and row.status == "picked_up"


def test_concurrent_deliveries_of_one_event_record_it_once(sessions: SessionFactory) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: record(sessions, event()), range(8)))

    assert results.count(True) == 1
    with sessions() as session:
        assert len(session.exec(select(ReceivedCourierEvent)).all()) == 1
