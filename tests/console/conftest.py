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


def console_settings(
    env: WorkflowEnvironment, database_url: str, data_dir: Path, **overrides: object
) -> Settings:
    """Returns the settings of a console test's API and workers, on a fresh task queue."""
    client = env.client
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "temporal_address": client.service_client.config.target_host,
        "temporal_namespace": client.namespace,
        "temporal_ui_url": TEMPORAL_UI_URL,
        "complaint_task_queue": f"console-test-{uuid.uuid4()}",
        "secret_key": TEST_SECRET_KEY,
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
async def api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    settings = console_settings(dev_server_env, database_url, tmp_path)
    async with running_api(dev_server_env.client, sessions, settings) as api:
        yield api
