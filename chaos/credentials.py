"""API keys for the chaos run's callers, made with the `redress` command on the run's own
store, as an operator would make them (only when the API asks for keys)."""

import subprocess
import sys

from chaos.processes import ROOT, ChaosStack

# The roles the run acts in: the platform, a supervisor (agent work, approvals, reviews),
# the warehouse (inspections) and an admin (the platform's webhook subscription).
ROLES = ("service", "supervisor", "warehouse", "admin")


def api_requires_keys() -> bool:
    """Returns whether this checkout's API authenticates its callers."""
    return (ROOT / "api" / "auth.py").exists()


def issue_api_keys(stack: ChaosStack) -> dict[str, str]:
    """Returns a fresh API key per role: a user `chaos-<role>` with a key of its own."""
    keys = {}
    for role in ROLES:
        command = [
            sys.executable, "-m", "core.cli", "users", "create", f"chaos-{role}",
            "--role", role, "--name", f"Chaos {role}", "--locale", "en", "--with-key",
        ]  # fmt: skip
        made = subprocess.run(
            command, cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=60
        )
        lines = made.stdout.strip().splitlines()
        if made.returncode != 0 or not lines:
            raise RuntimeError(
                f"`{' '.join(command[1:])}` failed ({made.returncode}): {made.stderr.strip()}"
            )
        # The key alone is on stdout (the CLI says so), the last line to be safe.
        keys[role] = lines[-1].strip()
    return keys
