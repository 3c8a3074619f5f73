"""GET /complaints/{id} and GET /complaints: live views, the read model, 404s and paging."""

import uuid
from typing import Any

import pytest
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.service import RPCError, RPCStatusCode

from tests.api.support import Api, eventually, intake

UNKNOWN_ID = "CAAAAAAAAAAAA"


async def test_unknown_complaint_is_404(api: Api) -> None:
    response = await api.http.get(f"/complaints/{UNKNOWN_ID}")

    assert response.status_code == 404
    assert response.json()["error"] == "complaint_not_found"
    assert UNKNOWN_ID in response.json()["message"]


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("messages", {"message": "Any news?"}),
        ("actions", {"action": {"type": "reply", "message": "Hello"}}),
        ("approval", {"approved": True}),
    ],
)
async def test_updates_to_an_unknown_complaint_are_404(
    api: Api, route: str, body: dict[str, Any]
) -> None:
    response = await api.http.post(f"/complaints/{UNKNOWN_ID}/{route}", json=body)

    assert response.status_code == 404, response.text
    assert response.json()["error"] == "complaint_not_found"


async def test_malformed_complaint_id_is_422(api: Api) -> None:
    response = await api.http.get("/complaints/not-a-complaint-id")

    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "complaint_id"


@pytest.mark.both_stores
async def test_stored_view_answers_when_the_workflow_is_gone(api: Api) -> None:
    created = (await api.create(intake())).json()
    complaint_id = created["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")

    async def projected() -> dict[str, Any] | None:
        page = (await api.http.get("/complaints", params={"limit": 200})).json()
        return next((i for i in page["items"] if i["complaint_id"] == complaint_id), None)

    await eventually(projected)
    # Deleting the execution leaves only the read model (as after Temporal's retention).
    await api.temporal.workflow_service.delete_workflow_execution(
        _delete_request(api, created["workflow_id"])
    )

    async def from_read_model() -> dict[str, Any] | None:
        response = await api.http.get(f"/complaints/{complaint_id}")
        assert response.status_code == 200, response.text
        described = await _exists(api, created["workflow_id"])
        return None if described else response.json()

    view = await eventually(from_read_model)
    assert view["complaint_id"] == complaint_id
    assert view["status"] == "open"


def _delete_request(api: Api, workflow_id: str) -> DeleteWorkflowExecutionRequest:
    return DeleteWorkflowExecutionRequest(
        namespace=api.temporal.namespace,
        workflow_execution=WorkflowExecution(workflow_id=workflow_id),
    )


async def _exists(api: Api, workflow_id: str) -> bool:
    try:
        await api.temporal.get_workflow_handle(workflow_id).describe()
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


@pytest.mark.both_stores
async def test_list_filters_and_pages(api: Api) -> None:
    customer = f"cust-{uuid.uuid4().hex[:12]}"
    ids = set()
    for n in range(3):
        body = intake(customer, description=f"The blender arrived broken (unit {n}).")
        response = await api.create(body)
        assert response.status_code == 201, response.text
        ids.add(response.json()["complaint_id"])

    async def all_open() -> dict[str, Any] | None:
        response = await api.http.get(
            "/complaints", params={"customer_id": customer, "status": "open"}
        )
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page if page["total"] == 3 else None

    page = await eventually(all_open)
    assert {item["complaint_id"] for item in page["items"]} == ids
    assert page["next"] is None
    assert all(item["customer_id"] == customer for item in page["items"])
    category, tier = page["items"][0]["category"], page["items"][0]["tier"]
    assert category is not None and tier is not None

    same_kind = await api.http.get(
        "/complaints", params={"customer_id": customer, "category": category, "tier": tier}
    )
    assert same_kind.json()["total"] == sum(
        1 for item in page["items"] if (item["category"], item["tier"]) == (category, tier)
    )
    assert all(item["category"] == category for item in same_kind.json()["items"])

    closed = await api.http.get("/complaints", params={"customer_id": customer, "status": "closed"})
    assert closed.json()["total"] == 0
    breached = await api.http.get("/complaints", params={"customer_id": customer, "breached": True})
    assert breached.json()["total"] == 0

    first = (await api.http.get("/complaints", params={"customer_id": customer, "limit": 2})).json()
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (3, 2, 0, 2)
    assert first["next"] is not None
    assert "after=" in first["next"]
    second = (await api.http.get(first["next"])).json()
    assert (second["total"], len(second["items"])) == (3, 1)
    assert second["next"] is None
    seen = [item["complaint_id"] for item in first["items"] + second["items"]]
    assert sorted(seen) == sorted(ids)
    by_offset = (
        await api.http.get("/complaints", params={"customer_id": customer, "limit": 1, "offset": 1})
    ).json()
    assert [item["complaint_id"] for item in by_offset["items"]] == [seen[1]]
    assert by_offset["offset"] == 1
    assert by_offset["next"] is not None and "offset=2" in by_offset["next"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"category": "weather"}, "category"),
        ({"tier": "urgent"}, "tier"),
        ({"breached": "maybe"}, "breached"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"after": "bm90LWEtY3Vyc29y"}, "after"),
    ],
)
async def test_invalid_list_parameters_are_422(
    api: Api, params: dict[str, Any], field: str
) -> None:
    response = await api.http.get("/complaints", params=params)

    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["fields"]] == [field]
