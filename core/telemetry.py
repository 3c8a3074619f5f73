"""Telemetry shared by the API and the worker: OpenTelemetry traces and the SDK's metrics.

Tracing is off unless an OTLP endpoint is configured (`REDRESS_OTEL_EXPORTER_OTLP_ENDPOINT`
or the standard `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), or
something else in the process already installed a tracer provider (the
`opentelemetry-instrument` launcher, a test). Then the API's request spans (FastAPI's own),
the Temporal client's start and update spans, and the worker's workflow and activity spans
join one trace, carried through Temporal headers by `TracingInterceptor`.

Exporting needs the `otel` extra (`pip install 'redress[otel]'`); the API alone is always
installed, so with tracing off nothing here costs more than a check.
"""

import os

from opentelemetry import trace
from temporalio.client import Interceptor
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from core.settings import Settings

# The standard variables the OTLP exporter reads by itself.
STANDARD_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
TRACES_PATH = "/v1/traces"


class TelemetrySetupError(RuntimeError):
    """Tracing was asked for but cannot run; the message says what to install or fix."""


def tracing_requested(settings: Settings) -> bool:
    """Returns whether settings or the standard variables name an OTLP endpoint."""
    return bool(settings.otel_exporter_otlp_endpoint) or any(
        os.environ.get(name) for name in STANDARD_ENDPOINT_VARIABLES
    )


def tracing_active() -> bool:
    """Returns whether this process has a real tracer provider (spans are recorded)."""
    provider = trace.get_tracer_provider()
    return not isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider)


def configure_tracing(settings: Settings, *, service_name: str) -> bool:
    """Installs a tracer provider exporting over OTLP/HTTP when tracing is requested.

    A provider installed earlier (by `opentelemetry-instrument`, or a test) is kept as it
    is. Returns whether spans are now recorded.
    """
    if tracing_active():
        return True
    if not tracing_requested(settings):
        return False
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import SERVICE_NAME, Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as missing:
        raise TelemetrySetupError(
            f"an OTLP endpoint is configured but {missing.name} is not installed: "
            "install the extra with `pip install 'redress[otel]'`, or unset the endpoint"
        ) from missing

    # Our endpoint is a base URL like the standard variable; the exporter, given one
    # explicitly, posts to it as it is, so the traces path is added here.
    base = settings.otel_exporter_otlp_endpoint.rstrip("/")
    exporter = OTLPSpanExporter(endpoint=f"{base}{TRACES_PATH}") if base else OTLPSpanExporter()
    # OTEL_SERVICE_NAME, when set, names the service instead (`Resource.create` reads it).
    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {SERVICE_NAME: service_name}
    provider = TracerProvider(resource=Resource.create(attributes))
    # Batching keeps exporting off the request path; the SDK flushes it at exit.
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return True


def tracing_interceptors() -> list[Interceptor]:
    """Returns the Temporal interceptors that carry traces, or none when tracing is off.

    Given to `Client.connect`, they also apply to every worker built on that client.
    """
    if not tracing_active():
        return []
    # The stable interceptor: spans show up while a workflow runs, which matters for
    # complaints that stay open for days (the newer plugin reports them only at the end).
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor()]


def worker_runtime(settings: Settings) -> Runtime | None:
    """Returns a Temporal runtime serving Prometheus metrics, or None for the default one.

    The SDK's own metrics (schedule-to-start latency, task failures, slots, polls) are
    served at `http://<worker_metrics_address>/metrics` from the SDK's core, outside the
    Python event loop.
    """
    if not settings.worker_metrics_address:
        return None
    return Runtime(
        # The SDK's default names and units (milliseconds), which Temporal's published
        # SDK dashboards expect.
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(bind_address=settings.worker_metrics_address)
        )
    )
