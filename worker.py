"""The Redress worker: complaint, return and survey workflows and their activities on one
queue, provider calls (payments, fulfilment) on a queue of their own, courier calls on a
third.

Run it with `python worker.py`; `make run` starts it beside the dev server and the API.
`REDRESS_WORKER_QUEUES` picks the queues one process polls (all three by default), so a
deployment runs, and scales, a separate pool per kind of work (see docs/operations.md).
A process polling the workflows queue also sends the events platforms subscribe to
(webhooks, `core.webhook_dispatcher`).
SIGTERM (or Ctrl-C) stops polling and gives in-flight activities
`REDRESS_WORKER_SHUTDOWN_GRACE_SECONDS` to finish before they are cancelled.
"""

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from datetime import timedelta

import httpx
from temporalio.client import Client
from temporalio.worker import Worker

from activities.classifier.rules import RuleBasedClassifier
from activities.classify import ClassifyActivities
from activities.couriers.activities import CourierActivities
from activities.couriers.base import CourierProvider
from activities.couriers.factory import courier_provider, courier_simulator
from activities.eligibility import EligibilityActivities
from activities.faults import FaultPlan
from activities.fulfillment.activities import FulfillmentActivities
from activities.fulfillment.base import FulfillmentProvider
from activities.fulfillment.sandbox import SandboxFulfillment
from activities.merging import MergeActivities
from activities.notifications.activities import NotificationActivities
from activities.notifications.base import NotificationProvider
from activities.notifications.factory import notification_provider
from activities.payments.activities import PaymentActivities
from activities.payments.base import PaymentsProvider
from activities.payments.factory import payments_provider
from activities.records import RecordActivities
from activities.return_records import ReturnRecordActivities
from activities.routing import RoutingActivities
from activities.service_recovery import ServiceRecoveryActivities
from activities.surveys import SurveyActivities
from core.probe import keep_heartbeat
from core.settings import Settings, WorkerQueue, get_settings
from core.telemetry import configure_tracing, worker_runtime
from core.temporal import connect_when_ready
from core.webhook_dispatcher import WebhookDispatcher
from domain.complaints import providers_task_queue
from domain.returns import couriers_task_queue
from store.complaints import prior_complaint_counter
from store.db import SessionFactory, make_engine, prepare_database, session_factory
from store.teams import seed_default_teams
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow
from workflows.service_recovery import ServiceRecoveryWorkflow
from workflows.surveys import SurveyWorkflow

log = logging.getLogger("redress.worker")


def _queue_rate(per_second: float) -> float | None:
    # Settings say 0 for "no limit"; the SDK says None.
    return per_second or None


def _activity_threads(activity_slots: int, local_activity_slots: int = 0) -> ThreadPoolExecutor:
    """Returns the thread pool for a worker's synchronous activities and local activities."""
    # Both kinds run on this one pool: with fewer threads than their slots together, a
    # local activity (which holds up its workflow task) waits behind slow regular ones.
    return ThreadPoolExecutor(max_workers=activity_slots + local_activity_slots)


async def dispatch_webhooks(
    sessions: SessionFactory, settings: Settings, stop: asyncio.Event
) -> None:
    """Sends the events platforms subscribe to until `stop` is set (`core.webhook_dispatcher`)."""
    async with httpx.AsyncClient() as http:
        await WebhookDispatcher(sessions, settings, http=http).run(stop)


