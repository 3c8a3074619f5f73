"""The store on PostgreSQL; runs when REDRESS_TEST_POSTGRES_URL names a database it may wipe.

REDRESS_TEST_POSTGRES_URL=postgresql+psycopg://redress:redress@127.0.0.1/redress_test
"""

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import store.tables  # noqa: F401  (registers every table on the metadata)
from domain.complaints import ComplaintProjection, ComplaintStatus
from store.complaints import get_complaint, list_complaints, project_complaint, timeline
from store.db import make_engine, prepare_database, session_factory
from store.migrate import downgrade_database
from store.teams import least_loaded_agent, seed_default_teams
from tests.factories import make_projection, make_view

POSTGRES_URL = os.environ.get("REDRESS_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="set REDRESS_TEST_POSTGRES_URL to test the store on PostgreSQL"
)


@pytest.fixture
def postgres() -> Iterator[Engine]:
    downgrade_database(POSTGRES_URL, "base")
    engine = make_engine(POSTGRES_URL)
    prepare_database(engine)
    yield engine
    engine.dispose()
    downgrade_database(POSTGRES_URL, "base")


def test_migrations_match_the_tables_on_postgres(postgres: Engine) -> None:
    with postgres.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
    assert "timeline_events" in inspect(postgres).get_table_names()


def test_store_round_trip_on_postgres(postgres: Engine) -> None:
    sessions = session_factory(postgres)
    beijing = timezone(timedelta(hours=8))
    created_at = datetime(2026, 11, 3, 10, 0, tzinfo=beijing)
    view = make_view(created_at=created_at, updated_at=created_at)
    with sessions() as session:
        seed_default_teams(session)
        seed_default_teams(session)
        project_complaint(session, projection=make_projection(view))
        project_complaint(session, projection=make_projection(view))
        stale = view.model_copy(update={"updated_at": created_at - timedelta(minutes=1)})
        project_complaint(
            session,
            projection=ComplaintProjection(view=stale.model_copy(update={"assignee": None})),
        )

        record = get_complaint(session, complaint_id=view.complaint_id)
        rows, total = list_complaints(session, status=ComplaintStatus.OPEN)
        events = timeline(session, complaint_id=view.complaint_id)
        agent = least_loaded_agent(session, team="quality")

    assert record is not None
    assert record.status == "open"
    assert record.assignee == "agent-quality-1"
    assert record.created_at == datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
    assert record.as_view() == view
    assert ([row.complaint_id for row in rows], total) == ([view.complaint_id], 1)
    assert [event.seq for event in events] == [1, 2, 3]
    assert agent == "agent-quality-2"
