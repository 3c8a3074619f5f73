"""The API over a real Temporal dev server and real workers, on a fresh store per test.

Tests run on SQLite; those marked `both_stores` run on PostgreSQL too (which ones, and
why: tests/conftest.py).
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from activities.notifications.base import NotificationProvider
from api.main import create_app
from core.settings import Settings
from store.db import SessionFactory
from store.teams import seed_default_teams
from tests.api.support import TEST_SECRET_KEY, Api, signed_in_api
from tests.served import bound_socket, serve_api
from worker import build_workers


@pytest.fixture
async def api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    client = dev_server_env.client
    settings = api_test_settings(client, database_url, tmp_path, queue="api-test")
    async with running_api(client, sessions, settings) as api:
        yield api


# The evidence tests' limit on one file: small, so a file over it is cheap to make.
TEST_MAX_FILE_BYTES = 32 * 1024


@pytest.fixture
async def evidence_api(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, database_url: str, tmp_path: Path
) -> AsyncIterator[Api]:
    client = dev_server_env.client
    settings = api_test_settings(
        client,
        database_url,
        tmp_path,
        queue="evidence",
        evidence_max_file_bytes=TEST_MAX_FILE_BYTES,
    )
    async with running_api(client, sessions, settings) as api:
        yield api


def api_test_settings(
    client: Client, database_url: str, data_dir: Path, *, queue: str, **overrides: Any
) -> Settings:
    """Returns settings for an API and workers under test: on `client`'s server and
    namespace, a task queue of their own named after `queue`, the test signing key."""
    fields: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "temporal_address": client.service_client.config.target_host,
        "temporal_namespace": client.namespace,
        "complaint_task_queue": f"{queue}-{uuid.uuid4()}",
        "secret_key": TEST_SECRET_KEY,
        # Revoking a key in a test must bite at once (tests/api/test_key_cache.py covers
        # the cache itself).
        "api_key_cache_seconds": 0,
    }
    return Settings(**(fields | overrides))


@asynccontextmanager
async def running_api(
    client: Client,
    sessions: SessionFactory,
    settings: Settings,
    notifier: NotificationProvider | None = None,
) -> AsyncIterator[Api]:
    """Yields the app (with its real lifespan) and workers on `client`, signed in as an
    admin; tests of who may do what make their own clients with `api.client_as`."""
    with sessions() as session:
        seed_default_teams(session)
    app = create_app(settings)
    async with AsyncExitStack() as stack:
        workers = build_workers(
            client,
            sessions=sessions,
            settings=settings,
            task_queue=settings.complaint_task_queue,
            notifier=notifier,
        )
        for worker in workers:
            await stack.enter_async_context(worker)
        # ASGITransport skips the lifespan: run the app's real one around the client.
        await stack.enter_async_context(app.router.lifespan_context(app))
        api = await signed_in_api(
            stack,
            transport=httpx.ASGITransport(app=app),
            base_url="http://redress",
            temporal=client,
            sessions=sessions,
            settings=settings,
        )
        yield api


@pytest.fixture
async def served_api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    """Yields the app served by uvicorn on a free port (with its real lifespan) and real
    workers, for callers that need a socket (a browser, a generated client); `api.http`
    talks to it over HTTP as an admin."""
    async with serving_api(dev_server_env.client, sessions, database_url, tmp_path) as api:
        yield api


@asynccontextmanager
async def serving_api(
    client: Client, sessions: SessionFactory, database_url: str, data_dir: Path, **overrides: Any
) -> AsyncIterator[Api]:
    """Yields the app served over HTTP with real workers (`served_api`), under settings
    changed by `overrides`."""
    async with AsyncExitStack() as stack:
        sock = bound_socket(stack)
        settings = api_test_settings(
            client,
            database_url,
            data_dir,
            queue="served-api",
            api_port=sock.getsockname()[1],
            **overrides,
        )
        with sessions() as session:
            seed_default_teams(session)
        for worker in build_workers(client, sessions=sessions, settings=settings):
            await stack.enter_async_context(worker)
        yield await signed_in_api(
            stack,
            transport=await stack.enter_async_context(httpx.AsyncHTTPTransport()),
            base_url=await serve_api(stack, settings, sock),
            temporal=client,
            sessions=sessions,
            settings=settings,
        )
