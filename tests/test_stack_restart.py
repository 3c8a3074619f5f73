"""`make run` stopped and started again at once comes back on the same ports.

A server that closes its clients' connections as it stops leaves them in TIME_WAIT on
its own port for a minute. The stack's check that its ports are free must not take those
for a program still listening, and must still refuse a port a program listens on.
"""

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from core.stack import split_address
from tests.running_stack import ROOT, STOP_TIMEOUT_SECONDS, running_stack, stack_env

PROC_NET_TCP = Path("/proc/net/tcp")
TIME_WAIT = "06"


def _time_wait_ports() -> set[int]:
    """Returns the local ports of IPv4 connections in TIME_WAIT (Linux; none elsewhere)."""
    if not PROC_NET_TCP.exists():
        return set()
    ports = set()
    for line in PROC_NET_TCP.read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == TIME_WAIT:
            ports.add(int(fields[1].rpartition(":")[2], 16))
    return ports


def _leave_time_wait_on(port: int) -> None:
    """Leaves a TIME_WAIT connection on `port`, as a server that closed a client's
    connection and stopped leaves one on its own port."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as own:
            own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            own.bind(("127.0.0.1", port))
            own.connect(listener.getsockname())
            peer, _ = listener.accept()
        # `own` closed first: the TIME_WAIT is on its side.
        with peer:
            peer.recv(1)


def _stack_ports(env: dict[str, str]) -> list[int]:
    _, temporal_port = split_address(env["REDRESS_TEMPORAL_ADDRESS"])
    return [temporal_port, int(env["REDRESS_TEMPORAL_UI_PORT"]), int(env["REDRESS_API_PORT"])]


def _stop(process: subprocess.Popen[bytes], log: Path) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(STOP_TIMEOUT_SECONDS) == 0, log.read_text()


def test_stack_restarts_at_once_on_the_ports_it_served(tmp_path: Path) -> None:
    env = stack_env(tmp_path)
    api = f"http://127.0.0.1:{env['REDRESS_API_PORT']}"
    ui = f"http://127.0.0.1:{env['REDRESS_TEMPORAL_UI_PORT']}"

    first_log = tmp_path / "first.log"
    with running_stack(env, first_log) as stack:
        # Kept-alive connections, as a browser keeps them: the servers close them as they
        # stop, which leaves the TIME_WAIT on the servers' own ports.
        with httpx.Client(timeout=10) as browser:
            assert browser.get(f"{api}/healthz").status_code == 200
            assert browser.get(f"{ui}/api/v1/settings").status_code == 200
            _stop(stack, first_log)
    stopped_at = time.monotonic()
    left = _time_wait_ports()
    if PROC_NET_TCP.exists():
        assert int(env["REDRESS_API_PORT"]) in left, "the API left no TIME_WAIT behind"
    # Whichever port the servers did not leave one on (Temporal's own, say) gets one too.
    for port in set(_stack_ports(env)) - left:
        _leave_time_wait_on(port)

    second_log = tmp_path / "second.log"
    assert time.monotonic() - stopped_at < 1.0, "the restart did not come at once"
    with running_stack(env, second_log) as stack:
        assert "is taken" not in second_log.read_text(), second_log.read_text()
        health = httpx.get(f"{api}/healthz", timeout=10)
        assert health.status_code == 200, second_log.read_text()
        assert health.json()["status"] == "ok"
        _stop(stack, second_log)


def test_stack_refuses_a_port_a_program_listens_on(tmp_path: Path) -> None:
    env = stack_env(tmp_path)
    with socket.create_server(("127.0.0.1", int(env["REDRESS_API_PORT"]))):
        stack = subprocess.run(
            [sys.executable, "-m", "core.stack"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=STOP_TIMEOUT_SECONDS,
        )
    assert stack.returncode == 1, stack.stdout
    assert f"port {env['REDRESS_API_PORT']} on 127.0.0.1 is taken" in stack.stdout
    assert "set REDRESS_API_PORT to another port" in stack.stdout
