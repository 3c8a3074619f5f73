"""A stack started as `make run` starts it (`python -m core.stack`: dev server, worker,
API) on free ports and a temporary data directory, for tests that need the real thing
beside any other stack on the machine."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

from core.stack import READY, free_port
from domain.access import Role

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_SECONDS = 60.0
STACK_READY = f"[redress] {READY}"
STOP_TIMEOUT_SECONDS = 30.0


def descendants(pid: int) -> list[psutil.Process]:
    """Returns every live process below `pid`."""
    return psutil.Process(pid).children(recursive=True)


def alive(process: psutil.Process) -> bool:
    # A zombie has ended; only its parent has yet to collect it.
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def stack_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDRESS_")}
    temporal_port = free_port()
    return env | {
        "REDRESS_DATA_DIR": str(tmp_path / "var"),
        "REDRESS_API_PORT": str(free_port()),
        "REDRESS_TEMPORAL_ADDRESS": f"127.0.0.1:{temporal_port}",
        "REDRESS_TEMPORAL_UI_PORT": str(free_port()),
        "REDRESS_MAIL_GATEWAY_PORT": str(free_port()),
    }


@contextmanager
def running_stack(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Starts `python -m core.stack`, yields it once it said it is ready, and always cleans
    up."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "core.stack"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        # The stack's own line: "ready" alone is also in "address already in use".
        while STACK_READY not in log.read_text(errors="replace"):
            assert process.poll() is None, f"the stack exited early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no 'ready' in time:\n{log.read_text()}"
            time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            leftovers = descendants(process.pid)
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            for leftover in leftovers:
                if alive(leftover):
                    leftover.kill()


def admin_headers(env: dict[str, str]) -> dict[str, str]:
    """Returns the headers that sign a request in as the local admin, whose key the stack
    `env` describes wrote on its first start."""
    credentials = Path(env["REDRESS_DATA_DIR"]) / "demo-credentials"
    for line in credentials.read_text().splitlines():
        if line.startswith("admin:"):
            return {"Authorization": f"Bearer {line.split('key ')[1].strip()}"}
    raise AssertionError("no admin in demo-credentials")


def new_user_key(env: dict[str, str], role: Role) -> str:
    """Creates a user with `role` in the store of the stack `env` describes, as an operator
    would (`redress users create ... --with-key`), and returns its API key."""
    user = f"{role.value}-{uuid.uuid4().hex[:6]}"
    command = ["users", "create", user, "--role", role.value, "--with-key"]
    created = subprocess.run(
        [sys.executable, "-m", "core.cli", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    return created.stdout.strip()
