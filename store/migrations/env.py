"""Alembic environment: migrates the database whose URL `store.migrate` hands over."""

from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, create_engine, pool
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import store.tables  # noqa: F401  (registers every table on the metadata)
from store.tables.complaint_search import compared_with_metadata
from store.types import UtcDateTime

config = context.config

# Only the alembic command line configures logging: when the app migrates at start-up,
# its own logging set-up must survive.
if config.cmd_opts is not None and config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url") or context.get_x_argument(
        as_dictionary=True
    ).get("url")
    if url:
        return url
    from core.settings import get_settings

    return get_settings().effective_database_url


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    # Revisions are frozen history: they spell plain SQLAlchemy types, never app classes
    # whose module could move or change later. The database sees the same column either way.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        # SQLite alters tables by copying them; batch mode writes migrations that way.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        include_name=compared_with_metadata,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=SQLModel.metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # An in-memory SQLite database exists only on its own connection, so the caller may
    # hand one over; otherwise a short-lived engine without the app's pragmas is used
    # (SQLite batch copies must not fire foreign-key cascades).
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
