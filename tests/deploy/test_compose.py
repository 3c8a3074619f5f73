"""docker-compose.yml, as far as a machine without a Docker engine can check it.

`docker-compose config` (Debian's docker-compose, found or installed by
scripts/debian-tool-for-tests) validates the file against the compose format offline; the
other tests read it as YAML and check what a reviewer of a production stack would.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from tests.deploy.support import (
    APP_SERVICES,
    COMPOSE_FILE,
    ENV_DIR,
    FILE_DIRECTORIES,
    ONE_SHOT_SERVICES,
    PUBLISHED_SERVICES,
    ROOT,
    SCALED_SERVICES,
    compose,
    documented_services,
    services,
)

# Setting names that hold secrets: their values belong in env/*.env, never inline. The
# mail servers' URLs carry their login.
SECRET_NAME = re.compile(r"PASSWORD|PWD|SECRET|TOKEN|_KEY\b|_KEYS\b|DATABASE_URL|SMTP_URL|IMAP_URL")
# `name:tag` (or `name@sha256:...`) where the tag names a version: digits, not `latest`.
PINNED_IMAGE = re.compile(
    r"^[a-z0-9./_-]+"
    r"(:(?!latest$)[A-Za-z0-9._-]*\d[A-Za-z0-9._-]*|@sha256:[0-9a-f]{64})$"
)
# A compose duration as this file writes them: `30s`, `1m30s`, `2m`.
DURATION = re.compile(r"(?:(?P<minutes>\d+)m)?(?:(?P<seconds>\d+)s)?")


def _docker_compose() -> str | None:
    return os.environ.get("REDRESS_TEST_DOCKER_COMPOSE") or shutil.which("docker-compose")


def _env_files(service: dict[str, Any]) -> list[str]:
    files = service.get("env_file", [])
    return [files] if isinstance(files, str) else list(files)


def _seconds(duration: str) -> int:
    parsed = DURATION.fullmatch(duration)
    assert parsed and duration, f"{duration!r} is not a duration like 30s or 1m30s"
    return 60 * int(parsed["minutes"] or 0) + int(parsed["seconds"] or 0)


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        return dict(entry.partition("=")[::2] for entry in environment)
    return {str(key): str(value) for key, value in environment.items()}


def test_docker_compose_validates_the_file(tmp_path: Path) -> None:
    docker_compose = _docker_compose()
    if not docker_compose:
        pytest.skip(
            "no docker-compose: run through `make test` (scripts/debian-tool-for-tests installs "
            "Debian's docker-compose as root) or set REDRESS_TEST_DOCKER_COMPOSE"
        )
    # A deployment's env files are its own; the committed templates stand in for them.
    shutil.copy(COMPOSE_FILE, tmp_path / COMPOSE_FILE.name)
    (tmp_path / "deploy").symlink_to(ROOT / "deploy")
    (tmp_path / "env").mkdir()
    for example in ENV_DIR.glob("*.env.example"):
        shutil.copy(example, tmp_path / "env" / example.name.removesuffix(".example"))

    check = subprocess.run(
        [docker_compose, "-f", COMPOSE_FILE.name, "config", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert check.returncode == 0, check.stderr
    assert "WARNING" not in check.stderr, check.stderr


def test_every_service_the_deployment_guide_names_exists_and_no_other() -> None:
    assert documented_services() == set(services())


def test_every_image_is_pinned_to_a_version() -> None:
    for name, service in services().items():
        if "build" in service:  # the project's own image, built from the Dockerfile
            continue
        image = service.get("image", "")
        assert PINNED_IMAGE.match(image), f"{name}: image {image!r} is not pinned to a version"


def test_every_long_running_service_has_a_healthcheck() -> None:
    for name, service in services().items():
        if name in ONE_SHOT_SERVICES:
            continue
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"


def test_the_app_starts_only_after_migrations_and_temporal_setup() -> None:
    for name in APP_SERVICES:
        waits_for = services()[name]["depends_on"]
        for job in ("migrate", "temporal-init"):
            assert waits_for[job] == {"condition": "service_completed_successfully"}, name
    temporal = services()["temporal"]["depends_on"]
    assert temporal["temporal-schema"] == {"condition": "service_completed_successfully"}


def test_scaled_services_can_be_multiplied() -> None:
    # A fixed container name or host port would make a second replica fail to start.
    for name in SCALED_SERVICES:
        service = services()[name]
        assert "container_name" not in service, name
        assert "ports" not in service, name


def test_only_what_people_reach_publishes_a_port() -> None:
    published = {name for name, service in services().items() if service.get("ports")}
    assert published == PUBLISHED_SERVICES


def test_no_secret_is_written_in_the_compose_file() -> None:
    for name, service in services().items():
        inline = [key for key in _environment(service) if SECRET_NAME.search(key)]
        assert not inline, f"{name} sets {inline} inline: put them in an env file"
    for key in compose().get("x-redress-env", {}):
        assert not SECRET_NAME.search(key), key


def test_env_files_are_templated_and_ignored_by_git() -> None:
    referenced = {path for service in services().values() for path in _env_files(service)}
    assert referenced, "no service reads an env file"
    for path in referenced:
        assert path.startswith("env/") and path.endswith(".env"), path
        assert (ROOT / f"{path}.example").is_file(), f"{path}.example is missing"
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "env/redress.env"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0, ".gitignore must ignore env/*.env"


def test_env_templates_carry_no_secret_values() -> None:
    for example in ENV_DIR.glob("*.env.example"):
        for line in example.read_text().splitlines():
            key, _, value = line.partition("=")
            if line.startswith("#") or not SECRET_NAME.search(key):
                continue
            # The database URL shows its shape, with a placeholder for the password.
            assert value == "" or "PASSWORD" in value, f"{example.name}: {key} has a value"


def _named_volume_mounts(service: dict[str, Any]) -> dict[str, str]:
    """Returns the service's named volumes by the path they are mounted at."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, _, rest = str(volume).partition(":")
        if source and not source.startswith(("./", "/", "~")):
            mounts[rest.split(":", 1)[0]] = source
    return mounts


