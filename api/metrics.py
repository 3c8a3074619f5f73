"""The API's Prometheus metrics: requests by route template and status, workflow starts,
the open cases that want a person's attention, and the deliveries of events to platforms
(`api.webhook_metrics`).

Labels are bounded on purpose: a request is counted under its route template
(`/complaints/{complaint_id}`), never its raw path, and paths no route matches share one
label, so a scan of random URLs cannot grow the series without end. Each app has its own
registry, so two apps in one process (tests) never share or clash over counters.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from sqlmodel import Session
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from temporalio.client import (
    Interceptor,
    OutboundInterceptor,
    StartWorkflowInput,
    WorkflowHandle,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.store_gauges import TimedStoreRead
from api.webhook_metrics import WebhookDeliveryGauges
from store.open_cases import count_open_complaints, count_open_returns

UNMATCHED_ROUTE = "unmatched"
# From 5 ms (a read served from the workflow cache) to 10 s (the longest an update waits).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# How long a scrape waits for the open-case counts before it answers without them: well
# inside Prometheus's 10 s scrape timeout (the counts take tens of milliseconds with half
# a million closed cases stored, store.open_cases).
OPEN_CASE_COUNT_SECONDS = 2.0
OPEN_CASES = "redress_open_cases"
# Each count of open cases by its labels, (kind, state).
OpenCaseCounts = dict[tuple[str, str], int]


def _new_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    # CPU, memory and open files of this process, and the Python version.
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    return registry


@dataclass
class ApiMetrics:
    """One app's metrics and the registry `/metrics` serves them from."""

    registry: CollectorRegistry = field(default_factory=_new_registry)

    def __post_init__(self) -> None:
        self.requests = Counter(
            "redress_http_requests",
            "HTTP requests answered, by method, route template and status code",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "redress_http_request_duration_seconds",
            "Time from receiving a request to the end of its response, by route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.workflow_starts = Counter(
            "redress_workflow_starts",
            "Workflow starts the API asked Temporal for, by workflow type and outcome "
            "(started, already_started, failed)",
            ["workflow", "outcome"],
            registry=self.registry,
        )
        self.open_case_failures = Counter(
            "redress_open_case_count_failures",
            f"Scrapes that answered without {OPEN_CASES}, by reason (error: the read model "
            "refused the query; timeout: it did not answer in time)",
            ["reason"],
            registry=None,
        )
        for reason in ("error", "timeout"):
            self.open_case_failures.labels(reason)  # present at 0 before the first failure
        self.open_cases = OpenCaseGauges(failures=self.open_case_failures)
        # The gauges before their failures: a scrape reports its own failure, not the last.
        self.registry.register(self.open_cases)
        self.registry.register(self.open_case_failures)
        self.webhooks = WebhookDeliveryGauges()
        self.registry.register(self.webhooks)
        self.registry.register(self.webhooks.failures)


class OpenCaseGauges(TimedStoreRead[OpenCaseCounts]):
    """Collector of `redress_open_cases`: open complaints that need a person or broke an
    SLA, and open returns that are overdue, counted in the read model at each scrape.

    Every replica reports the same numbers: aggregate them with max(), not sum(). A zero
    is reported as zero, so rules over these series always have one to read.
    """

    def __init__(self, *, failures: Counter, timeout_seconds: float = OPEN_CASE_COUNT_SECONDS):
        super().__init__(
            _count_open_cases, failures=failures, timeout_seconds=timeout_seconds, what="open cases"
        )

    def describe(self) -> Iterable[Metric]:
        return [self._family()]

    def collect(self) -> Iterable[Metric]:
        counts = self.read_in_time()
        if counts is None:
            return []
        family = self._family()
        for (kind, state), value in counts.items():
            family.add_metric([kind, state], value)
        return [family]

    def _family(self) -> GaugeMetricFamily:
        return GaugeMetricFamily(
            OPEN_CASES,
            "Open cases that want a person's attention, by kind (complaint, return) and "
            "state (needs_person, breached, overdue), from the read model",
            labels=["kind", "state"],
        )


def _count_open_cases(session: Session) -> OpenCaseCounts:
    complaints = count_open_complaints(session)
    returns = count_open_returns(session)
    return {
        ("complaint", "needs_person"): complaints.needs_person,
        ("complaint", "breached"): complaints.sla_breached,
        ("return", "needs_person"): returns.needs_person,
        ("return", "overdue"): returns.overdue,
    }


def route_template(scope: Scope) -> str:
    """Returns the template of the route that served `scope`, or `unmatched`."""
    route = scope.get("route")
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


class RequestMetrics:
    """ASGI middleware counting and timing every HTTP request (plain ASGI: no extra task)."""

    def __init__(self, app: ASGIApp, *, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            # The router has written the matched route into the shared scope by now.
            route = route_template(scope)
            method = str(scope["method"])
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


class WorkflowStartCounter(Interceptor):
    """Temporal client interceptor counting the workflow starts the API makes."""

    def __init__(self, metrics: ApiMetrics) -> None:
        self.metrics = metrics

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _CountingOutbound(next, self.metrics)


class _CountingOutbound(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, metrics: ApiMetrics) -> None:
        super().__init__(next)
        self.metrics = metrics

    async def start_workflow(self, input: StartWorkflowInput) -> WorkflowHandle[object, object]:
        starts = self.metrics.workflow_starts
        try:
            handle = await super().start_workflow(input)
        except WorkflowAlreadyStartedError:
            starts.labels(input.workflow, "already_started").inc()
            raise
        except Exception:  # a cancelled request is not a failed start: not counted
            starts.labels(input.workflow, "failed").inc()
            raise
        starts.labels(input.workflow, "started").inc()
        return handle
