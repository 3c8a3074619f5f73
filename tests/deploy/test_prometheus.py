"""deploy/prometheus: the Prometheus configuration and alerting rules operators load.

promtool checks the configuration and runs the rules' unit tests. Then a real Prometheus
scrapes a real stack (`python -m core.stack`) driven into the failures the alerts watch
for, to show that every series the rules read is one Redress really exports, with the
labels the rules group by: a rule over a misspelt metric would otherwise stay silent for
good.
"""

import asyncio
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from temporalio.client import Client

from benchmarks.load import auto_coupon
from core.codec import codec_from_keys, data_converter, new_key
from core.stack import free_port
from domain.access import Role
from domain.complaints import COMPLAINT_TASK_QUEUE
from tests.deploy.support import services as compose_services
from tests.running_stack import ROOT, admin_headers, new_user_key, running_stack, stack_env

RULES_DIR = ROOT / "deploy" / "prometheus"
RULES_FILE = RULES_DIR / "redress.rules.yml"
RULES_TESTS = RULES_DIR / "redress.rules.test.yml"
CONFIG_FILE = RULES_DIR / "prometheus.yml"
KEY_IN_CONTAINER = "/run/secrets/prometheus-api-key"
# How long the stack and Prometheus get to produce every series the rules read.
SERIES_TIMEOUT_SECONDS = 120.0
COMPLAINTS = 6


def _prometheus() -> str:
    found = os.environ.get("REDRESS_TEST_PROMETHEUS") or shutil.which("prometheus")
    if not found:
        pytest.skip(
            "no prometheus: run through `make test` (scripts/debian-tool-for-tests installs "
            "Debian's prometheus as root) or set REDRESS_TEST_PROMETHEUS"
        )
    return found


def _promtool() -> str:
    promtool = Path(_prometheus()).with_name("promtool")
    if not promtool.is_file():
        pytest.skip(f"no promtool beside {_prometheus()}")
    return str(promtool)


