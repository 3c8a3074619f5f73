"""Helpers for the API tests: a harness around the app, polling and request bodies."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from temporalio.client import Client

from core.settings import Settings
from domain.access import Role
from store.db import SessionFactory
from store.staff import active_user, create_user, issue_key

# A signing secret for tests only (links and console sessions).
TEST_SECRET_KEY = "test-secret-" + "0" * 40

T = TypeVar("T")

POLL_INTERVAL = 0.1
POLL_TIMEOUT = 20.0


@dataclass
class Api:
    """The app under test, the client that drives it and what sits behind it."""

    http: httpx.AsyncClient
    temporal: Client
    sessions: SessionFactory
    settings: Settings
    # The app behind `http`, for clients that sign in as someone else.
    transport: httpx.AsyncBaseTransport

    def key_for(self, user_id: str, role: Role) -> str:
        """Returns a new API key for `user_id`, creating the user with `role` if needed."""
        with self.sessions() as session:
            if active_user(session, user_id) is None:
                create_user(session, user_id=user_id, display_name=user_id, role=role)
            return issue_key(session, user_id=user_id, label="test").token

    def client_as(self, user_id: str, role: Role) -> httpx.AsyncClient:
        """Returns a client of the same app that sends `user_id`'s API key."""
        return self.client_with_token(self.key_for(user_id, role))

    def client_with_token(self, token: str | None) -> httpx.AsyncClient:
        """Returns a client of the same app sending `token` as a bearer (None: nothing)."""
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return httpx.AsyncClient(
            transport=self.transport, base_url=self.http.base_url, headers=headers, timeout=10
        )

    async def create(self, intake: dict[str, Any], *, key: str | None = None) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key is not None else {}
        return await self.http.post("/complaints", json=intake, headers=headers)

    async def wait_for_view(
        self, complaint_id: str, ready: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any]:
        """Returns the complaint's view once `ready(view)` holds, polling the API."""

        async def view() -> dict[str, Any] | None:
            response = await self.http.get(f"/complaints/{complaint_id}")
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body if ready(body) else None

        return await eventually(view)


async def signed_in_api(
    stack: AsyncExitStack,
    *,
    transport: httpx.AsyncBaseTransport,
    base_url: str,
    temporal: Client,
    sessions: SessionFactory,
    settings: Settings,
) -> Api:
    """Returns the harness for an app reached through `transport`, signed in as an admin
    (who may do everything); tests of who may do what use `api.client_as(user, role)`."""
    anonymous = await stack.enter_async_context(
        httpx.AsyncClient(transport=transport, base_url=base_url, timeout=10)
    )
    api = Api(
        http=anonymous, temporal=temporal, sessions=sessions, settings=settings, transport=transport
    )
    api.http = await stack.enter_async_context(api.client_as("admin", Role.ADMIN))
    return api


async def eventually(check: Callable[[], Awaitable[T | None]]) -> T:
    """Returns the first non-None result of `check`, polling until POLL_TIMEOUT."""
    deadline = asyncio.get_running_loop().time() + POLL_TIMEOUT
    while True:
        result = await check()
        if result is not None:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {POLL_TIMEOUT} s")
        await asyncio.sleep(POLL_INTERVAL)


def intake(customer_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    """Returns a valid complaint body (a defective blender) with `overrides` applied."""
    body: dict[str, Any] = {
        "channel": "web",
        "customer": {
            "id": customer_id or f"cust-{uuid.uuid4().hex[:12]}",
            "tier": "regular",
            "locale": "en",
            "name": "Lin Wei",
            "email": "lin.wei@example.com",
        },
        "order": {
            "order_id": f"ord-{uuid.uuid4().hex[:10]}",
            "items": [{"sku": "BLEND-200", "name": "Blender", "price": "99.00", "quantity": 1}],
            "paid_amount": "99.00",
            "currency": "CNY",
            "payment_id": f"pay-{uuid.uuid4().hex[:10]}",
        },
        "description": "The blender arrived broken: the motor does not turn on at all.",
        "desired_outcome": "refund",
    }
    body.update(overrides)
    return body
