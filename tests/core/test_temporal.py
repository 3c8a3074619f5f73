"""Connecting at start-up: a worker or API that starts before Temporal waits for it, and
gives up with an error that says what to check once the connect timeout is spent."""

import asyncio
import logging
from pathlib import Path

import pytest

from core.settings import Settings
from core.stack import free_port
from core.temporal import TemporalUnreachableError, connect_when_ready
from tests.servers import dev_server

# A dev server takes a few seconds to answer once started; this leaves it plenty.
SERVER_START_SECONDS = 60.0


def _settings(tmp_path: Path, port: int, timeout: float) -> Settings:
    return Settings(
        data_dir=tmp_path,
        temporal_address=f"127.0.0.1:{port}",
        temporal_connect_timeout_seconds=timeout,
    )


async def test_it_waits_for_a_server_that_starts_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    caplog.set_level(logging.WARNING, logger="redress.temporal")
    connecting = asyncio.create_task(
        connect_when_ready(_settings(tmp_path, port, timeout=SERVER_START_SECONDS * 2))
    )
    await asyncio.sleep(2)
    # Nothing listens yet: still trying, not failed.
    assert not connecting.done()

    async with dev_server(port):
        client = await asyncio.wait_for(connecting, SERVER_START_SECONDS)
        # A client that really talks to the server it waited for.
        assert await client.count_workflows() is not None

    assert client.service_client.config.target_host == f"127.0.0.1:{port}"
    retries = [r.getMessage() for r in caplog.records if r.name == "redress.temporal"]
    assert retries and all("not answering yet" in line for line in retries)


async def test_it_gives_up_after_the_timeout_and_says_what_to_check(tmp_path: Path) -> None:
    port = free_port()
    loop = asyncio.get_running_loop()
    started = loop.time()

    with pytest.raises(TemporalUnreachableError) as raised:
        await connect_when_ready(_settings(tmp_path, port, timeout=1.5))

    waited = loop.time() - started
    assert 1.5 <= waited < 5, "it retried until the timeout, and not much longer"
    message = str(raised.value)
    assert f"127.0.0.1:{port} did not answer within 1.5 s" in message
    assert "REDRESS_TEMPORAL_ADDRESS" in message
    assert "REDRESS_TEMPORAL_CONNECT_TIMEOUT_SECONDS" in message


async def test_a_zero_timeout_tries_once(tmp_path: Path) -> None:
    with pytest.raises(TemporalUnreachableError, match=r"\(1 attempts"):
        await connect_when_ready(_settings(tmp_path, free_port(), timeout=0))
