"""Helpers for the return API tests: request bodies, signed courier events and polling."""

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from core.webhooks import signed_headers
from store.returns import return_for_tracking_number
from tests.api.support import Api, eventually

RECENTLY = datetime.now(UTC) - timedelta(days=2)
COURIER_WEBHOOK = "/webhooks/courier"


def return_request(customer_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    """Returns a valid return body (shoes bought two days ago, changed mind, refund) with
    `overrides` applied; the policy approves it without a review."""
    order_id = f"ord-{uuid.uuid4().hex[:10]}"
    body: dict[str, Any] = {
        "customer": {
            "id": customer_id or f"cust-{uuid.uuid4().hex[:12]}",
            "tier": "regular",
            "locale": "en",
            "name": "Ana Li",
            "email": "ana.li@example.com",
        },
        "orders": [
            {
                "order_id": order_id,
                "items": [
                    {"sku": "SHOE-42", "name": "Trail shoes", "price": "80.00", "quantity": 1}
                ],
                "paid_amount": "80.00",
                "currency": "CNY",
                "payment_id": f"pay-{uuid.uuid4().hex[:10]}",
                "delivered_at": RECENTLY.isoformat(),
            }
        ],
        "lines": [
            {"order_id": order_id, "sku": "SHOE-42", "quantity": 1, "product_category": "apparel"}
        ],
        "reason": "changed_mind",
        "preferred_outcome": "refund",
    }
    body.update(overrides)
    return body


async def create_return(
    api: Api, body: dict[str, Any], *, key: str | None = None
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return await api.http.post("/returns", json=body, headers=headers)


async def open_return(api: Api, body: dict[str, Any] | None = None) -> str:
    """Returns the id of a return just opened with `body` (the default request)."""
    response = await create_return(api, body or return_request())
    assert response.status_code == 201, response.text
    return str(response.json()["return_id"])


async def wait_for_return(
    api: Api, return_id: str, ready: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """Returns the return's view once `ready(view)` holds, polling the API."""

    async def view() -> dict[str, Any] | None:
        response = await api.http.get(f"/returns/{return_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body if ready(body) else None

    return await eventually(view)


async def wait_for_status(api: Api, return_id: str, status: str) -> dict[str, Any]:
    return await wait_for_return(api, return_id, lambda view: view["status"] == status)


async def wait_for_label(api: Api, return_id: str) -> dict[str, Any]:
    """Returns the view once the return has a parcel the webhook can find by its number."""
    view = await wait_for_return(api, return_id, lambda v: v["return_parcel"] is not None)
    number = view["return_parcel"]["tracking_number"]

    async def projected() -> str | None:
        with api.sessions() as session:
            return return_for_tracking_number(session, tracking_number=number)

    assert await eventually(projected) == return_id
    return view


def courier_event(view: dict[str, Any], status: str, **overrides: Any) -> dict[str, Any]:
    """Returns a tracking event of the return's parcel, as a courier would post it."""
    parcel = view["return_parcel"]
    event = {
        "event_id": f"EVT-{uuid.uuid4().hex}",
        "parcel_id": parcel["parcel_id"],
        "tracking_number": parcel["tracking_number"],
        "status": status,
        "at": datetime.now(UTC).isoformat(),
        "detail": f"test courier: {status}",
    }
    return event | overrides


async def post_courier_event(
    api: Api,
    event: dict[str, Any] | bytes,
    *,
    secret: str | None = None,
    signed_at: datetime | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Posts `event` to the courier webhook, signed with `secret` (the settings' by default)
    at `signed_at` (now); `headers` replace the signed ones."""
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    signed = signed_headers(
        secret or api.settings.courier_webhook_secret, body, signed_at or datetime.now(UTC)
    )
    sent = (signed if headers is None else headers) | {"Content-Type": "application/json"}
    return await api.http.post(COURIER_WEBHOOK, content=body, headers=sent)


def tracking_statuses(view: dict[str, Any]) -> list[str]:
    """Returns the statuses of the tracking events on the view's timeline, oldest first."""
    tracking = [event for event in view["timeline"] if event["kind"] == "tracking"]
    return [event["detail"].split(":", 1)[0] for event in tracking]
