"""Throwaway stores for tests, one per test, each a copy of a template migrated once.

Running the migrations takes about a second; copying their result takes a millisecond
on SQLite (a file copy) and well under a second on PostgreSQL (`CREATE DATABASE ...
TEMPLATE`). So each run migrates one template per store and every test gets a copy.
The PostgreSQL databases live on the server that REDRESS_TEST_POSTGRES_URL names; its
role needs CREATEDB (`scripts/postgres-for-tests` grants it).
"""

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from store.db import make_engine, prepare_database
from store.migrate import upgrade_database

POSTGRES_URL_ENV = "REDRESS_TEST_POSTGRES_URL"
DROP_ATTEMPTS = 20
DROP_RETRY_SECONDS = 0.25


def migrated_sqlite_template(directory: Path) -> Path:
    """Returns a SQLite file in `directory` migrated to the newest revision."""
    path = directory / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        prepare_database(engine)
    finally:
        # The last connection to close folds the write-ahead log back into the file, so
        # the file alone is the whole database.
        engine.dispose()
    return path


def sqlite_copy(template: Path, path: Path) -> str:
    """Returns the URL of a new SQLite file at `path` copied from `template`."""
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


class CannotCreateDatabases(Exception):
    """The server refused to create a database; the message says what to change."""


def postgres_url() -> str:
    """Returns the URL of the server the tests may create databases on ("" when unset)."""
    return os.environ.get(POSTGRES_URL_ENV, "")


def _url_of(base_url: str, database: str) -> str:
    return make_url(base_url).set(database=database).render_as_string(hide_password=False)


def _server(base_url: str) -> Engine:
    # CREATE and DROP DATABASE refuse to run inside a transaction.
    return create_engine(base_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _create(base_url: str, name: str, template: str | None = None) -> None:
    clause = f' TEMPLATE "{template}"' if template else ""
    server = _server(base_url)
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    except DBAPIError as error:
        raise CannotCreateDatabases(
            f"cannot create a database as the user in {POSTGRES_URL_ENV} "
            f"({error.orig}); grant it CREATEDB"
        ) from error
    finally:
        server.dispose()


def _drop(base_url: str, name: str) -> None:
    server = _server(base_url)
    try:
        for attempt in range(DROP_ATTEMPTS):
            try:
                with server.connect() as connection:
                    # FORCE: a worker thread of the test may still hold a connection.
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return
            except DBAPIError:
                # Autovacuum may be at work in it, and only a superuser may end that.
                if attempt == DROP_ATTEMPTS - 1:
                    raise
                time.sleep(DROP_RETRY_SECONDS)
    finally:
        server.dispose()


@contextmanager
def migrated_template(base_url: str) -> Iterator[str]:
    """Yields the name of a database migrated to the newest revision, dropped afterwards."""
    name = f"redress_template_{os.getpid()}"
    _drop(base_url, name)  # left over by a run that was killed
    _create(base_url, name)
    try:
        upgrade_database(_url_of(base_url, name))
        yield name
    finally:
        _drop(base_url, name)


@contextmanager
def database_from(base_url: str, template: str) -> Iterator[str]:
    """Yields the URL of a new database copied from `template`, dropped afterwards."""
    name = f"redress_test_{uuid.uuid4().hex[:16]}"
    _create(base_url, name, template=template)
    try:
        yield _url_of(base_url, name)
    finally:
        _drop(base_url, name)
