"""Temporal client set-up shared by the API, the worker and the tools."""

import asyncio
import logging
from collections.abc import Sequence

from temporalio.client import Client, Interceptor
from temporalio.runtime import Runtime

from core.codec import codec_from_keys, data_converter
from core.settings import Settings
from core.telemetry import tracing_interceptors

log = logging.getLogger("redress.temporal")

# The first retry comes soon (a server moments from ready), later ones no more often than
# this, so a long outage logs a line every few seconds rather than a flood.
FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 10.0
# One attempt may take this long even when less of the timeout is left: a server behind a
# firewall that drops packets never refuses, and the last attempt deserves a fair try.
MIN_ATTEMPT_SECONDS = 10.0


class TemporalUnreachableError(Exception):
    """The Temporal server did not answer within the connect timeout."""


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


async def connect_when_ready(
    settings: Settings,
    *,
    interceptors: Sequence[Interceptor] = (),
    runtime: Runtime | None = None,
) -> Client:
    """Returns a client as `connect` does, retrying with backoff while the server does not
    answer, for up to `settings.temporal_connect_timeout_seconds`.

    Raises `TemporalUnreachableError` once that time is up. For processes that start beside
    the server (compose, `make run`, a restart): exiting at once would only make whatever
    supervises them restart them in a loop.
    """
    loop = asyncio.get_running_loop()
    timeout = settings.temporal_connect_timeout_seconds
    deadline = loop.time() + timeout
    delay = FIRST_RETRY_SECONDS
    attempt = 1
    while True:
        left = deadline - loop.time()
        try:
            return await asyncio.wait_for(
                connect(settings, interceptors=interceptors, runtime=runtime),
                timeout=max(left, MIN_ATTEMPT_SECONDS),
            )
        # The SDK reports a refused or failed connection as a RuntimeError ("Failed client
        # connect: ..."); a malformed address is a ValueError, not worth a retry.
        except (RuntimeError, TimeoutError) as error:
            left = deadline - loop.time()
            if left <= 0:
                raise TemporalUnreachableError(
                    f"Temporal at {settings.temporal_address} did not answer within "
                    f"{timeout:g} s ({attempt} attempts; last: {error or 'timed out'}): start "
                    "the server or check REDRESS_TEMPORAL_ADDRESS, or wait longer with "
                    "REDRESS_TEMPORAL_CONNECT_TIMEOUT_SECONDS"
                ) from error
            wait = min(delay, left)
            log.warning(
                "Temporal at %s is not answering yet (attempt %d: %s); retrying in %.1f s, "
                "giving up in %.0f s",
                settings.temporal_address,
                attempt,
                error or "timed out",
                wait,
                left,
            )
            await asyncio.sleep(wait)
            delay = min(delay * 2, MAX_RETRY_SECONDS)
            attempt += 1
