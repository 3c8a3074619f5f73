"""Schemathesis against the API's own OpenAPI schema, with real Temporal and workers.

Every operation gets generated valid and invalid input, as an admin (who may do
everything, so requests reach the workflows) and with no credentials at all. No input may
cause a 5xx, every error must be a JSON problem body that names the problem, and every
response must match the schema. The run prints how many cases it generated.
"""

import asyncio
import uuid

import pytest

from api import ids as case_ids
from domain.access import Role
from tests.api.loop_bridge import LoopBridge
from tests.api.schema_fuzzing import FuzzReport, fuzz_config, max_examples, run_fuzzing
from tests.api.support import Api


@pytest.fixture(autouse=True)
def ids_of_this_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Derives case ids from Idempotency-Keys afresh for each test.

    Generation is deterministic, so each pass sends the same keys; with the ids they map
    to, a later pass (on a new store, same Temporal server) would find the workflows of
    an earlier one, whose workers are gone.
    """
    monkeypatch.setattr(case_ids, "_IDEMPOTENT_ID_NAMESPACE", uuid.uuid4())


async def _fuzz(api: Api, headers: dict[str, str]) -> FuzzReport:
    app = api.transport.app  # type: ignore[attr-defined]
    bridge = LoopBridge(app, asyncio.get_running_loop())
    config = fuzz_config(headers=headers, examples=max_examples())
    # Schemathesis blocks its thread; the app and the workers go on running on this loop.
    return await asyncio.to_thread(run_fuzzing, app.openapi(), bridge, config)


def _assert_clean(report: FuzzReport) -> None:
    print(report.summary())
    problems = report.failures + report.errors
    assert not problems, "\n\n".join(problems)
    assert report.cases > report.operations


# As an admin, requests reach the store: on each store (PostgreSQL-only faults were found
# this way).
@pytest.mark.both_stores
async def test_generated_requests_as_an_admin(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    token = api.key_for("fuzz-admin", Role.ADMIN)

    report = await _fuzz(api, {"Authorization": f"Bearer {token}"})

    with capsys.disabled():
        _assert_clean(report)


# Refused before any store is read: once, on SQLite, is enough.
async def test_generated_requests_without_credentials(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    report = await _fuzz(api, {})

    with capsys.disabled():
        _assert_clean(report)
