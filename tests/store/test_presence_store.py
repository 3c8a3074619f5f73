"""Presence reports in the store, on SQLite and PostgreSQL: a page's report replaces its
last one, reports expire when read (no cleaner), day-old ones are deleted by the next
report, a closing page's report goes at once, and one person's pages count as one person
(writing when any page is)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from domain.presence import SHOWN_FOR, PresenceState, Present
from store.db import SessionFactory
from store.presence import present_on, record_presence
from store.tables.presence import ComplaintPresence

pytestmark = pytest.mark.both_stores

NOW = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
COMPLAINT = "C-PRESENCE-1"


def report(
    sessions: SessionFactory,
    user_id: str,
    state: PresenceState = PresenceState.VIEWING,
    *,
    page_key: str = "",
    at: datetime = NOW,
    complaint_id: str = COMPLAINT,
) -> None:
    with sessions() as session:
        record_presence(
            session,
            complaint_id=complaint_id,
            user_id=user_id,
            display_name=f"Agent {user_id}",
            page_key=page_key or f"page-of-{user_id}",
            state=state,
            now=at,
        )


def present(sessions: SessionFactory, excluding: str = "nobody", at: datetime = NOW) -> list:
    with sessions() as session:
        return present_on(session, complaint_id=COMPLAINT, now=at, excluding=excluding)


def stored_rows(sessions: SessionFactory) -> int:
    with sessions() as session:
        return len(session.exec(select(ComplaintPresence)).all())


def test_others_are_shown_and_the_reader_is_not(sessions: SessionFactory) -> None:
    report(sessions, "ana")
    report(sessions, "bo", PresenceState.WRITING)
    report(sessions, "cy", complaint_id="C-ELSEWHERE")

    assert present(sessions, excluding="ana") == [Present("bo", "Agent bo", writing=True)]
    # Those writing come first, then by name.
    assert present(sessions) == [
        Present("bo", "Agent bo", writing=True),
        Present("ana", "Agent ana", writing=False),
    ]


def test_a_report_replaces_the_pages_last_one(sessions: SessionFactory) -> None:
    report(sessions, "ana", PresenceState.WRITING)
    report(sessions, "ana", PresenceState.VIEWING, at=NOW + timedelta(seconds=12))

    assert present(sessions, at=NOW + timedelta(seconds=12)) == [
        Present("ana", "Agent ana", writing=False)
    ]
    assert stored_rows(sessions) == 1


def test_a_report_expires_when_read_and_a_day_old_one_is_deleted_by_the_next(
    sessions: SessionFactory,
) -> None:
    report(sessions, "ana")
    just_shown = NOW + SHOWN_FOR
    assert [p.user_id for p in present(sessions, at=just_shown)] == ["ana"]
    assert present(sessions, at=just_shown + timedelta(seconds=1)) == []
    # Still stored until a report a day later removes it.
    assert stored_rows(sessions) == 1
    report(sessions, "bo", at=NOW + timedelta(hours=23))
    assert stored_rows(sessions) == 2
    report(sessions, "bo", at=NOW + timedelta(days=1, seconds=1))
    assert stored_rows(sessions) == 1


def test_one_person_with_two_pages_is_one_person_writing_when_either_page_is(
    sessions: SessionFactory,
) -> None:
    report(sessions, "ana", PresenceState.VIEWING, page_key="tab-1")
    report(sessions, "ana", PresenceState.WRITING, page_key="tab-2")
    assert present(sessions) == [Present("ana", "Agent ana", writing=True)]

    # The writing tab closes: the other tab still shows her, reading.
    report(sessions, "ana", PresenceState.LEFT, page_key="tab-2")
    assert present(sessions) == [Present("ana", "Agent ana", writing=False)]
    report(sessions, "ana", PresenceState.LEFT, page_key="tab-1")
    assert present(sessions) == []
    assert stored_rows(sessions) == 0


def test_reports_from_many_processes_at_once_keep_one_row_per_page(
    sessions: SessionFactory,
) -> None:
    # Several API processes taking the same page's reports race on one row: the database
    # settles it (no duplicate-key error, no second row).
    states = [PresenceState.VIEWING, PresenceState.WRITING] * 8
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda state: report(sessions, "ana", state), states))

    assert stored_rows(sessions) == 1
    assert [p.user_id for p in present(sessions)] == ["ana"]
