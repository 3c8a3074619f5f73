"""Oversize input is refused before it reaches a workflow: a body over the API's limit is a
413 (declared or streamed), and a field over its limit is a 422 that names it."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from api.body_limit import MAX_REQUEST_BODY_BYTES
from domain.complaints import MAX_DESCRIPTION_CHARS, MAX_EVIDENCE_URLS, MAX_ORDER_ITEMS
from domain.returns import MAX_RETURN_ORDER_ITEMS
from tests.api.returns_support import create_return, return_request
from tests.api.support import Api, intake

JSON = {"Content-Type": "application/json"}
PHOTO = "https://img.example.com/photo.jpg"


def _assert_too_large(response: Any) -> None:
    assert response.status_code == 413, response.text
    problem = response.json()
    assert problem["error"] == "body_too_large"
    assert str(MAX_REQUEST_BODY_BYTES) in problem["message"]


async def _complaints_listed(api: Api) -> int:
    listed = await api.http.get("/complaints")
    assert listed.status_code == 200, listed.text
    total: int = listed.json()["total"]
    return total


async def test_a_declared_body_over_the_limit_is_413(api: Api) -> None:
    oversize = b'{"description": "' + b"x" * MAX_REQUEST_BODY_BYTES + b'"}'

    response = await api.http.post("/complaints", content=oversize, headers=JSON)

    _assert_too_large(response)
    assert await _complaints_listed(api) == 0


@pytest.mark.parametrize("path", ["/complaints", "/webhooks/courier", "/codec/decode"])
async def test_a_streamed_body_is_refused_once_it_passes_the_limit(api: Api, path: str) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        # No Content-Length: the body arrives in chunks until the API stops reading.
        nonlocal sent
        while sent <= 2 * MAX_REQUEST_BODY_BYTES:
            sent += 64 * 1024
            yield b" " * 64 * 1024

    response = await api.http.post(path, content=chunks(), headers=JSON)

    _assert_too_large(response)
    assert "content-length" not in response.request.headers
    assert sent < 2 * MAX_REQUEST_BODY_BYTES  # it stopped reading early
    assert await _complaints_listed(api) == 0


async def test_a_large_body_within_the_limit_gets_to_validation(api: Api) -> None:
    body = intake(description="x" * (MAX_DESCRIPTION_CHARS + 1))

    response = await api.create(body)

    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["fields"]] == ["description"]


def _item(index: int) -> dict[str, Any]:
    return {"sku": f"SKU-{index}", "price": "1.00", "quantity": 1}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "x" * (MAX_DESCRIPTION_CHARS + 1)}, "description"),
        ({"evidence_urls": [PHOTO] * (MAX_EVIDENCE_URLS + 1)}, "evidence_urls"),
        ({"evidence_urls": ['https://img.example.com/"><script>']}, "evidence_urls.0"),
        ({"customer": {"id": "cust-1", "name": "n" * 201}}, "customer.name"),
        (
            {
                "order": {
                    "order_id": "ord-1",
                    "paid_amount": "1.00",
                    "items": [_item(i) for i in range(MAX_ORDER_ITEMS + 1)],
                }
            },
            "order.items",
        ),
    ],
    ids=["description", "evidence-count", "evidence-markup", "customer-name", "order-items"],
)
async def test_an_oversize_complaint_field_is_422_naming_it(
    api: Api, overrides: dict[str, Any], field: str
) -> None:
    response = await api.create(intake(**overrides))

    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["fields"]] == [field]
    assert await _complaints_listed(api) == 0


def _return_with_many_items() -> dict[str, Any]:
    body = return_request()
    order = body["orders"][0]
    per_order = MAX_RETURN_ORDER_ITEMS // 2 + 1
    order["items"] = [_item(i) for i in range(per_order)]
    second = order | {"order_id": "ord-second", "payment_id": "pay-second"}
    body["orders"] = [order, second]
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_return_with_many_items(), "orders"),
        (return_request(complaint_id="C" * 65), "complaint_id"),
        (return_request(description="x" * (MAX_DESCRIPTION_CHARS + 1)), "description"),
        (return_request(evidence_urls=[PHOTO] * (MAX_EVIDENCE_URLS + 1)), "evidence_urls"),
    ],
    ids=["items-across-orders", "complaint-id", "description", "evidence-count"],
)
async def test_an_oversize_return_field_is_422_naming_it(
    api: Api, body: dict[str, Any], field: str
) -> None:
    response = await create_return(api, body)

    assert response.status_code == 422, response.text
    problem = response.json()
    assert [f["field"] for f in problem["fields"]] == [field]
    assert field in problem["message"]
