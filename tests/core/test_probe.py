"""The container health probes: a worker's heartbeat file, the API's /healthz, and the mail
gateway's SMTP or LMTP port (asked of real aiosmtpd servers, the library the gateway runs on)."""

import asyncio
import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core.probe import api_problem, heartbeat_problem, keep_heartbeat, mail_gateway_problem, main
from core.settings import Settings
from core.stack import free_port
from tests.live_server import closed_port_url, serve
from tests.mail import mail_server


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


class _Accepting:
    """An aiosmtpd handler taking every message (the probe sends none)."""

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        return "250 OK"


class _LMTPController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler)


@contextmanager
def _lmtp_server() -> Iterator[int]:
    """Runs aiosmtpd's LMTP server, which the gateway runs under `--lmtp`; yields its port."""
    controller = _LMTPController(_Accepting(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


@contextmanager
def _greeting_server(greeting: bytes) -> Iterator[int]:
    """Runs a server that sends `greeting` to each connection and hangs up; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    port: int = listener.getsockname()[1]

    def answer() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                with connection:
                    connection.sendall(greeting)

    threading.Thread(target=answer, daemon=True).start()
    try:
        yield port
    finally:
        listener.close()


def test_the_mail_gateway_is_healthy_when_its_smtp_or_lmtp_port_answers() -> None:
    with mail_server(_Accepting(), ident="Redress mail gateway") as url:
        assert mail_gateway_problem("127.0.0.1", int(url.rpartition(":")[2])) is None
    with _lmtp_server() as port:
        assert mail_gateway_problem("127.0.0.1", port) is None


def test_the_mail_gateway_is_unhealthy_when_it_refuses_or_nothing_answers() -> None:
    with _greeting_server(b"554 5.3.2 not taking mail\r\n") as port:
        assert "554" in str(mail_gateway_problem("127.0.0.1", port, timeout=2))
    closed = int(closed_port_url().rpartition(":")[2])
    assert "did not answer" in str(mail_gateway_problem("127.0.0.1", closed, timeout=2))


def test_the_mail_gateway_command_asks_its_own_port(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Listening on every interface, as in docker-compose.yml: the probe asks the loopback.
    with mail_server(_Accepting()) as url:
        port = int(url.rpartition(":")[2])
        settings = Settings(mail_gateway_host="0.0.0.0", mail_gateway_port=port)
        monkeypatch.setattr("core.probe.get_settings", lambda: settings)
        assert main(["mail-gateway"]) == 0
    assert main(["mail-gateway"]) == 1
    assert f"127.0.0.1:{port} did not answer" in capsys.readouterr().err
