"""Temporal client set-up shared by the API, the worker and the tools."""

from temporalio.client import Client

from core.codec import codec_from_keys, data_converter
from core.settings import Settings


async def connect(settings: Settings) -> Client:
    """Returns a client for the configured server, speaking pydantic payloads."""
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        # Customer data in payloads is encrypted before it reaches Temporal's histories.
        data_converter=data_converter(codec_from_keys(settings.codec_keys)),
    )