def _rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES_FILE.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def _run(*command: str, cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_promtool_accepts_the_configuration_and_its_rules(tmp_path: Path) -> None:
    # promtool opens the key file the configuration names: give it one where it looks.
    key = tmp_path / "api-key"
    key.write_text("rdk_placeholder\n")
    shutil.copy(RULES_FILE, tmp_path)
    config = CONFIG_FILE.read_text()
    assert KEY_IN_CONTAINER in config
    (tmp_path / "prometheus.yml").write_text(config.replace(KEY_IN_CONTAINER, str(key)))

    _run(_promtool(), "check", "config", "prometheus.yml", cwd=tmp_path)


def test_every_alert_passes_its_unit_tests() -> None:
    _run(_promtool(), "test", "rules", RULES_TESTS.name, cwd=RULES_DIR)


def test_every_alert_has_a_unit_test_that_fires_it() -> None:
    alerts = {rule["alert"] for rule in _rules() if "alert" in rule}
    fired = {
        check["alertname"]
        for case in yaml.safe_load(RULES_TESTS.read_text())["tests"]
        for check in case.get("alert_rule_test", [])
        if check.get("exp_alerts")
    }
    assert alerts == fired


@contextmanager
def _prometheus_scraping(
    tmp_path: Path, *, api_port: str, worker_metrics: str, api_key: str
) -> Iterator[str]:
    """Runs Prometheus on the stack's API and worker, with the rules evaluated every
    second instead of every minute; yields its base URL."""
    work = tmp_path / "prometheus"
    work.mkdir()
    (work / "api-key").write_text(api_key)
    rules = RULES_FILE.read_text().replace("interval: 1m", "interval: 1s")
    (work / RULES_FILE.name).write_text(rules)
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [RULES_FILE.name],
        "scrape_configs": [
            {
                "job_name": "redress-api",
                "authorization": {"credentials_file": str(work / "api-key")},
                "static_configs": [{"targets": [f"127.0.0.1:{api_port}"]}],
            },
            {"job_name": "redress-workers", "static_configs": [{"targets": [worker_metrics]}]},
        ],
    }
    (work / "prometheus.yml").write_text(yaml.safe_dump(config))
    address = f"127.0.0.1:{free_port()}"
    with (work / "log").open("wb") as log:
        process = subprocess.Popen(
            [
                _prometheus(),
                f"--config.file={work / 'prometheus.yml'}",
                f"--storage.tsdb.path={work / 'data'}",
                f"--web.listen-address={address}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://{address}"
    finally:
        process.terminate()
        process.wait(30)


def _drive_into_failures(env: dict[str, str]) -> None:
    """Opens complaints whose coupons meet a failing payment provider, and starts one
    complaint workflow with a key the workers do not have (its tasks fail to decode)."""
    api = f"http://127.0.0.1:{env['REDRESS_API_PORT']}"
    auth = admin_headers(env)
    for number in range(COMPLAINTS):
        body = auto_coupon(number)  # closed with a coupon, which the provider issues
        response = httpx.post(f"{api}/complaints", json=body, headers=auth, timeout=30)
        assert response.status_code == 201, response.text

    async def start_with_a_stranger_key() -> None:
        stranger = data_converter(codec_from_keys(f"stranger:{new_key()}"))
        client = await Client.connect(env["REDRESS_TEMPORAL_ADDRESS"], data_converter=stranger)
        await client.start_workflow(
            "ComplaintWorkflow",
            {"complaint_id": "unreadable"},
            id=f"complaint-unreadable-{uuid.uuid4().hex[:6]}",
            task_queue=COMPLAINT_TASK_QUEUE,
        )

    asyncio.run(start_with_a_stranger_key())


def _query(prometheus: str, expression: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{prometheus}/api/v1/query", params={"query": expression}, timeout=10)
    assert answer.status_code == 200, answer.text
    result: list[dict[str, Any]] = answer.json()["data"]["result"]
    return result


def _recorded(prometheus: str, record: str) -> bool:
    """Whether the recording rule `record` has produced series carrying the label it keeps
    (rules are named level:metric:operations, the level being that label)."""
    label = record.split(":", 1)[0]
    return bool(_query(prometheus, f"count by ({label}) ({record}{{{label}!=''}})"))


def _metrics_read_by(expression: str) -> set[str]:
    # Metric names, not the recorded series named level:metric:operations around them.
    return set(re.findall(r"(?<![\w:])((?:temporal|redress)_[a-z_]+)(?![\w:])", expression))


def test_a_real_prometheus_finds_every_series_the_rules_read(tmp_path: Path) -> None:
    worker_metrics = f"127.0.0.1:{free_port()}"
    env = stack_env(tmp_path) | {
        "REDRESS_WORKER_METRICS_ADDRESS": worker_metrics,
        # A cache of one workflow: tasks of the others miss it.
        "REDRESS_WORKFLOW_CACHE_SIZE": "1",
        # Half the payment calls fail (retried until they pass).
        "REDRESS_SANDBOX_PAYMENTS_TRANSIENT_FAILURE_RATE": "0.5",
    }
    with running_stack(env, tmp_path / "stack.log"):
        key = new_user_key(env, Role.MONITORING)
        with _prometheus_scraping(
            tmp_path, api_port=env["REDRESS_API_PORT"], worker_metrics=worker_metrics, api_key=key
        ) as prometheus:
            _drive_into_failures(env)
            rules = _rules()
            records = [rule for rule in rules if "record" in rule]
            read = set().union(*(_metrics_read_by(rule["expr"]) for rule in rules))
            # The counters of failures exist only once something has failed.
            assert {"temporal_workflow_task_execution_failed", "temporal_sticky_cache_miss"} <= read

            missing: list[str] = []
            deadline = time.monotonic() + SERIES_TIMEOUT_SECONDS
            while time.monotonic() < deadline:
                missing = [m for m in sorted(read) if not _query(prometheus, f"count({m})")]
                missing += [
                    rule["record"] for rule in records if not _recorded(prometheus, rule["record"])
                ]
                if not missing:
                    break
                time.sleep(2)
            assert not missing, f"never scraped or recorded: {missing}"

            for job in ("redress-api", "redress-workers"):
                (up,) = _query(prometheus, f'up{{job="{job}"}}')
                assert up["value"][1] == "1", f"{job} is not scraped"
            every_rule = httpx.get(f"{prometheus}/api/v1/rules", timeout=10).json()
            unhealthy = [
                (rule["name"], rule.get("lastError"))
                for group in every_rule["data"]["groups"]
                for rule in group["rules"]
                if rule["health"] != "ok"
            ]
            assert not unhealthy, unhealthy


def _metrics_port(service: dict[str, Any]) -> int | None:
    """Returns the port `service` serves metrics on, by what its settings say."""
    environment = service.get("environment", {})
    for setting in ("REDRESS_WORKER_METRICS_ADDRESS", "PROMETHEUS_ENDPOINT"):
        if setting in environment:
            return int(str(environment[setting]).rsplit(":", 1)[1])
    exposed = [int(port) for port in service.get("expose", [])]
    return exposed[0] if exposed else None


def test_every_scrape_target_is_a_compose_service_on_its_metrics_port() -> None:
    services = compose_services()
    jobs = yaml.safe_load(CONFIG_FILE.read_text())["scrape_configs"]
    targets: dict[str, int] = {}
    for job in jobs:
        for lookup in job.get("dns_sd_configs", []):
            targets |= {name: lookup["port"] for name in lookup["names"]}
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                host, port = target.rsplit(":", 1)
                targets[host] = int(port)

    assert targets, "Prometheus scrapes nothing"
    for name, port in targets.items():
        assert name in services, f"Prometheus scrapes {name}, which compose does not run"
        assert _metrics_port(services[name]) == port, f"{name} serves metrics elsewhere"
    workers = {
        name
        for name, service in services.items()
        if service.get("command") == ["python", "worker.py"]
    }
    assert workers <= set(targets), f"workers nobody scrapes: {workers - set(targets)}"
    assert services["prometheus"]["secrets"] == ["prometheus-api-key"]
