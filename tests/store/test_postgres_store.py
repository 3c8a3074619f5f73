"""The store on PostgreSQL alone: the migrations build exactly the tables the models
declare, and a round trip keeps times and order. Runs when REDRESS_TEST_POSTGRES_URL names
a server the tests may create databases on (`scripts/postgres-for-tests`).
"""

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
from store.db import make_engine, session_factory
from store.tables.complaint_search import compared_with_metadata
from store.teams import least_loaded_agent, seed_default_teams
from tests.factories import make_projection, make_view
from tests.stores import database_from, postgres_url


@pytest.fixture
def postgres(postgres_template: str) -> Iterator[Engine]:
    """Yields an engine on a database of this test's own, copied from the migrated template."""
    with database_from(postgres_url(), postgres_template) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_migrations_match_the_tables_on_postgres(postgres: Engine) -> None:
    with postgres.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": compared_with_metadata}
        )
        differences = compare_metadata(context, SQLModel.metadata)
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
