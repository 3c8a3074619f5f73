from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import store.tables  # noqa: F401  (registers every table on the metadata)
from store.complaints import get_complaint, project_complaint
from store.db import make_engine, prepare_database, session_factory
from store.migrate import alembic_config, downgrade_database, upgrade_database
from store.tables.complaint_search import compared_with_metadata
from tests.factories import make_projection

READ_MODEL_TABLES = {"complaints", "complaint_items", "timeline_events", "teams", "agents"}


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture
def fresh_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'migrated.db'}"


def test_upgrade_creates_every_table_of_the_read_model(fresh_url: str) -> None:
    upgrade_database(fresh_url)

    assert READ_MODEL_TABLES | {"alembic_version"} <= table_names(fresh_url)


def test_migrations_match_the_table_definitions(fresh_url: str) -> None:
    # Fails when a table or column changed in code without a revision to go with it.
    upgrade_database(fresh_url)

    engine = make_engine(fresh_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(
                    connection, opts={"include_name": compared_with_metadata}
                ),
                SQLModel.metadata,
            )
    finally:
        engine.dispose()
    assert differences == [], (
        "tables differ from the migrations: write a revision with "
        '`python -m store.migrate revision "<what changed>" --id <next id>`'
    )


# Each downgrade is DDL of its own on each dialect: run them on both stores.
@pytest.mark.both_stores
def test_downgrade_to_base_drops_everything_and_upgrade_rebuilds(database_url: str) -> None:
    upgrade_database(database_url)

    downgrade_database(database_url, "base")
    assert table_names(database_url) == {"alembic_version"}

    upgrade_database(database_url)
    assert READ_MODEL_TABLES <= table_names(database_url)


def test_upgrade_is_a_no_op_on_a_migrated_database(fresh_url: str) -> None:
    upgrade_database(fresh_url)
    upgrade_database(fresh_url)

    assert READ_MODEL_TABLES <= table_names(fresh_url)


def test_prepare_database_works_on_an_in_memory_database() -> None:
    engine = make_engine("sqlite:///:memory:")
    try:
        prepare_database(engine)
        projection = make_projection()
        with session_factory(engine)() as session:
            project_complaint(session, projection=projection)
            assert get_complaint(session, complaint_id=projection.view.complaint_id) is not None
    finally:
        engine.dispose()


def test_alembic_config_keeps_url_encoded_passwords() -> None:
    url = "postgresql+psycopg://redress:p%40ss%25word@db.internal:5432/redress"

    assert alembic_config(url).get_main_option("sqlalchemy.url") == url
