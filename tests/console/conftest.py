"""The console over a real Temporal dev server and real workers, on a fresh store per test:
through the app in process (the API tests' harness), or served over HTTP for a browser."""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from store.db import SessionFactory
from tests.api.conftest import (
    running_api,
    served_api,  # noqa: F401  (the browser tests' fixture: the API over HTTP)
)
from tests.api.support import TEST_SECRET_KEY, Api

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
