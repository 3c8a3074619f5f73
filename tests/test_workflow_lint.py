"""The lint that keeps the clock, randomness and fresh UUIDs out of workflow logic: ruff's
banned-api (TID251) as pyproject.toml configures it, run on snippets as if they were files
in the tree."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Each banned call, and the replacement its message must name.
BANNED_CALLS = {
    "from datetime import datetime\n\nprint(datetime.now())\n": "workflow.now()",
    "import datetime\n\nprint(datetime.datetime.utcnow())\n": "workflow.now()",
    "from datetime import date\n\nprint(date.today())\n": "workflow.now()",
    "import time\n\nprint(time.time())\n": "workflow.now()",
    "import time\n\nprint(time.monotonic())\n": "workflow.time()",
    "import time\n\nprint(time.perf_counter())\n": "workflow.time()",
    "import time\n\ntime.sleep(1)\n": "workflow.sleep",
    "import asyncio\n\nasyncio.sleep(1)\n": "workflow.sleep",
    "import random\n\nprint(random.random())\n": "workflow.random()",
    "from random import choice\n\nprint(choice([1, 2]))\n": "workflow.random()",
    "import secrets\n\nprint(secrets.token_hex())\n": "workflow.random()",
    "import os\n\nprint(os.urandom(8))\n": "workflow.random()",
    "import uuid\n\nprint(uuid.uuid4())\n": "workflow.uuid4()",
    "from uuid import uuid1\n\nprint(uuid1())\n": "workflow.uuid4()",
}
READS_THE_CLOCK = "from datetime import datetime\n\nprint(datetime.now())\n"


def _banned_api_messages(source: str, *, as_file: str) -> list[str]:
    """Returns the TID251 messages `ruff check` reports for `source` as the file `as_file`."""
    check = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "json"]
        + ["--stdin-filename", as_file, "-"],
        input=source,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode in (0, 1), check.stderr
    return [found["message"] for found in json.loads(check.stdout) if found["code"] == "TID251"]


@pytest.mark.parametrize("source", BANNED_CALLS)
def test_workflow_modules_may_not_use_the_clock_randomness_or_fresh_uuids(source: str) -> None:
    messages = _banned_api_messages(source, as_file="workflows/example.py")

    assert messages, f"no TID251 for:\n{source}"
    assert all(BANNED_CALLS[source] in message for message in messages), messages


def test_domain_modules_are_held_to_the_same_rule() -> None:
    # Workflows import domain/ through the sandbox's passthrough, where nothing checks it.
    [message] = _banned_api_messages(READS_THE_CLOCK, as_file="domain/example.py")

    assert "workflow.now()" in message
    assert "take `now` as a parameter" in message


@pytest.mark.parametrize(
    "as_file", ["api/example.py", "activities/example.py", "tests/workflows/test_example.py"]
)
def test_code_outside_workflow_logic_may_read_the_clock(as_file: str) -> None:
    assert _banned_api_messages(READS_THE_CLOCK, as_file=as_file) == []