def test_every_service_using_a_file_directory_has_it_on_a_declared_volume() -> None:
    # In a read-only container a directory that is no volume fails every write (or, under
    # /tmp, loses the files at the next restart).
    declared = set(compose().get("volumes") or {})
    for setting, users in FILE_DIRECTORIES.items():
        volumes = set()
        for name in users:
            service = services()[name]
            path = _environment(service).get(setting)
            assert path and path.startswith("/"), f"{name} does not set {setting} to a path"
            volume = _named_volume_mounts(service).get(path)
            assert volume, f"{name}: no named volume is mounted at {setting}={path}"
            assert volume in declared, f"{name}: volume {volume} is not declared"
            volumes.add(volume)
        # One directory for every service, or an upload on one is missing on another.
        assert len(volumes) == 1, f"{setting} is on different volumes: {sorted(volumes)}"


def test_no_service_is_pointed_at_a_file_directory_it_does_not_mount() -> None:
    for name, service in services().items():
        environment = _environment(service)
        mounted = _named_volume_mounts(service)
        for setting in FILE_DIRECTORIES:
            if setting in environment:
                assert environment[setting] in mounted, f"{name} sets {setting}, not mounted"


def test_bind_mounted_files_are_in_the_repository() -> None:
    for name, service in services().items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":", 1)[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which is missing"


def test_workers_get_longer_than_their_shutdown_grace_before_sigkill() -> None:
    # After SIGTERM a worker lets in-flight activities finish for its shutdown grace, then
    # cancels them; Docker must wait longer than that, or they die unreported by SIGKILL.
    default = Settings.model_fields["worker_shutdown_grace_seconds"].default
    workers = {
        name: service
        for name, service in services().items()
        if service.get("command") == ["python", "worker.py"]
    }
    assert workers, "no service runs worker.py"
    for name, service in workers.items():
        grace = float(_environment(service).get("REDRESS_WORKER_SHUTDOWN_GRACE_SECONDS", default))
        stop_after = _seconds(str(service.get("stop_grace_period", "10s")))  # Docker's default
        assert stop_after > grace, f"{name}: stop_grace_period {stop_after} s <= {grace} s"
