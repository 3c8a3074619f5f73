"""The console over a real Temporal dev server and real workers, on a fresh store per test:
through the app in process (the API tests' harness), or served over HTTP for a browser."""

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
import uvicorn
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from core.settings import Settings
from store.db import SessionFactory
from store.teams import seed_default_teams
from tests.api.conftest import running_api
from tests.api.support import TEST_SECRET_KEY, Api, signed_in_api
from worker import build_workers

TEMPORAL_UI_URL = "http://temporal-ui.test:8233"
SERVER_START_TIMEOUT_SECONDS = 10.0


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
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
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
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), log_level="warning", access_log=False)
    )
    async with AsyncExitStack() as stack:
        stack.callback(sock.close)
        for worker in build_workers(client, sessions=sessions, settings=settings):
            await stack.enter_async_context(worker)
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        stack.push_async_callback(lambda: serving)
        stack.callback(lambda: setattr(server, "should_exit", True))
        deadline = asyncio.get_running_loop().time() + SERVER_START_TIMEOUT_SECONDS
        while not server.started:
            if serving.done() or asyncio.get_running_loop().time() > deadline:
                raise RuntimeError("the API did not start")
            await asyncio.sleep(0.01)
        yield await signed_in_api(
            stack,
            transport=await stack.enter_async_context(httpx.AsyncHTTPTransport()),
            base_url=f"http://127.0.0.1:{settings.api_port}",
            temporal=client,
            sessions=sessions,
            settings=settings,
        )
