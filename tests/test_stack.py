"""`make run` as a new user meets it: the stack starts, serves HTTP, stops cleanly on
SIGTERM without leaving a process behind, and still has every complaint after a restart.

It runs `python -m core.stack` for real (dev server, worker, API) on free ports and a
temporary data directory, so it runs beside any other stack on the machine.
"""

import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psutil

from core.settings import Settings
from core.stack import GRACE_SECONDS, Stack
from tests.running_stack import (
    READY_TIMEOUT_SECONDS,
    STOP_TIMEOUT_SECONDS,
    admin_headers,
    alive,
    descendants,
    running_stack,
    stack_env,
)


def _stop(process: subprocess.Popen[bytes], log: Path) -> None:
    """Sends SIGTERM; asserts a clean exit with every child process gone."""
    children = descendants(process.pid)
    assert len(children) >= 3, "expected the dev server, the worker and the API"
    process.send_signal(signal.SIGTERM)
    code = process.wait(STOP_TIMEOUT_SECONDS)
    assert code == 0, log.read_text()
    assert not [child for child in children if alive(child)], log.read_text()


def _wait_until_listed(api: str, complaint_id: str, auth: dict[str, str]) -> None:
    """Waits until the worker projected the complaint into the read model."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        page = httpx.get(
            f"{api}/complaints", params={"limit": 200}, headers=auth, timeout=10
        ).json()
        if any(item["complaint_id"] == complaint_id for item in page["items"]):
            return
        time.sleep(0.2)
    raise AssertionError(f"{complaint_id} never reached the read model")


def test_stack_serves_stops_cleanly_and_keeps_complaints(tmp_path: Path) -> None:
    env = stack_env(tmp_path)
    api = f"http://127.0.0.1:{env['REDRESS_API_PORT']}"
    body: dict[str, Any] = {
        "channel": "app",
        "customer": {"id": f"cust-{uuid.uuid4().hex[:8]}", "locale": "en"},
        "description": "My parcel never arrived and tracking has not moved for a week.",
    }

    first_log = tmp_path / "first.log"
    with running_stack(env, first_log) as stack:
        output = first_log.read_text()
        assert f"{api}/docs" in output
        assert f"http://127.0.0.1:{env['REDRESS_TEMPORAL_UI_PORT']}" in output
        assert f"{api}/console" in output
        assert "demo-credentials" in output
        assert httpx.get(f"{api}/healthz", timeout=5).json()["status"] == "ok"
        # On a fresh machine the stack makes a local admin, so its API can be used at once.
        auth = admin_headers(env)
        assert httpx.post(f"{api}/complaints", json=body, timeout=10).status_code == 401
        created = httpx.post(
            f"{api}/complaints",
            json=body,
            headers={"Idempotency-Key": f"stack-{uuid.uuid4()}", **auth},
            timeout=10,
        )
        assert created.status_code == 201, created.text
        complaint_id = created.json()["complaint_id"]
        _wait_until_listed(api, complaint_id, auth)
        # The Temporal UI decodes payloads through the API's codec endpoint.
        ui = f"http://127.0.0.1:{env['REDRESS_TEMPORAL_UI_PORT']}"
        ui_settings = httpx.get(f"{ui}/api/v1/settings", timeout=10).json()
        assert ui_settings["Codec"]["Endpoint"] == f"{api}/codec", ui_settings
        _stop(stack, first_log)

    second_log = tmp_path / "second.log"
    with running_stack(env, second_log) as stack:
        view = httpx.get(f"{api}/complaints/{complaint_id}", headers=auth, timeout=15)
        assert view.status_code == 200, f"{view.text}\n{second_log.read_text()}"
        assert view.json()["complaint_id"] == complaint_id
        assert view.json()["intake"]["description"] == body["description"]
        _stop(stack, second_log)
    # The stack made its payload key once and read it back on restart: the complaint's
    # history was written encrypted and still decodes.
    keys = (tmp_path / "var" / "codec-keys").read_text()
    assert (
        keys.startswith("local:")
        and oct((tmp_path / "var" / "codec-keys").stat().st_mode)[-3:] == "600"
    )


def _command_lines(processes: list[psutil.Process]) -> list[str]:
    lines = []
    for process in processes:
        try:
            lines.append(" ".join(process.cmdline()))
        except psutil.NoSuchProcess:
            continue
    return lines


def test_stack_runs_as_many_worker_and_api_processes_as_asked(tmp_path: Path) -> None:
    env = stack_env(tmp_path) | {"REDRESS_WORKER_PROCESSES": "2", "REDRESS_API_PROCESSES": "2"}
    api = f"http://127.0.0.1:{env['REDRESS_API_PORT']}"
    log = tmp_path / "stack.log"
    with running_stack(env, log) as stack:
        output = log.read_text()
        assert "started worker-1" in output and "started worker-2" in output, output
        commands = _command_lines(descendants(stack.pid))
        assert len([c for c in commands if c.rstrip().endswith("worker.py")]) == 2, commands
        # uvicorn's supervisor, and the two server processes it spawns.
        assert len([c for c in commands if "uvicorn api.main:app --" in c]) == 1, commands
        assert len([c for c in commands if "multiprocessing-fork" in c]) == 2, commands
        auth = admin_headers(env)
        ids = []
        for number in range(4):
            created = httpx.post(
                f"{api}/complaints",
                json={
                    "channel": "app",
                    "customer": {"id": f"cust-multi-{number}", "locale": "en"},
                    "description": "The kettle I ordered arrived with a cracked lid.",
                },
                headers=auth,
                timeout=10,
            )
            assert created.status_code == 201, created.text
            ids.append(created.json()["complaint_id"])
        for complaint_id in ids:
            _wait_until_listed(api, complaint_id, auth)
        _stop(stack, log)


def test_the_stacks_workers_finish_activities_within_its_stop_wait(tmp_path: Path) -> None:
    # The stack kills a child still running GRACE_SECONDS after SIGTERM: a worker's own
    # grace must end first, or its in-flight activities die mid-call on every stop.
    settings = Settings(data_dir=tmp_path, worker_shutdown_grace_seconds=25)
    grace = float(Stack(settings).env["REDRESS_WORKER_SHUTDOWN_GRACE_SECONDS"])
    assert 0 < grace < GRACE_SECONDS
    shorter = Settings(data_dir=tmp_path, worker_shutdown_grace_seconds=3)
    assert float(Stack(shorter).env["REDRESS_WORKER_SHUTDOWN_GRACE_SECONDS"]) == 3
