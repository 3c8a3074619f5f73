"""The Redress worker: complaint workflows and their activities on one queue, provider
calls (payments, fulfilment) on a queue of their own.

Run it with `python worker.py`; `make run` starts it beside the dev server and the API.
"""

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack

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
from activities.notifications.activities import NotificationActivities
from activities.notifications.base import NotificationProvider
from activities.notifications.factory import notification_provider
from activities.payments.activities import PaymentActivities
from activities.payments.base import PaymentsProvider
from activities.payments.factory import payments_provider
from activities.records import RecordActivities
from activities.return_records import ReturnRecordActivities
from activities.routing import RoutingActivities
from core.settings import Settings, get_settings
from core.temporal import connect
from domain.complaints import providers_task_queue
from domain.returns import couriers_task_queue
from store.complaints import prior_complaint_counter
from store.db import SessionFactory, make_engine, prepare_database, session_factory
from store.teams import seed_default_teams
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow

log = logging.getLogger("redress.worker")

# Activities here are synchronous (the store is), so they run on threads; provider calls
# get a smaller pool so that a slow provider cannot take every thread.
COMPLAINT_ACTIVITY_THREADS = 32
PROVIDER_ACTIVITY_THREADS = 16


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
    """Returns the workers for a workflow task queue, its providers' and couriers' queues.

    Providers default to the ones settings name; tests pass their own (for example a
    sandbox with failure injection).
    """
    queue = task_queue or settings.complaint_task_queue
    faults = FaultPlan.from_settings(settings)
    classify = ClassifyActivities(RuleBasedClassifier(), prior_complaint_counter(sessions))
    routing = RoutingActivities(sessions)
    records = RecordActivities(sessions)
    notifications = NotificationActivities(notifier or notification_provider(settings, sessions))
    money = PaymentActivities(payments or payments_provider(settings, sessions))
    goods = FulfillmentActivities(fulfillment or SandboxFulfillment(sessions, faults))
    parcels = CourierActivities(courier or courier_provider(settings, sessions))
    eligibility = EligibilityActivities(sessions)
    return_records = ReturnRecordActivities(sessions)

    complaints = Worker(
        client,
        task_queue=queue,
        workflows=[ComplaintWorkflow, ReturnWorkflow],
        activities=[
            classify.classify_complaint,
            routing.route_complaint,
            records.project_complaint,
            notifications.send_notification,
            eligibility.assess_return,
            return_records.project_return,
            return_records.restock_items,
            return_records.reserve_stock,
        ],
        activity_executor=ThreadPoolExecutor(COMPLAINT_ACTIVITY_THREADS),
        max_concurrent_activities=COMPLAINT_ACTIVITY_THREADS,
        max_concurrent_local_activities=COMPLAINT_ACTIVITY_THREADS,
    )
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
        activity_executor=ThreadPoolExecutor(PROVIDER_ACTIVITY_THREADS),
        max_concurrent_activities=PROVIDER_ACTIVITY_THREADS,
    )
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
        activity_executor=ThreadPoolExecutor(PROVIDER_ACTIVITY_THREADS),
        max_concurrent_activities=PROVIDER_ACTIVITY_THREADS,
    )
    return [complaints, providers, couriers]


async def main() -> None:
    settings = get_settings()
    engine = make_engine(settings.effective_database_url)
    prepare_database(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        seed_default_teams(session)
    client = await connect(settings)
    workers = build_workers(client, sessions=sessions, settings=settings)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    async with AsyncExitStack() as background:
        runs = [asyncio.create_task(worker.run()) for worker in workers]
        if settings.courier_provider == "sandbox":
            # The sandbox courier moves its parcels on its own and calls the API's
            # webhook, as a real courier would.
            simulator = await background.enter_async_context(courier_simulator(settings, sessions))
            runs.append(asyncio.create_task(simulator.run(stop)))
        log.info("worker polling %s", ", ".join(w.task_queue for w in workers))
        await stop.wait()
        log.info("worker stopping: finishing in-flight tasks")
        await asyncio.gather(*(worker.shutdown() for worker in workers))
        await asyncio.gather(*runs, return_exceptions=True)
    engine.dispose()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(main())
