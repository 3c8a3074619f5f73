"""Tests that install OpenTelemetry's global tracer provider put the process back after."""

from opentelemetry import trace
from opentelemetry.util._once import Once


def forget_tracer_provider() -> None:
    """Makes the process untraced again, as before any provider was installed."""
    # OpenTelemetry sets its global provider once per process; its own test utilities
    # reset these two the same way, so later tests run untraced as before.
    trace._TRACER_PROVIDER_SET_ONCE = Once()
    trace._TRACER_PROVIDER = None
