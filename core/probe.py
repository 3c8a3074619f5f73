"""Health probes for containers: `python -m core.probe api|worker|mail-gateway`.

Each exits 0 when healthy and 1 (saying why on stderr) when not, so a Dockerfile or
compose `HEALTHCHECK` can run it as it is. The API is healthy when `/healthz` answers 200
(Temporal and the database reachable). A worker has no port to ask, so while all its
pollers run it touches a heartbeat file (`REDRESS_WORKER_HEARTBEAT_FILE`); the probe checks
that the file is fresh, which also catches an event loop that is stuck. The mail gateway
is healthy when its SMTP (or LMTP) port greets and answers NOOP, as a sending server would
find it; the answers come from its event loop, so a stuck loop fails too.
"""

import asyncio
import smtplib
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from core.settings import get_settings

HEARTBEAT_SECONDS = 10.0
# Three missed beats: a busy loop may be late once, not three times.
STALE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS
API_TIMEOUT_SECONDS = 5.0


async def keep_heartbeat(
    path: str | Path,
    healthy: Callable[[], bool],
    stop: asyncio.Event,
    interval: float = HEARTBEAT_SECONDS,
) -> None:
    """Touches `path` every `interval` seconds while `healthy()` holds, until `stop` is set."""
    heartbeat = Path(path)
    while not stop.is_set():
        if healthy():
            heartbeat.touch()
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
    # A stopping worker is no longer healthy: do not leave a fresh beat behind.
    heartbeat.unlink(missing_ok=True)


def heartbeat_problem(path: str | Path, max_age: float = STALE_AFTER_SECONDS) -> str | None:
    """Returns why the heartbeat at `path` is not fresh, or None when it is."""
    try:
        age = time.time() - Path(path).stat().st_mtime
    except FileNotFoundError:
        return f"no heartbeat at {path}: the worker has not started polling, or stopped"
    if age > max_age:
        return f"the last heartbeat is {age:.0f} s old (over {max_age:.0f} s)"
    return None


def api_problem(base_url: str, timeout: float = API_TIMEOUT_SECONDS) -> str | None:
    """Returns why `GET {base_url}/healthz` is not a 200, or None when it is."""
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:  # a 503 says which dependency is down
        body = error.read().decode(errors="replace")[:500]
        return f"/healthz answered {error.code}: {body}"
    except (urllib.error.URLError, OSError) as error:
        return f"/healthz did not answer: {error}"
    return None if status == 200 else f"/healthz answered {status}"


def mail_gateway_problem(host: str, port: int, timeout: float = API_TIMEOUT_SECONDS) -> str | None:
    """Returns why the SMTP or LMTP server at `host:port` does not greet with 220 and answer
    NOOP with 250, or None when it does."""
    where = f"{host}:{port}"
    try:
        # NOOP needs no EHLO or LHLO first, so one probe serves SMTP and LMTP alike.
        with smtplib.SMTP(host, port, timeout=timeout) as server:
            code, text = server.noop()
    except smtplib.SMTPConnectError as error:  # it answered, but not with a 220 greeting
        return f"the mail gateway on {where} greeted with {error.smtp_code}: {error.smtp_error!r}"
    except (smtplib.SMTPException, OSError) as error:
        return f"the mail gateway on {where} did not answer: {error}"
    return (
        None if code == 250 else f"the mail gateway on {where} answered NOOP with {code}: {text!r}"
    )


def main(argv: Sequence[str]) -> int:
    if list(argv) not in (["api"], ["worker"], ["mail-gateway"]):
        print("usage: python -m core.probe api|worker|mail-gateway", file=sys.stderr)
        return 2
    settings = get_settings()
    if argv[0] == "api":
        problem = api_problem(f"http://127.0.0.1:{settings.api_port}")
    elif argv[0] == "mail-gateway":
        host = settings.mail_gateway_host
        # A gateway listening on every interface is asked on the loopback, as compose's is.
        if host in ("", "0.0.0.0", "::", "[::]"):
            host = "127.0.0.1"
        problem = mail_gateway_problem(host, settings.mail_gateway_port)
    elif not settings.worker_heartbeat_file:
        problem = "REDRESS_WORKER_HEARTBEAT_FILE is not set, so the worker keeps no heartbeat"
    else:
        problem = heartbeat_problem(settings.worker_heartbeat_file)
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
