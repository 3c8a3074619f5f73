"""POST /complaints: opening complaints, idempotent retries and request validation."""

import asyncio
import re
import uuid
from typing import Any

import pytest

from api.ids import COMPLAINT_ID_PATTERN
from domain.search_attributes import COMPLAINT_STATUS, CUSTOMER_TIER, ORDER_ID
from tests.api.support import Api, eventually, intake


async def _executions(api: Api, workflow_id: str) -> int:
    return len([wf async for wf in api.temporal.list_workflows(f"WorkflowId = '{workflow_id}'")])


@pytest.mark.both_stores
async def test_open_complaint_starts_its_workflow(api: Api) -> None:
    body = intake()
    response = await api.create(body)

    assert response.status_code == 201, response.text
    created = response.json()
    complaint_id = created["complaint_id"]
    assert re.fullmatch(COMPLAINT_ID_PATTERN, complaint_id)
    assert created["status"] == "received"
    assert created["status_url"] == f"/complaints/{complaint_id}"
    assert response.headers["Location"] == created["status_url"]
    assert "Idempotent-Replayed" not in response.headers

    description = await api.temporal.get_workflow_handle(created["workflow_id"]).describe()
    assert description.task_queue == api.settings.complaint_task_queue
    attributes = description.typed_search_attributes
    assert attributes.get(CUSTOMER_TIER) == "regular"
    assert attributes.get(ORDER_ID) == body["order"]["order_id"]
    assert attributes.get(COMPLAINT_STATUS) is not None

    view = await api.http.get(created["status_url"])
    assert view.status_code == 200, view.text
    assert view.json()["complaint_id"] == complaint_id
    assert view.json()["intake"]["description"] == body["description"]


@pytest.mark.both_stores
async def test_same_key_and_body_returns_the_same_complaint(api: Api) -> None:
    body, key = intake(), f"retry-{uuid.uuid4()}"

    first = await api.create(body, key=key)
    again = await api.create(body, key=key)

    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    workflow_id = first.json()["workflow_id"]

    async def listed() -> int | None:
        count = await _executions(api, workflow_id)
        return count or None

    assert await eventually(listed) == 1


@pytest.mark.both_stores
async def test_same_key_with_another_body_is_refused(api: Api) -> None:
    key = f"reused-{uuid.uuid4()}"
    first = await api.create(intake(), key=key)
    other = await api.create(intake(description="A different complaint entirely."), key=key)

    assert first.status_code == 201, first.text
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"


@pytest.mark.both_stores
async def test_concurrent_identical_creates_open_one_complaint(api: Api) -> None:
    body, key = intake(), f"burst-{uuid.uuid4()}"

    responses = await asyncio.gather(*(api.create(body, key=key) for _ in range(5)))

    assert {r.status_code for r in responses} <= {200, 201}, [r.text for r in responses]
    assert [r.status_code for r in responses].count(201) == 1
    assert len({r.json()["complaint_id"] for r in responses}) == 1
    workflow_id = responses[0].json()["workflow_id"]

    async def listed() -> int | None:
        count = await _executions(api, workflow_id)
        return count or None

    assert await eventually(listed) == 1


def _with(path: str, value: Any) -> dict[str, Any]:
    body = intake()
    *parents, leaf = path.split(".")
    target = body
    for name in parents:
        target = target[name]
    if value is _MISSING:
        del target[leaf]
    else:
        target[leaf] = value
    return body


_MISSING = object()


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("customer.email", "not-an-email", "customer.email"),
        ("order.paid_amount", "-5.00", "order.paid_amount"),
        ("description", _MISSING, "description"),
        ("channel", "carrier_pigeon", "channel"),
        ("coupon_code", "FREE100", "coupon_code"),
    ],
    ids=["bad-email", "negative-amount", "missing-description", "unknown-channel", "extra-field"],
)
async def test_invalid_intake_names_the_field(api: Api, path: str, value: Any, field: str) -> None:
    response = await api.create(_with(path, value))

    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["error"] == "validation_failed"
    assert [f["field"] for f in problem["fields"]] == [field]
    assert problem["fields"][0]["problem"]
    assert field in problem["message"]


async def test_invalid_json_and_overlong_key_are_422(api: Api) -> None:
    garbage = await api.http.post(
        "/complaints", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert garbage.status_code == 422
    assert garbage.json()["fields"][0]["field"] == "body"

    long_key = await api.create(intake(), key="k" * 201)
    assert long_key.status_code == 422
    assert long_key.json()["fields"][0]["field"] == "Idempotency-Key"
