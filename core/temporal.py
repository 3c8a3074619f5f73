"""Temporal client set-up shared by the API, the worker and the tools."""

from collections.abc import Sequence

from temporalio.client import Client, Interceptor
from temporalio.runtime import Runtime

from core.codec import codec_from_keys, data_converter
from core.settings import Settings
from core.telemetry import tracing_interceptors


async def connect(
    settings: Settings,
    *,
    interceptors: Sequence[Interceptor] = (),
    runtime: Runtime | None = None,
) -> Client:
    """Returns a client for the configured server, speaking pydantic payloads.

    `interceptors` come before the tracing one (present when tracing is on); `runtime`
    is the worker's when it serves metrics, else the SDK's default.
    """
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        # Customer data in payloads is encrypted before it reaches Temporal's histories.
        data_converter=data_converter(codec_from_keys(settings.codec_keys)),
        interceptors=[*interceptors, *tracing_interceptors()],
        runtime=runtime,
    )
