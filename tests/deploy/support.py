"""What the deployment tests share: the repository's deployment files, read as data."""

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DEPLOYMENT_GUIDE = ROOT / "docs" / "deployment.md"
ENV_DIR = ROOT / "env"

# Jobs that run to completion before the app starts; every other service runs for good.
ONE_SHOT_SERVICES = {"temporal-schema", "temporal-init", "migrate"}
# Services that `docker compose up --scale name=N` must be able to multiply.
SCALED_SERVICES = {"api", "worker", "worker-providers", "worker-couriers"}
# Services of the Redress image that run for good and wait for the database and Temporal.
APP_SERVICES = SCALED_SERVICES | {"mail-gateway"}
# What people reach from outside: the API (through the proxy), the mail gateway (other mail
# servers deliver to it), the Temporal UI and Prometheus (both on the loopback unless told
# otherwise).
PUBLISHED_SERVICES = {"proxy", "mail-gateway", "temporal-ui", "prometheus"}
# Directories Redress writes files to, by setting, with the services that use them: the
# API writes uploaded evidence and serves it, the mail gateway writes attachments as
# evidence and keeps each raw mail (api/evidence_calls.py, inbound/mail/gateway.py). The
# containers' root is read-only, so each must be a volume.
FILE_DIRECTORIES = {
    "REDRESS_EVIDENCE_DIR": {"api", "mail-gateway"},
    "REDRESS_MAIL_INBOUND_DIR": {"mail-gateway"},
}


def compose() -> dict[str, Any]:
    """Returns docker-compose.yml parsed, with its YAML anchors and merge keys resolved."""
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return document


def services() -> dict[str, dict[str, Any]]:
    """Returns the compose services by name."""
    found: dict[str, dict[str, Any]] = compose()["services"]
    return found


def documented_services() -> set[str]:
    """Returns the service names docs/deployment.md lists under "The production stack"."""
    text = DEPLOYMENT_GUIDE.read_text()
    section = text.split("## The production stack", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE))
