"""Workflow modules stay light: the sandbox re-imports them for every workflow run, so
nothing heavy (the store, SQL, HTTP, settings) may come in with them."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_MODULES = sorted(
    f"workflows.{path.stem}"
    for path in (ROOT / "workflows").glob("*.py")
    if path.stem != "__init__"
)
HEAVY = ("sqlmodel", "sqlalchemy", "httpx", "store", "api", "activities", "core.settings")


@pytest.mark.parametrize("module", WORKFLOW_MODULES)
def test_a_workflow_module_imports_nothing_heavy(module: str) -> None:
    probe = (
        f"import sys, {module}\n"
        f"heavy = {HEAVY!r}\n"
        "prefixes = tuple(h + '.' for h in heavy)\n"
        "found = sorted(m for m in sys.modules if m in heavy or m.startswith(prefixes))\n"
        "print(','.join(found))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()

    assert found == "", f"{module} brings in {found}"
