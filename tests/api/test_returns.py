"""The returns API: opening returns, idempotent retries, validation, reads, lists and the
decisions people send to a return (review, consent, inspection, settlement retry)."""

import re
import uuid
from typing import Any

import pytest
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from api.ids import RETURN_ID_PATTERN
from domain.search_attributes import RETURN_REASON, RETURN_STATUS
from tests.api.returns_support import (
    create_return,
    open_return,
    return_request,
    wait_for_return,
    wait_for_status,
)
from tests.api.support import Api, eventually, intake

UNKNOWN_ID = "RAAAAAAAAAAAA"
EVIDENCE = ["https://img.example.com/parcel.jpg"]


async def _executions(api: Api, workflow_id: str) -> int:
    return len([wf async for wf in api.temporal.list_workflows(f"WorkflowId = '{workflow_id}'")])


@pytest.mark.both_stores
async def test_open_return_starts_its_workflow(api: Api) -> None:
    body = return_request()
    response = await create_return(api, body)

    assert response.status_code == 201, response.text
    created = response.json()
    return_id = created["return_id"]
    assert re.fullmatch(RETURN_ID_PATTERN, return_id)
    assert created["status"] == "requested"
    assert created["status_url"] == f"/returns/{return_id}"
    assert created["workflow_id"] == f"return-{return_id}"
    assert response.headers["Location"] == created["status_url"]
    assert "Idempotent-Replayed" not in response.headers

    description = await api.temporal.get_workflow_handle(created["workflow_id"]).describe()
    assert description.task_queue == api.settings.complaint_task_queue
    attributes = description.typed_search_attributes
    assert attributes.get(RETURN_REASON) == "changed_mind"
    assert attributes.get(RETURN_STATUS) is not None

    view = await wait_for_return(api, return_id, lambda v: v["return_parcel"] is not None)
    assert view["return_id"] == return_id
    assert view["status"] == "awaiting_shipment"
    assert view["return_parcel"]["carrier"] == "sandbox"
    assert view["request"]["orders"][0]["order_id"] == body["orders"][0]["order_id"]
    assert view["eligibility"]["decision"] == "approved"


@pytest.mark.both_stores
async def test_same_key_and_body_returns_the_same_return(api: Api) -> None:
    body, key = return_request(), f"retry-{uuid.uuid4()}"

    first = await create_return(api, body, key=key)
    again = await create_return(api, body, key=key)

    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    workflow_id = first.json()["workflow_id"]

    async def listed() -> int | None:
        return await _executions(api, workflow_id) or None

    assert await eventually(listed) == 1


@pytest.mark.both_stores
async def test_same_key_with_another_body_is_refused(api: Api) -> None:
    key = f"reused-{uuid.uuid4()}"
    first = await create_return(api, return_request(), key=key)
    other = await create_return(api, return_request(description="Another return."), key=key)

    assert first.status_code == 201, first.text
    assert other.status_code == 422, other.text
    assert other.json()["error"] == "idempotency_key_reused"
    assert "new return" in other.json()["message"]


@pytest.mark.both_stores
async def test_one_key_may_open_a_complaint_and_a_return(api: Api) -> None:
    key, complaint_body, return_body = f"shared-{uuid.uuid4()}", intake(), return_request()

    complaint = await api.create(complaint_body, key=key)
    opened = await create_return(api, return_body, key=key)

    assert complaint.status_code == 201, complaint.text
    assert opened.status_code == 201, opened.text
    complaint_again = await api.create(complaint_body, key=key)
    return_again = await create_return(api, return_body, key=key)
    assert complaint_again.json()["complaint_id"] == complaint.json()["complaint_id"]
    assert return_again.json()["return_id"] == opened.json()["return_id"]
    assert (complaint_again.status_code, return_again.status_code) == (200, 200)


def _with(path: str, value: Any) -> dict[str, Any]:
    body = return_request()
    *parents, leaf = path.split(".")
    target: Any = body
    for name in parents:
        target = target[int(name)] if name.isdigit() else target[name]
    target[leaf] = value
    return body


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("lines", [], "lines"),
        ("lines.0.quantity", 0, "lines.0.quantity"),
        ("orders.0.currency", "yuan", "orders.0.currency"),
        ("reason", "bored", "reason"),
        ("refund_to", "my friend", "refund_to"),
    ],
    ids=["no-lines", "quantity-zero", "bad-currency", "unknown-reason", "extra-field"],
)
async def test_invalid_request_names_the_field(api: Api, path: str, value: Any, field: str) -> None:
    response = await create_return(api, _with(path, value))

    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["error"] == "validation_failed"
    assert [f["field"] for f in problem["fields"]] == [field]
    assert field in problem["message"]


