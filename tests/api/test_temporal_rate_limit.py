"""A sales-day burst over Temporal's request rate limit, on a real dev server whose
namespace takes 2 requests a second (`frontend.namespaceRPS`): once the SDK's own retries
give up, the API answers 429 with Retry-After and a JSON problem, never a 500, and the
platform's retries with the same Idempotency-Key open every complaint exactly once. The
load generator (`benchmarks.load`) retries the same way, so a load test against a limited
deployment reports the limit rather than failing on it."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.ids import complaint_id_for_key
from api.main import create_app
from benchmarks.load import open_complaints, summary
from domain.search_attributes import SEARCH_ATTRIBUTES
from store.db import SessionFactory
from tests.api.conftest import api_test_settings
from tests.api.support import Api, intake, signed_in_api
from tests.servers import binary

REQUESTS_PER_SECOND = 2
# Far more at once than the limit lets through while the SDK retries (about 15 s).
BURST = 40


@pytest.fixture
async def rate_limited_api(
    sessions: SessionFactory, database_url: str, tmp_path: Path
) -> AsyncIterator[Api]:
    """The API on a dev server of its own that takes 2 requests a second; no workers (the
    complaints only need to be opened)."""
    server = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=pydantic_data_converter,
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_extra_args=[
            "--dynamic-config-value",
            f"frontend.namespaceRPS={REQUESTS_PER_SECOND}",
            "--dynamic-config-value",
            "frontend.namespaceBurstRatio=1",
        ],
    )
    async with server, AsyncExitStack() as stack:
        settings = api_test_settings(server.client, database_url, tmp_path, queue="limited")
        app = create_app(settings)
        await stack.enter_async_context(app.router.lifespan_context(app))
        yield await signed_in_api(
            stack,
            transport=httpx.ASGITransport(app=app),
            base_url="http://redress",
            temporal=server.client,
            sessions=sessions,
            settings=settings,
        )


async def _open(api: Api, key: str, body: dict[str, Any]) -> httpx.Response:
    return await api.http.post(
        "/complaints", json=body, headers={"Idempotency-Key": key}, timeout=60
    )


async def test_a_burst_over_the_rate_limit_is_429_and_retries_open_each_complaint_once(
    rate_limited_api: Api,
) -> None:
    api = rate_limited_api
    keys = [f"sales-day-{n}" for n in range(BURST)]
    bodies = {key: intake() for key in keys}

    first = await asyncio.gather(*(_open(api, key, bodies[key]) for key in keys))

    assert {response.status_code for response in first} == {201, 429}
    opened = {
        key: response.json()["complaint_id"]
        for key, response in zip(keys, first, strict=True)
        if response.status_code == 201
    }
    refused = [key for key in keys if key not in opened]
    for response in first:
        if response.status_code == 429:
            assert response.json()["error"] == "temporal_busy", response.text
            assert "Idempotency-Key" in response.json()["message"]
            assert int(response.headers["Retry-After"]) > 0

    # A platform backend waits as told, then sends the refused requests again, one by one.
    await asyncio.sleep(int(first[keys.index(refused[0])].headers["Retry-After"]))
    for key in refused:
        retried = await _open(api, key, bodies[key])
        # The refused request had claimed the key: this is its replay (200), which starts
        # the workflow that the first attempt could not.
        assert retried.status_code == 200, retried.text
        opened[key] = retried.json()["complaint_id"]

    assert opened == {key: complaint_id_for_key(key) for key in keys}
    count = await api.temporal.count_workflows(f"TaskQueue = '{api.settings.complaint_task_queue}'")
    assert count.count == BURST


async def test_the_load_generator_waits_out_the_limit_as_a_platform_would(
    rate_limited_api: Api,
) -> None:
    result = await open_complaints(rate_limited_api.http, count=BURST, concurrency=BURST)

    assert result.errors == 0
    assert result.retried > 0, "the burst never met the limit"
    assert len(set(result.complaint_ids)) == BURST
    assert f"{result.retried} sent again after a 429" in summary(result)
