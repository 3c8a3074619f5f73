"""deploy/proxy/nginx.conf, the compose stack's one public entry point, run by a real nginx
(Debian's, from scripts/debian-tool-for-tests) in front of a real stack (`python -m core.stack`).

Requests reach the API and its answers come back whole; a body over the API's limit gets
the API's JSON 413 from the proxy itself; `/metrics` stays inside even with a key that may
read it; the proxy answers its own health check.
"""

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from api.body_limit import MAX_REQUEST_BODY_BYTES, too_large_message
from benchmarks.load import auto_coupon
from core.stack import free_port
from domain.access import Role
from tests.running_stack import (
    READY_TIMEOUT_SECONDS,
    ROOT,
    admin_headers,
    new_user_key,
    running_stack,
    stack_env,
)

NGINX_CONF = ROOT / "deploy" / "proxy" / "nginx.conf"
# What compose gives the proxy that a test on one machine must replace.
API_SERVICE = "http://api:8000"
LISTEN = "listen 8080;"
PID_FILE = "pid /tmp/nginx.pid;"


def _nginx() -> str:
    found = os.environ.get("REDRESS_TEST_NGINX") or shutil.which("nginx", path="/usr/sbin")
    if not found:
        pytest.skip(
            "no nginx: run through `make test` (scripts/debian-tool-for-tests installs Debian's "
            "nginx as root) or set REDRESS_TEST_NGINX"
        )
    return found


@contextmanager
def _proxy(work: Path, api_port: str) -> Iterator[str]:
    """Runs nginx with the compose stack's configuration, its upstream the API on
    `api_port` and its port a free one; yields its base URL."""
    config = NGINX_CONF.read_text()
    for needed in (API_SERVICE, LISTEN, PID_FILE):
        assert needed in config, f"nginx.conf no longer has {needed!r}"
    port = free_port()
    config = (
        config.replace(API_SERVICE, f"http://127.0.0.1:{api_port}")
        .replace(LISTEN, f"listen 127.0.0.1:{port};")
        .replace(PID_FILE, f"pid {work / 'nginx.pid'};")
    )
    (work / "nginx.conf").write_text(config)
    command = [_nginx(), "-p", str(work), "-c", str(work / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    with (work / "nginx.log").open("wb") as log:
        process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while True:
            try:
                httpx.get(f"{url}/proxy-health", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, (work / "nginx.log").read_text()
                assert time.monotonic() < deadline, "nginx never answered"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def test_the_proxy_carries_the_api_and_keeps_metrics_inside(tmp_path: Path) -> None:
    env = stack_env(tmp_path)
    api = f"http://127.0.0.1:{env['REDRESS_API_PORT']}"
    (tmp_path / "nginx").mkdir()
    with (
        running_stack(env, tmp_path / "stack.log"),
        _proxy(tmp_path / "nginx", env["REDRESS_API_PORT"]) as proxy,
    ):
        admin = admin_headers(env)
        monitoring = {"Authorization": f"Bearer {new_user_key(env, Role.MONITORING)}"}

        health = httpx.get(f"{proxy}/proxy-health", timeout=10)
        assert (health.status_code, health.text) == (200, "ok\n")
        assert httpx.get(f"{proxy}/healthz", timeout=10).json()["status"] == "ok"

        opened = httpx.post(f"{proxy}/complaints", json=auto_coupon(1), headers=admin, timeout=30)
        assert opened.status_code == 201, opened.text
        complaint_id = opened.json()["complaint_id"]
        read = httpx.get(f"{proxy}/complaints/{complaint_id}", headers=admin, timeout=10)
        assert read.status_code == 200 and read.json()["complaint_id"] == complaint_id

        # A body over the API's limit gets the API's own JSON 413 from the proxy, which never
        # passes it on (the API, refusing before it reads, would cut the upload short).
        for size in (MAX_REQUEST_BODY_BYTES + 1024, 3 * 1024 * 1024):
            refused = httpx.post(
                f"{proxy}/complaints", content=b"x" * size, headers=admin, timeout=30
            )
            assert refused.status_code == 413, (size, refused.text)
            assert refused.headers["content-type"].startswith("application/json")
            assert refused.json() == {
                "error": "body_too_large",
                "message": too_large_message(MAX_REQUEST_BODY_BYTES),
            }
        at_limit = httpx.post(
            f"{proxy}/complaints", content=b"x" * MAX_REQUEST_BODY_BYTES, headers=admin, timeout=30
        )
        # The limit's own size passes the proxy: the API reads it and finds it is not JSON.
        assert at_limit.status_code == 422, at_limit.text

        assert httpx.get(f"{api}/metrics", headers=monitoring, timeout=10).status_code == 200
        assert httpx.get(f"{proxy}/metrics", headers=monitoring, timeout=10).status_code == 404
