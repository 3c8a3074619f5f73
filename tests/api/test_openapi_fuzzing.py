"""Schemathesis against the API's own OpenAPI schema, with real Temporal and workers.

Every operation gets generated valid and invalid input, as an admin (who may do
everything, so requests reach the workflows) and with no credentials at all. As an admin,
the valid input is made valid the way a real client's is and names cases opened before
the run (tests/api/realistic_requests.py), so that at least a third of the requests get
a 2xx and the run tries what happens after validation, not only validation. No input may
cause a 5xx, every error must be a JSON problem body that names the problem, and every
response must match the schema. The run prints how many cases it generated and, per
group of operations, how many got a 2xx.
"""

import asyncio
import uuid

import pytest

from api import ids as case_ids
from domain.access import Role
from tests.api.loop_bridge import LoopBridge
from tests.api.realistic_requests import RealisticRequests
from tests.api.schema_fuzzing import FuzzReport, fuzz_config, max_examples, run_fuzzing
from tests.api.seeded_cases import seed_cases
from tests.api.support import Api

# Of an admin's generated requests, at least this share must get a 2xx: the run reaches
# the workflows, not only the validation in front of them.
MIN_SUCCESS_SHARE = 1 / 3


@pytest.fixture(autouse=True)
def ids_of_this_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Derives case ids from Idempotency-Keys afresh for each test.

    Generation is deterministic, so each pass sends the same keys; with the ids they map
    to, a later pass (on a new store, same Temporal server) would find the workflows of
    an earlier one, whose workers are gone.
    """
    monkeypatch.setattr(case_ids, "_IDEMPOTENT_ID_NAMESPACE", uuid.uuid4())


async def _fuzz(
    api: Api, headers: dict[str, str], realistic: RealisticRequests | None = None
) -> FuzzReport:
    app = api.transport.app  # type: ignore[attr-defined]
    bridge = LoopBridge(app, asyncio.get_running_loop())
    config = fuzz_config(headers=headers, examples=max_examples())
    # Schemathesis blocks its thread; the app and the workers go on running on this loop.
    return await asyncio.to_thread(run_fuzzing, app.openapi(), bridge, config, realistic)


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
    realistic = RealisticRequests(await seed_cases(api), api.settings.courier_webhook_secret)

    report = await _fuzz(api, {"Authorization": f"Bearer {token}"}, realistic)

    with capsys.disabled():
        _assert_clean(report)
    assert report.success_share >= MIN_SUCCESS_SHARE, report.summary()


# Refused before any store is read: once, on SQLite, is enough.
async def test_generated_requests_without_credentials(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    report = await _fuzz(api, {})

    with capsys.disabled():
        _assert_clean(report)
