"""Tracing across processes, as deployed: the stack `make run` starts (the API and the worker
in processes of their own) exports over OTLP/HTTP to a collector, and one complaint is one
trace from the API's request through the workflow to its activities.

The collector here is a receiver of OTLP/HTTP requests that decodes them with the
OpenTelemetry protocol's own messages (no collector binary is installable on this
machine); what it checks is what the exporters really send: spans from both processes
sharing one trace id, joined by the context Temporal's headers carry.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from benchmarks.load import auto_coupon
from core.stack import free_port
from tests.running_stack import admin_headers, running_stack, stack_env

TRACES_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    name: str
    trace_id: bytes
    span_id: bytes
    parent_id: bytes


class _Receiver(BaseHTTPRequestHandler):
    spans: list[ReceivedSpan]

    def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path != "/v1/traces":
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope in resource_spans.scope_spans:
                self.spans.extend(
                    ReceivedSpan(
                        attributes.get("service.name", ""),
                        span.name,
                        span.trace_id,
                        span.span_id,
                        span.parent_span_id,
                    )
                    for span in scope.spans
                )
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per export would bury the test's output


@contextmanager
def _collector() -> Iterator[tuple[str, list[ReceivedSpan]]]:
    """Yields an OTLP/HTTP endpoint and the spans it has received so far."""
    received: list[ReceivedSpan] = []
    handler = type("Receiver", (_Receiver,), {"spans": received})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()
        server.server_close()


def _trace_of(spans: list[ReceivedSpan], root: ReceivedSpan) -> dict[str, ReceivedSpan]:
    """Returns the spans descending from `root`, by name."""
    by_id = {span.span_id: span for span in spans if span.trace_id == root.trace_id}

    def descends(span: ReceivedSpan) -> bool:
        while span.parent_id:
            if span.parent_id == root.span_id:
                return True
            parent = by_id.get(span.parent_id)
            if parent is None:
                return False
            span = parent
        return False

    return {span.name: span for span in by_id.values() if descends(span)}


def test_one_complaint_is_one_trace_across_the_api_and_worker_processes(tmp_path: Path) -> None:
    with _collector() as (endpoint, received):
        env = stack_env(tmp_path) | {
            "REDRESS_OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            # Export within a moment rather than every 5 s.
            "OTEL_BSP_SCHEDULE_DELAY": "200",
        }
        api = f"http://127.0.0.1:{env['REDRESS_API_PORT']}"
        with running_stack(env, tmp_path / "stack.log"):
            admin = admin_headers(env)
            opened = httpx.post(f"{api}/complaints", json=auto_coupon(1), headers=admin, timeout=30)
            assert opened.status_code == 201, opened.text

            deadline = time.monotonic() + TRACES_TIMEOUT_SECONDS
            trace: dict[str, ReceivedSpan] = {}
            while time.monotonic() < deadline:
                requests = [s for s in received if s.name == "POST /complaints"]
                if requests:
                    trace = _trace_of(list(received), requests[0])
                    if "RunActivity:issue_coupon" in trace:
                        break
                time.sleep(0.5)

    assert requests, f"no request span arrived: {sorted({s.name for s in received})}"
    [request] = requests
    assert (request.service, request.parent_id) == ("redress-api", b"")
    assert trace["StartWorkflow:ComplaintWorkflow"].service == "redress-api"
    assert trace["RunWorkflow:ComplaintWorkflow"].service == "redress-worker"
    assert trace["RunActivity:send_notification"].service == "redress-worker"
    assert trace["RunActivity:issue_coupon"].service == "redress-worker"