async def test_invalid_json_and_overlong_key_are_422(api: Api) -> None:
    garbage = await api.http.post(
        "/returns", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert garbage.status_code == 422
    assert garbage.json()["fields"][0]["field"] == "body"

    # The key is stored with a "returns:" prefix, so it may be 192 characters at most.
    long_key = await create_return(api, return_request(), key="k" * 193)
    assert long_key.status_code == 422
    assert long_key.json()["fields"][0]["field"] == "Idempotency-Key"


async def test_unknown_return_is_404_and_a_malformed_id_422(api: Api) -> None:
    response = await api.http.get(f"/returns/{UNKNOWN_ID}")
    assert response.status_code == 404
    assert response.json()["error"] == "return_not_found"
    assert UNKNOWN_ID in response.json()["message"]

    malformed = await api.http.get("/returns/CAAAAAAAAAAAA")
    assert malformed.status_code == 422
    assert malformed.json()["fields"][0]["field"] == "return_id"


_DECISIONS = [
    ("consent", {"accepted": True}),
    ("inspection", {"verdict": "accepted"}),
    ("review", {"approved": True}),
    ("settlement-retry", {"approved": True}),
]


@pytest.mark.parametrize(("route", "body"), _DECISIONS, ids=[r for r, _ in _DECISIONS])
async def test_decisions_for_an_unknown_return_are_404(
    api: Api, route: str, body: dict[str, Any]
) -> None:
    response = await api.http.post(f"/returns/{UNKNOWN_ID}/{route}", json=body)

    assert response.status_code == 404, response.text
    assert response.json()["error"] == "return_not_found"


async def test_decisions_out_of_turn_are_409_with_the_workflows_reason(api: Api) -> None:
    return_id = await open_return(api)
    await wait_for_status(api, return_id, "awaiting_shipment")

    for route, body in _DECISIONS:
        response = await api.http.post(f"/returns/{return_id}/{route}", json=body)
        assert response.status_code == 409, (route, response.text)
        assert response.json()["error"] == "action_not_allowed", route
    inspection = await api.http.post(f"/returns/{return_id}/inspection", json=_DECISIONS[1][1])
    assert "nothing is waiting for inspection" in inspection.json()["message"]
    assert "awaiting shipment" in inspection.json()["message"]


async def test_review_approves_a_return_held_for_review(api: Api) -> None:
    # A defect without photos goes to a person.
    return_id = await open_return(api, return_request(reason="defective"))
    view = await wait_for_status(api, return_id, "under_review")
    assert view["eligibility"]["decision"] == "manual_review"

    no_reason = await api.http.post(f"/returns/{return_id}/review", json={"approved": False})
    assert no_reason.status_code == 422, no_reason.text
    assert no_reason.json()["error"] == "invalid_action"

    approved = await api.http.post(
        f"/returns/{return_id}/review",
        json={"approved": True, "reason": "photos by email"},
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["return_id"] == return_id

    view = await wait_for_status(api, return_id, "awaiting_shipment")
    assert any(event["kind"] == "reviewed" for event in view["timeline"])
    again = await api.http.post(f"/returns/{return_id}/review", json={"approved": True})
    assert again.status_code == 409, again.text


async def test_consent_accepts_the_proposed_plan(api: Api) -> None:
    # A wrong item is put to the customer as an exchange first.
    body = return_request(reason="wrong_item", evidence_urls=EVIDENCE)
    return_id = await open_return(api, body)
    view = await wait_for_status(api, return_id, "awaiting_consent")
    assert view["plan"]

    consent = await api.http.post(
        f"/returns/{return_id}/consent", json={"accepted": True, "note": "yes please"}
    )
    assert consent.status_code == 200, consent.text
    assert consent.json()["return_id"] == return_id

    view = await wait_for_status(api, return_id, "awaiting_shipment")
    assert view["outcome"] == "exchange"
    assert view["consent"]["accepted"] is True


async def test_a_closed_return_refuses_decisions(api: Api) -> None:
    # Food bought for a change of mind is never returnable: the return closes at once.
    body = return_request()
    body["lines"][0]["product_category"] = "food"
    return_id = await open_return(api, body)
    await wait_for_status(api, return_id, "rejected")
    # The view says rejected a moment before the workflow itself finishes.
    handle = api.temporal.get_workflow_handle(f"return-{return_id}")

    async def finished() -> bool | None:
        running = (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
        return None if running else True

    await eventually(finished)

    closed = await api.http.post(f"/returns/{return_id}/consent", json={"accepted": True})

    assert closed.status_code == 409, closed.text
    assert closed.json()["error"] == "return_closed"
    assert return_id in closed.json()["message"]


@pytest.mark.both_stores
async def test_stored_view_answers_when_the_workflow_is_gone(api: Api) -> None:
    return_id = await open_return(api)
    await wait_for_status(api, return_id, "awaiting_shipment")

    async def projected() -> str | None:
        page = (await api.http.get("/returns", params={"status": "awaiting_shipment"})).json()
        return next((i["return_id"] for i in page["items"] if i["return_id"] == return_id), None)

    await eventually(projected)
    # Deleting the execution leaves only the read model (as after Temporal's retention).
    workflow_id = f"return-{return_id}"
    await api.temporal.workflow_service.delete_workflow_execution(
        DeleteWorkflowExecutionRequest(
            namespace=api.temporal.namespace,
            workflow_execution=WorkflowExecution(workflow_id=workflow_id),
        )
    )

    async def gone() -> bool | None:
        try:
            await api.temporal.get_workflow_handle(workflow_id).describe()
        except RPCError as error:
            if error.status is RPCStatusCode.NOT_FOUND:
                return True
            raise
        return None

    await eventually(gone)
    stored = await api.http.get(f"/returns/{return_id}")
    assert stored.status_code == 200, stored.text
    assert stored.json()["status"] == "awaiting_shipment"
    after = await api.http.post(f"/returns/{return_id}/review", json=_DECISIONS[2][1])
    assert after.status_code == 409, after.text
    assert after.json()["error"] == "return_closed"


@pytest.mark.both_stores
async def test_list_filters_and_pages(api: Api) -> None:
    customer = f"cust-{uuid.uuid4().hex[:12]}"
    approved = {await open_return(api, return_request(customer)) for _ in range(2)}
    reviewed = await open_return(api, return_request(customer, reason="defective"))

    async def all_listed() -> dict[str, Any] | None:
        response = await api.http.get("/returns", params={"customer_id": customer})
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        statuses = {item["status"] for item in page["items"]}
        settled = page["total"] == 3 and statuses == {"awaiting_shipment", "under_review"}
        couriers = [item["courier"] for item in page["items"] if item["courier"]]
        return page if settled and len(couriers) == 2 else None

    page = await eventually(all_listed)
    assert {item["return_id"] for item in page["items"]} == approved | {reviewed}
    assert page["next"] is None

    async def ids(**params: Any) -> set[str]:
        response = await api.http.get("/returns", params={"customer_id": customer, **params})
        assert response.status_code == 200, response.text
        return {item["return_id"] for item in response.json()["items"]}

    assert await ids(status="under_review") == {reviewed}
    assert await ids(reason="changed_mind") == approved
    assert await ids(reason="defective") == {reviewed}
    assert await ids(outcome="refund") == approved
    assert await ids(courier="sandbox") == approved
    assert await ids(overdue=False) == approved | {reviewed}
    assert await ids(overdue=True) == set()
    assert await ids(status="completed") == set()

    first = (await api.http.get("/returns", params={"customer_id": customer, "limit": 2})).json()
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (3, 2, 0, 2)
    assert first["next"] is not None and "offset=2" in first["next"]
    second = (await api.http.get(first["next"])).json()
    assert (second["offset"], len(second["items"]), second["next"]) == (2, 1, None)
    seen = [item["return_id"] for item in first["items"] + second["items"]]
    assert sorted(seen) == sorted(approved | {reviewed})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"reason": "bored"}, "reason"),
        ({"outcome": "cash"}, "outcome"),
        ({"overdue": "maybe"}, "overdue"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
async def test_invalid_list_parameters_are_422(
    api: Api, params: dict[str, Any], field: str
) -> None:
    response = await api.http.get("/returns", params=params)

    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["fields"]] == [field]


async def test_inspection_is_a_warehouse_route(api: Api) -> None:
    schema = (await api.http.get("/openapi.json")).json()

    inspection = schema["paths"]["/returns/{return_id}/inspection"]["post"]
    assert "warehouse" in inspection["tags"]
    webhook = schema["paths"]["/webhooks/courier"]["post"]
    body = webhook["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["status"]["$ref"] == "#/components/schemas/TrackingStatus"
    assert "TrackingStatus" in schema["components"]["schemas"]