def build_workers(
    client: Client,
    *,
    sessions: SessionFactory,
    settings: Settings,
    task_queue: str | None = None,
    payments: PaymentsProvider | None = None,
    fulfillment: FulfillmentProvider | None = None,
    notifier: NotificationProvider | None = None,
    courier: CourierProvider | None = None,
) -> list[Worker]:
    """Returns the workers for a workflow task queue, its providers' and couriers' queues,
    those of them that `settings.worker_queues` names.

    Providers default to the ones settings name; tests pass their own (for example a
    sandbox with failure injection). Activities here are synchronous (the store is), so
    they run on threads, one pool per queue sized by settings: a slow provider cannot take
    the threads that complaints need. On shutdown each worker gives in-flight activities
    `settings.worker_shutdown_grace_seconds` to finish before it cancels them.
    """
    queue = task_queue or settings.complaint_task_queue
    shutdown_grace = timedelta(seconds=settings.worker_shutdown_grace_seconds)
    faults = FaultPlan.from_settings(settings)
    classify = ClassifyActivities(RuleBasedClassifier(), prior_complaint_counter(sessions))
    routing = RoutingActivities(sessions)
    records = RecordActivities(sessions)
    merging = MergeActivities(sessions)
    notifications = NotificationActivities(notifier or notification_provider(settings, sessions))
    money = PaymentActivities(payments or payments_provider(settings, sessions))
    goods = FulfillmentActivities(fulfillment or SandboxFulfillment(sessions, faults))
    parcels = CourierActivities(courier or courier_provider(settings, sessions))
    eligibility = EligibilityActivities(sessions)
    return_records = ReturnRecordActivities(sessions)
    surveys = SurveyActivities(sessions, settings)
    recoveries = ServiceRecoveryActivities(sessions)

    queues = set(settings.worker_queues)
    workers: list[Worker] = []
    if WorkerQueue.WORKFLOWS in queues:
        complaints = Worker(
            client,
            task_queue=queue,
            workflows=[ComplaintWorkflow, ReturnWorkflow, SurveyWorkflow, ServiceRecoveryWorkflow],
            activities=[
                classify.classify_complaint,
                routing.route_complaint,
                records.project_complaint,
                merging.find_open_duplicate,
                merging.read_carried_timeline,
                merging.copy_merged_evidence,
                notifications.send_notification,
                eligibility.assess_return,
                return_records.project_return,
                return_records.restock_items,
                return_records.reserve_stock,
                surveys.make_survey_link,
                surveys.project_survey,
                recoveries.project_service_recovery,
            ],
            activity_executor=_activity_threads(
                settings.workflows_activity_slots, settings.workflows_activity_slots
            ),
            max_concurrent_activities=settings.workflows_activity_slots,
            max_concurrent_local_activities=settings.workflows_activity_slots,
            max_cached_workflows=settings.workflow_cache_size,
            max_concurrent_workflow_tasks=settings.workflow_task_slots,
            graceful_shutdown_timeout=shutdown_grace,
        )
        workers.append(complaints)
    if WorkerQueue.PROVIDERS in queues:
        providers = Worker(
            client,
            task_queue=providers_task_queue(queue),
            activities=[
                money.refund_payment,
                money.reverse_refund,
                money.issue_coupon,
                money.void_coupon,
                money.issue_store_credit,
                money.revoke_store_credit,
                money.find_duplicate_charge,
                goods.create_replacement,
                goods.cancel_replacement,
            ],
            # No workflows run here, so no local activities either.
            activity_executor=_activity_threads(settings.providers_activity_slots),
            max_concurrent_activities=settings.providers_activity_slots,
            max_task_queue_activities_per_second=_queue_rate(
                settings.providers_activities_per_second
            ),
            graceful_shutdown_timeout=shutdown_grace,
        )
        workers.append(providers)
    if WorkerQueue.COURIERS in queues:
        couriers = Worker(
            client,
            task_queue=couriers_task_queue(queue),
            activities=[
                parcels.create_return_label,
                parcels.create_outbound_shipment,
                parcels.cancel_parcel,
                parcels.open_trace,
                parcels.file_claim,
            ],
            activity_executor=_activity_threads(settings.couriers_activity_slots),
            max_concurrent_activities=settings.couriers_activity_slots,
            max_task_queue_activities_per_second=_queue_rate(
                settings.couriers_activities_per_second
            ),
            graceful_shutdown_timeout=shutdown_grace,
        )
        workers.append(couriers)
    return workers


async def main() -> None:
    settings = get_settings()
    engine = make_engine(settings.effective_database_url)
    prepare_database(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        seed_default_teams(session)
    # Before connecting: the client carries traces only once tracing is set up.
    configure_tracing(settings, service_name="redress-worker")
    # A worker may start before the server it polls (compose, a restart): it waits for it.
    client = await connect_when_ready(settings, runtime=worker_runtime(settings))
    workers = build_workers(client, sessions=sessions, settings=settings)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    async with AsyncExitStack() as background:
        polling = [asyncio.create_task(worker.run()) for worker in workers]
        runs = list(polling)
        # A worker that stops polling on its own (a fatal error) stops the process, so
        # that whatever supervises it starts a fresh one.
        for run in polling:
            run.add_done_callback(lambda _: stop.set())
        if settings.worker_heartbeat_file:

            def all_polling() -> bool:
                return not any(run.done() for run in polling)

            beats = keep_heartbeat(settings.worker_heartbeat_file, all_polling, stop)
            runs.append(asyncio.create_task(beats))
        serves_couriers = WorkerQueue.COURIERS in settings.worker_queues
        if settings.courier_provider == "sandbox" and serves_couriers:
            # The sandbox courier moves its parcels on its own and calls the API's
            # webhook, as a real courier would; it lives with the courier calls.
            simulator = await background.enter_async_context(courier_simulator(settings, sessions))
            runs.append(asyncio.create_task(simulator.run(stop)))
        if WorkerQueue.WORKFLOWS in settings.worker_queues:
            # Events go out from the processes that write them; leases keep two processes
            # from sending one delivery at once. On stop, a send under way finishes.
            runs.append(asyncio.create_task(dispatch_webhooks(sessions, settings, stop)))
        log.info("worker polling %s", ", ".join(w.task_queue for w in workers))
        await stop.wait()
        log.info(
            "worker stopping: in-flight activities have %s s to finish",
            settings.worker_shutdown_grace_seconds,
        )
        # A worker that already failed has nothing to shut down: its error is kept below.
        await asyncio.gather(*(worker.shutdown() for worker in workers), return_exceptions=True)
        await asyncio.gather(*runs, return_exceptions=True)
    engine.dispose()
    failed = [run.exception() for run in polling if not run.cancelled() and run.exception()]
    if failed:
        raise SystemExit(f"a worker stopped polling: {failed[0]!r}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(main())
