"""The console's return queues on the read model: each queue lists what the domain's
definition puts in it, the nearest deadline first, pages, and counts; an escalated review
and an overdue inspection are in the overdue queue; returns stored before the queue
columns existed get them from the migration. On SQLite and PostgreSQL: the queries lean
on NULLS LAST, boolean columns and grouped counts, which the two write differently."""

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from domain.return_queues import ReturnQueue, queues_of, waiting_due_at
from domain.returns import ReturnStatus, ReturnView
from store.db import SessionFactory, session_factory
from store.migrate import downgrade_database, upgrade_database
from store.return_queues import count_return_queues, list_return_queue
from store.returns import project_return
from store.tables.returns import ReturnRecord
from tests.return_factories import REQUESTED_AT, make_return_projection, make_return_view

HOUR = timedelta(hours=1)


def _views() -> dict[str, ReturnView]:
    """Returns one return of each kind the queues tell apart, by a name saying what it is."""
    at = REQUESTED_AT

    def view(**fields: object) -> ReturnView:
        return make_return_view(**fields)

    return {
        "review": view(status=ReturnStatus.UNDER_REVIEW, review_level="supervisor",
                       review_due_at=at + 20 * HOUR),
        "review_soon": view(status=ReturnStatus.UNDER_REVIEW, review_level="supervisor",
                            review_due_at=at + 2 * HOUR),
        "review_with_manager": view(status=ReturnStatus.UNDER_REVIEW, review_level="manager",
                                    review_due_at=at + 30 * HOUR),
        "review_overdue": view(status=ReturnStatus.UNDER_REVIEW, review_level="manager",
                               review_due_at=at + 40 * HOUR, overdue=True),
        "consent": view(status=ReturnStatus.AWAITING_CONSENT, consent_due_at=at + HOUR),
        "to_ship": view(status=ReturnStatus.AWAITING_SHIPMENT, ship_by=at + 50 * HOUR),
        "no_label_yet": view(status=ReturnStatus.AWAITING_SHIPMENT),
        "moving": view(status=ReturnStatus.IN_TRANSIT, ship_by=at + HOUR),
        "stuck": view(status=ReturnStatus.IN_TRANSIT, overdue=True, trace_opened=True),
        "exchange": view(status=ReturnStatus.EXCHANGE_IN_TRANSIT, exchange_due_at=at + 9 * HOUR),
        "inspect": view(status=ReturnStatus.AWAITING_INSPECTION,
                        inspection_due_at=at + 10 * HOUR),
        "inspect_late": view(status=ReturnStatus.AWAITING_INSPECTION, overdue=True,
                             inspection_due_at=at + 5 * HOUR),
        "settling": view(status=ReturnStatus.SETTLING),
        "retry": view(status=ReturnStatus.SETTLING, needs_person=True),
        "done": view(status=ReturnStatus.COMPLETED, closed_at=at + HOUR),
        "rejected": view(status=ReturnStatus.REJECTED, review_level="manager"),
    }  # fmt: skip


def _store(sessions: SessionFactory, views: dict[str, ReturnView]) -> dict[str, str]:
    """Stores the views; returns each one's name by its return id."""
    with sessions() as session:
        for view in views.values():
            project_return(session, projection=make_return_projection(view))
    return {view.return_id: name for name, view in views.items()}


def _listed(sessions: SessionFactory, queue: ReturnQueue, names: dict[str, str]) -> list[str]:
    with sessions() as session:
        page = list_return_queue(session, queue=queue, page_size=100)
    assert page.total == len(page.rows)
    return [names[row.return_id] for row in page.rows]


@pytest.mark.both_stores
def test_each_queue_lists_what_the_domain_puts_in_it_by_deadline(
    sessions: SessionFactory,
) -> None:
    views = _views()
    names = _store(sessions, views)

    assert _listed(sessions, ReturnQueue.UNDER_REVIEW, names) == [
        "review_soon",
        "review",
        "review_with_manager",
        "review_overdue",
    ]
    # A label not sent yet has no ship-by: after those that have one.
    assert _listed(sessions, ReturnQueue.WAITING_TO_SHIP, names) == ["to_ship", "no_label_yet"]
    assert set(_listed(sessions, ReturnQueue.IN_TRANSIT, names)) == {"moving", "stuck", "exchange"}
    assert _listed(sessions, ReturnQueue.IN_TRANSIT, names)[0] == "exchange", "timed first"
    assert _listed(sessions, ReturnQueue.AWAITING_INSPECTION, names) == ["inspect_late", "inspect"]
    assert _listed(sessions, ReturnQueue.NEEDS_PERSON, names) == ["retry"]
    # Escalated to the manager is late already; an inspection the warehouse missed too.
    assert _listed(sessions, ReturnQueue.OVERDUE, names) == [
        "inspect_late",
        "review_with_manager",
        "review_overdue",
        "stuck",
    ]

    with sessions() as session:
        counts = count_return_queues(session)
    for queue in ReturnQueue:
        expected = {name for name, view in views.items() if queue in queues_of(view)}
        assert set(_listed(sessions, queue, names)) == expected, queue
        assert counts[queue] == len(expected), queue


@pytest.mark.both_stores
def test_a_queue_pages_and_a_page_past_the_end_is_the_last(sessions: SessionFactory) -> None:
    views = {
        f"inspect-{hours}": make_return_view(
            status=ReturnStatus.AWAITING_INSPECTION, inspection_due_at=REQUESTED_AT + hours * HOUR
        )
        for hours in range(5)
    }
    names = _store(sessions, views)

    with sessions() as session:
        first = list_return_queue(session, queue=ReturnQueue.AWAITING_INSPECTION, page_size=2)
        last = list_return_queue(
            session, queue=ReturnQueue.AWAITING_INSPECTION, page=3, page_size=2
        )
        past = list_return_queue(
            session, queue=ReturnQueue.AWAITING_INSPECTION, page=9, page_size=2
        )

    assert (first.total, first.pages, first.page) == (5, 3, 1)
    assert [names[row.return_id] for row in first.rows] == ["inspect-0", "inspect-1"]
    assert [names[row.return_id] for row in last.rows] == ["inspect-4"]
    assert past.page == 3
    assert [row.return_id for row in past.rows] == [row.return_id for row in last.rows]
    with pytest.raises(ValueError, match="page must be 1 or more"):
        with sessions() as session:
            list_return_queue(session, queue=ReturnQueue.OVERDUE, page=0)


@pytest.mark.both_stores
def test_the_migration_fills_the_queue_columns_of_returns_already_stored(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    sessions = session_factory(engine)
    views = _views()
    _store(sessions, views)
    engine.dispose()

    downgrade_database(url, "0019")  # before the queue columns existed
    upgrade_database(url)

    with sessions() as session:
        rows = {row.return_id: row for row in session.exec(select(ReturnRecord)).all()}
    for name, view in views.items():
        row = rows[view.return_id]
        closed = view.status in (ReturnStatus.COMPLETED, ReturnStatus.REJECTED)
        assert row.due_at == (None if closed else waiting_due_at(view)), name
        assert row.review_level == (None if closed else view.review_level), name
    assert rows[views["review_with_manager"].return_id].review_level == "manager"
    with sessions() as session:
        assert count_return_queues(session)[ReturnQueue.OVERDUE] == 4
