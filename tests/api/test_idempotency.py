"""A replay answers exactly what the first request answered, byte for byte, whenever it
comes: the customer's link token in the answer is issued from when the key was first
claimed, not from when the replay arrived."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from core.links import read_link_token
from tests.api.returns_support import create_return, return_request
from tests.api.support import Api, intake

Create = Callable[[Api, dict[str, Any], str], Awaitable[httpx.Response]]


async def _create_complaint(api: Api, body: dict[str, Any], key: str) -> httpx.Response:
    return await api.create(body, key=key)


async def _create_return(api: Api, body: dict[str, Any], key: str) -> httpx.Response:
    return await create_return(api, body, key=key)


CASES: list[tuple[str, Create, Callable[[], dict[str, Any]]]] = [
    ("complaint", _create_complaint, intake),
    ("return", _create_return, return_request),
]


async def _wait_for_the_next_second() -> None:
    """Returns once the wall clock is in a later second than when it was called: a token
    issued now and one issued after it would differ in their `iat` and `exp`."""
    started = int(time.time())
    await asyncio.sleep(started + 1 - time.time())
    while int(time.time()) == started:
        await asyncio.sleep(0.01)


@pytest.mark.both_stores
@pytest.mark.parametrize(("kind", "create", "body"), CASES, ids=[kind for kind, *_ in CASES])
async def test_a_replay_in_a_later_second_answers_the_same_bytes(
    api: Api, kind: str, create: Create, body: Callable[[], dict[str, Any]]
) -> None:
    request, key = body(), f"replay-{kind}-{uuid.uuid4()}"
    first = await create(api, request, key)
    assert first.status_code == 201, first.text

    await _wait_for_the_next_second()
    again = await create(api, request, key)

    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again.headers["Location"] == first.headers["Location"]
    # The link still opens the case, for as long as the first answer said.
    link = read_link_token(api.settings.secret_key, again.json()["customer_token"])
    assert link.case_id == again.json()[f"{kind}_id"]


async def test_requests_without_a_key_get_fresh_links(api: Api) -> None:
    first = await api.create(intake())
    await _wait_for_the_next_second()
    second = await api.create(intake())

    assert (first.status_code, second.status_code) == (201, 201)
    first_link = read_link_token(api.settings.secret_key, first.json()["customer_token"])
    second_link = read_link_token(api.settings.secret_key, second.json()["customer_token"])
    assert second_link.expires_at > first_link.expires_at
