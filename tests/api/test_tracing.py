"""One trace from the HTTP request through the workflow to its activities.

With a tracer provider installed (here one that keeps spans in memory, where production
exports them over OTLP), FastAPI opens a span for the request, the Temporal client's
interceptor carries its context in the workflow's headers, and the worker's interceptor
continues it in the workflow and in every activity.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from temporalio.testing import WorkflowEnvironment

from core.telemetry import configure_tracing, tracing_active
from core.temporal import connect
from store.db import SessionFactory
from tests.api.conftest import api_test_settings, running_api
from tests.api.support import eventually, intake
from tests.tracing import forget_tracer_provider


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Installs a tracer provider that keeps every finished span in memory."""
    if tracing_active():
        pytest.skip("a tracer provider is installed already in this process")
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    try:
        yield exporter
    finally:
        provider.shutdown()
        forget_tracer_provider()


async def test_a_complaint_is_one_trace_from_request_to_activity(
    spans: InMemorySpanExporter,
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> None:
    server = dev_server_env.client
    settings = api_test_settings(server, database_url, tmp_path, queue="tracing-test")
    # What the worker process does at start: the provider is kept, the client traces.
    assert configure_tracing(settings, service_name="redress-worker")
    worker_client = await connect(settings)

    async with running_api(worker_client, sessions, settings) as api:
        response = await api.create(intake())
        assert response.status_code == 201, response.text

        async def activity_ran() -> list[ReadableSpan] | None:
            finished = list(spans.get_finished_spans())
            ran = any(span.name.startswith("RunActivity:") for span in finished)
            return finished if ran else None

        finished = await eventually(activity_ran)

    [request] = [
        span
        for span in finished
        if span.kind is SpanKind.SERVER and "/complaints" in span.name and "POST" in span.name
    ]
    trace_id = request.context.trace_id
    in_trace = {span.name for span in finished if span.context.trace_id == trace_id}
    assert request.parent is None, "the request span is the root of the trace"
    assert "StartWorkflow:ComplaintWorkflow" in in_trace
    assert "RunWorkflow:ComplaintWorkflow" in in_trace
    assert any(name.startswith("RunActivity:") for name in in_trace), in_trace
