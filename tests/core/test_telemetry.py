"""When tracing turns on, and the worker's metrics runtime."""

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from core.settings import Settings
from core.telemetry import (
    STANDARD_ENDPOINT_VARIABLES,
    configure_tracing,
    tracing_active,
    tracing_interceptors,
    tracing_requested,
    worker_runtime,
)
from tests.tracing import forget_tracer_provider


@pytest.fixture(autouse=True)
def no_standard_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in STANDARD_ENDPOINT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_tracing_is_off_unless_an_endpoint_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not tracing_requested(Settings())
    assert tracing_requested(Settings(otel_exporter_otlp_endpoint="http://collector:4318"))
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    assert tracing_requested(Settings())


def test_without_an_endpoint_nothing_is_installed_and_no_interceptor_added() -> None:
    if tracing_active():
        pytest.skip("another test in this process installed a tracer provider")

    assert configure_tracing(Settings(), service_name="redress-test") is False
    assert not tracing_active()
    assert tracing_interceptors() == []


def test_the_worker_serves_no_metrics_unless_asked() -> None:
    assert worker_runtime(Settings()) is None


def test_an_endpoint_installs_an_exporting_provider_named_for_the_service() -> None:
    if tracing_active():
        pytest.skip("another test in this process installed a tracer provider")
    settings = Settings(otel_exporter_otlp_endpoint="http://127.0.0.1:4318")
    try:
        installed = configure_tracing(settings, service_name="redress-test")
        provider = trace.get_tracer_provider()
        # A second call (the API's lifespan after the worker's, in one process) keeps it.
        again = configure_tracing(settings, service_name="other")
        interceptors = tracing_interceptors()
    finally:
        forget_tracer_provider()

    assert installed and again
    assert isinstance(provider, TracerProvider)
    assert provider.resource.attributes["service.name"] == "redress-test"
    assert [type(i).__name__ for i in interceptors] == ["TracingInterceptor"]
    # Nothing was traced, so shutting down sends nothing to the absent collector.
    provider.shutdown()
