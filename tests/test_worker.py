"""worker.py as a deployment runs it: a pool per task queue with its own limits, and the
Temporal SDK's Prometheus metrics served from a real worker."""

import asyncio
import socket
import uuid
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings, WorkerQueue
from core.telemetry import worker_runtime
from core.temporal import connect
from store.db import SessionFactory
from tests.api.support import TEST_SECRET_KEY
from worker import build_workers

SCRAPE_TIMEOUT_SECONDS = 20.0


def _settings(tmp_path: Path, client: Client, **overrides: object) -> Settings:
    fields: dict[str, object] = {
        "data_dir": tmp_path,
        "temporal_address": client.service_client.config.target_host,
        "temporal_namespace": client.namespace,
        "complaint_task_queue": f"worker-test-{uuid.uuid4()}",
        "secret_key": TEST_SECRET_KEY,
    }
    return Settings.model_validate(fields | overrides)


def _free_address() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def test_a_worker_polls_only_the_queues_it_is_given(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, tmp_path: Path
) -> None:
    settings = _settings(
        tmp_path,
        dev_server_env.client,
        worker_queues=[WorkerQueue.PROVIDERS, WorkerQueue.COURIERS],
        providers_activity_slots=4,
        providers_activities_per_second=25.0,
    )

    workers = build_workers(dev_server_env.client, sessions=sessions, settings=settings)

    queue = settings.complaint_task_queue
    assert [worker.task_queue for worker in workers] == [f"{queue}.providers", f"{queue}.couriers"]
    providers = workers[0].config()
    assert providers.get("max_concurrent_activities") == 4
    assert providers.get("max_task_queue_activities_per_second") == 25.0
    # 0 in settings means no limit at all, not a limit of zero.
    assert workers[1].config().get("max_task_queue_activities_per_second") is None


async def test_the_worker_serves_the_sdk_metrics_for_prometheus(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, tmp_path: Path
) -> None:
    address = _free_address()
    settings = _settings(
        tmp_path,
        dev_server_env.client,
        worker_metrics_address=address,
        worker_queues=[WorkerQueue.WORKFLOWS],
    )
    client = await connect(settings, runtime=worker_runtime(settings))
    [worker] = build_workers(client, sessions=sessions, settings=settings)

    def reports_slots(text: str) -> bool:
        return any(
            line.startswith("temporal_worker_task_slots_available{")
            and settings.complaint_task_queue in line
            for line in text.splitlines()
        )

    async with worker, httpx.AsyncClient(base_url=f"http://{address}") as http:
        deadline = asyncio.get_running_loop().time() + SCRAPE_TIMEOUT_SECONDS
        while True:
            scrape = await http.get("/metrics")
            assert scrape.status_code == 200
            # Pollers report their free slots per task queue once they are running.
            if reports_slots(scrape.text):
                break
            assert asyncio.get_running_loop().time() < deadline, scrape.text[:2000]
            await asyncio.sleep(0.2)

    assert "temporal_request" in scrape.text  # the client's calls to the server
