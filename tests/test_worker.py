"""worker.py as a deployment runs it: a pool per task queue with its own limits, a graceful
stop on SIGTERM, and the Temporal SDK's Prometheus metrics served from a real worker."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from temporalio import workflow
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.payments.activities import PaymentActivities
from core.settings import Settings, WorkerQueue
from core.telemetry import worker_runtime
from core.temporal import connect
from domain.compensation import CompensationKind, CompensationReceipt, CompensationRequest
from domain.complaints import providers_task_queue
from store.db import SessionFactory
from tests.api.support import TEST_SECRET_KEY
from worker import build_workers

ROOT = Path(__file__).resolve().parents[1]
SCRAPE_TIMEOUT_SECONDS = 20.0
WORKER_START_TIMEOUT_SECONDS = 60.0
# How long the sandbox provider takes over the coupon: the worker is stopped meanwhile.
COUPON_SECONDS = 3.0


@workflow.defn(sandboxed=False)
class IssueCouponWorkflow:
    """Test scaffolding: one coupon from the providers' queue, on a first attempt only."""

    @workflow.run
    async def run(self, request: CompensationRequest) -> CompensationReceipt:
        return await workflow.execute_activity_method(
            PaymentActivities.issue_coupon,
            request,
            task_queue=providers_task_queue(workflow.info().task_queue),
            start_to_close_timeout=timedelta(seconds=60),
            retry_policy=RetryPolicy(maximum_attempts=1),
        )


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


async def test_activity_threads_cover_regular_and_local_activity_slots(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, tmp_path: Path
) -> None:
    settings = _settings(
        tmp_path,
        dev_server_env.client,
        workflows_activity_slots=3,
        providers_activity_slots=4,
        couriers_activity_slots=5,
        worker_shutdown_grace_seconds=7,
    )

    workers = build_workers(dev_server_env.client, sessions=sessions, settings=settings)

    threads = {}
    for worker in workers:
        config = worker.config()
        executor = config.get("activity_executor")
        assert isinstance(executor, ThreadPoolExecutor)
        threads[worker.task_queue] = executor._max_workers
        assert config.get("graceful_shutdown_timeout") == timedelta(seconds=7), worker.task_queue
    queue = settings.complaint_task_queue
    # Local activities run on the workflow queue's pool too: 3 regular + 3 local slots.
    assert threads == {queue: 6, f"{queue}.providers": 4, f"{queue}.couriers": 5}


async def test_sigterm_lets_an_in_flight_activity_finish_before_the_worker_exits(
    dev_server_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    client = dev_server_env.client
    queue = f"worker-sigterm-{uuid.uuid4()}"
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("REDRESS_", "OTEL_"))}
    env = inherited | {
        "REDRESS_DATA_DIR": str(tmp_path),
        "REDRESS_SECRET_KEY": TEST_SECRET_KEY,
        "REDRESS_TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "REDRESS_TEMPORAL_NAMESPACE": client.namespace,
        "REDRESS_COMPLAINT_TASK_QUEUE": queue,
        "REDRESS_WORKER_QUEUES": "providers",
        "REDRESS_SANDBOX_PAYMENTS_RESPONSE_DELAY_SECONDS": str(COUPON_SECONDS),
        "REDRESS_WORKER_SHUTDOWN_GRACE_SECONDS": "20",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "worker.py"], cwd=ROOT, env=env, stdout=output, stderr=output
        )
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WORKER_START_TIMEOUT_SECONDS
        while "worker polling" not in log.read_text(errors="replace"):
            assert process.poll() is None, f"the worker exited early:\n{log.read_text()}"
            assert loop.time() < deadline, f"the worker did not start:\n{log.read_text()}"
            await asyncio.sleep(0.2)
        request = CompensationRequest(
            idempotency_key=f"coupon-{uuid.uuid4()}",
            complaint_id="C-SIGTERM",
            customer_id="customer-1",
            kind=CompensationKind.COUPON,
            amount=Decimal("10.00"),
        )
        async with Worker(client, task_queue=queue, workflows=[IssueCouponWorkflow]):
            handle = await client.start_workflow(
                IssueCouponWorkflow.run, request, id=f"sigterm-{uuid.uuid4()}", task_queue=queue
            )
            while not any(
                pending.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                for pending in (await handle.describe()).raw_description.pending_activities
            ):
                assert loop.time() < deadline, "the coupon never started"
                await asyncio.sleep(0.1)

            process.send_signal(signal.SIGTERM)
            receipt = await asyncio.wait_for(handle.result(), timeout=30)

        exit_code = await asyncio.to_thread(process.wait, 30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    output_text = log.read_text(errors="replace")
    # The coupon was issued on its one attempt, although the worker was told to stop (with
    # no grace the SDK cancels it at once, and the workflow fails).
    assert receipt.kind == CompensationKind.COUPON
    assert receipt.amount == Decimal("10.00")
    assert "in-flight activities have 20.0 s to finish" in output_text
    assert exit_code == 0, output_text


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
