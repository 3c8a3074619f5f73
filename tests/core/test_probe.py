"""The container health probes: a worker's heartbeat file, and the API's /healthz."""

import asyncio
import os
import time
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core.probe import api_problem, heartbeat_problem, keep_heartbeat, main
from tests.live_server import closed_port_url, serve


def _app(status: int) -> Starlette:
    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok" if status == 200 else "degraded"}, status)

    return Starlette(routes=[Route("/healthz", healthz)])


def test_a_fresh_heartbeat_is_healthy(tmp_path: Path) -> None:
    beat = tmp_path / "beat"
    beat.touch()

    assert heartbeat_problem(beat) is None


def test_a_stale_or_missing_heartbeat_is_not(tmp_path: Path) -> None:
    beat = tmp_path / "beat"
    assert "no heartbeat" in str(heartbeat_problem(beat))
    beat.touch()
    an_hour_ago = time.time() - 3600
    os.utime(beat, (an_hour_ago, an_hour_ago))

    assert "old" in str(heartbeat_problem(beat, max_age=30))


async def test_the_heartbeat_beats_only_while_healthy_and_is_gone_after_stop(
    tmp_path: Path,
) -> None:
    beat = tmp_path / "beat"
    healthy = True
    stop = asyncio.Event()
    beating = asyncio.create_task(keep_heartbeat(beat, lambda: healthy, stop, interval=0.02))
    await asyncio.sleep(0.1)
    assert heartbeat_problem(beat) is None

    healthy = False
    beat.unlink()
    await asyncio.sleep(0.1)
    assert not beat.exists(), "an unhealthy worker must not beat"

    healthy = True
    await asyncio.sleep(0.1)
    stop.set()
    await asyncio.wait_for(beating, timeout=2)
    assert not beat.exists(), "a stopped worker leaves no fresh beat behind"


def test_the_api_is_healthy_when_healthz_answers_200() -> None:
    with serve(_app(200)) as url:
        assert api_problem(url) is None


def test_the_api_is_unhealthy_when_healthz_fails_or_nothing_answers() -> None:
    with serve(_app(503)) as url:
        assert "503" in str(api_problem(url))
    assert "did not answer" in str(api_problem(closed_port_url(), timeout=2))


def test_the_command_says_how_to_use_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nonsense"]) == 2
    assert "usage" in capsys.readouterr().err
