"""The console over a real Temporal dev server and real workers, on a fresh store per test:
through the app in process (the API tests' harness), or served over HTTP for a browser."""

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from store.db import SessionFactory
from store.teams import seed_default_teams
from tests.api.conftest import running_api
from tests.api.support import TEST_SECRET_KEY, Api, signed_in_api
from tests.served import bound_socket, serve_api
from worker import build_workers

TEMPORAL_UI_URL = "http://temporal-ui.test:8233"


@pytest.fixture
async def api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    client = dev_server_env.client
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        temporal_address=client.service_client.config.target_host,
        temporal_namespace=client.namespace,
        temporal_ui_url=TEMPORAL_UI_URL,
        complaint_task_queue=f"console-test-{uuid.uuid4()}",
        secret_key=TEST_SECRET_KEY,
    )
    async with running_api(client, sessions, settings) as api:
        yield api


@pytest.fixture
async def served_api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    """Yields the API served by uvicorn on a free port (with its real lifespan) and real
    workers, for a real browser; `api.http` talks to it over HTTP as an admin."""
    client = dev_server_env.client
    async with AsyncExitStack() as stack:
        sock = bound_socket(stack)
        settings = Settings(
            data_dir=tmp_path,
            database_url=database_url,
            temporal_address=client.service_client.config.target_host,
            temporal_namespace=client.namespace,
            complaint_task_queue=f"console-browser-{uuid.uuid4()}",
            api_port=sock.getsockname()[1],
            secret_key=TEST_SECRET_KEY,
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
