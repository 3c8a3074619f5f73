"""`POST /complaints/{id}/merge` on the dev server with real workers: the link made at
intake is on both complaints; a merge carries the complaint into the survivor once, under
its `Idempotency-Key`; refusals are JSON naming the field, and change nothing; agents
merge only complaints assigned to them both."""

from typing import Any

import httpx
import pytest

from domain.access import Role
from tests.api.support import Api, intake


async def _open(api: Api, body: dict[str, Any]) -> str:
    created = await api.create(body)
    assert created.status_code == 201, created.text
    complaint_id: str = created.json()["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] != "received")
    return complaint_id


async def _pair(api: Api) -> tuple[str, str, dict[str, Any]]:
    """Opens a complaint and a second one about the same order; returns both ids and the
    first's intake."""
    first_body = intake()
    first = await _open(api, first_body)
    second = await _open(api, intake(first_body["customer"]["id"], order=first_body["order"]))
    return first, second, first_body


async def _merge(
    client: httpx.AsyncClient, complaint_id: str, into: Any, key: str | None = None
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return await client.post(
        f"/complaints/{complaint_id}/merge", json={"into": into}, headers=headers
    )


async def _view(api: Api, complaint_id: str) -> dict[str, Any]:
    response = await api.http.get(f"/complaints/{complaint_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.both_stores
async def test_a_merge_carries_the_complaint_into_the_survivor_once(api: Api) -> None:
    first, second, _ = await _pair(api)
    assert (await _view(api, second))["duplicate_of"] == first
    linked = await api.wait_for_view(first, lambda view: view["duplicates"] == [second])
    assert linked["duplicate_of"] is None
    reply = {"action": {"type": "reply", "message": "We are on it."}}
    assert (await api.http.post(f"/complaints/{first}/actions", json=reply)).status_code == 200

    merged = await _merge(api.http, first, second, key="merge-1")
    retried = await _merge(api.http, first, second, key="merge-1")
    again = await _merge(api.http, first, second, key="merge-2")

    assert merged.status_code == 200, merged.text
    assert merged.json() == {"status": "closed", "detail": f"merged into {second}"}
    assert retried.status_code == 200 and retried.json() == merged.json()
    assert again.status_code == 409, again.text
    assert again.json()["error"] == "already_merged"
    assert [f["field"] for f in again.json()["fields"]] == ["complaint_id"]
    closed = await _view(api, first)
    assert (closed["status"], closed["close_reason"], closed["merged_into"]) == (
        "closed",
        "merged",
        second,
    )
    survivor = await api.wait_for_view(second, lambda view: view["merged_from"] == [first])
    carried = [e for e in survivor["timeline"] if e["detail"].startswith(f"[{first} ")]
    assert [e["kind"] for e in carried] == ["customer_replied", "replied"]
    assert carried[1]["detail"].endswith("] We are on it.")
    assert [e["kind"] for e in survivor["timeline"]].count("merged_from") == 1


async def test_refusals_name_the_field_and_change_nothing(api: Api) -> None:
    first, second, body = await _pair(api)
    customer = body["customer"]["id"]
    other_customers = await _open(api, intake())
    closed = await _open(api, intake(customer))
    apology = {"compensations": [], "message": "Sorry.", "root_cause": "supplier_defect"}
    close = {"action": {"type": "propose_resolution", "proposal": apology}}
    assert (await api.http.post(f"/complaints/{closed}/actions", json=close)).is_success
    await api.wait_for_view(closed, lambda view: view["status"] == "closed")
    before = await _view(api, first)

    refusals = {
        "itself": (await _merge(api.http, first, first), 422, "into"),
        "malformed": (await _merge(api.http, first, "not-a-complaint"), 422, "into"),
        "unknown": (await _merge(api.http, first, "CAAAAAAAAAAAA"), 422, "into"),
        "another customer's": (await _merge(api.http, first, other_customers), 422, "into"),
        "survivor closed": (await _merge(api.http, first, closed), 409, "into"),
        "merged closed": (await _merge(api.http, closed, first), 409, "complaint_id"),
    }

    for what, (response, status, field) in refusals.items():
        assert response.status_code == status, (what, response.text)
        assert [f["field"] for f in response.json()["fields"]] == [field], what
    assert (await _merge(api.http, "CAAAAAAAAAAAA", second)).status_code == 404
    after = await _view(api, first)
    assert (after["status"], after["merged_into"]) == ("open", None)
    assert after["timeline_total"] == before["timeline_total"]
    assert (await _view(api, second))["merged_from"] == []


async def test_an_agent_merges_only_complaints_assigned_to_them_both(api: Api) -> None:
    first, second, _ = await _pair(api)
    for complaint_id in (first, second):
        assign = {"action": {"type": "assign", "agent_id": "agent-merge-1"}}
        answer = await api.http.post(f"/complaints/{complaint_id}/actions", json=assign)
        assert answer.status_code == 200, answer.text
    assign_away = {"action": {"type": "assign", "agent_id": "agent-merge-2"}}
    assert (await api.http.post(f"/complaints/{second}/actions", json=assign_away)).is_success

    async with api.client_as("agent-merge-1", Role.AGENT) as agent:
        refused = await _merge(agent, first, second)
        assert refused.status_code == 403, refused.text
        assert (await _view(api, first))["status"] == "open"

        assign_back = {"action": {"type": "assign", "agent_id": "agent-merge-1"}}
        assert (await api.http.post(f"/complaints/{second}/actions", json=assign_back)).is_success
        merged = await _merge(agent, first, second)
        assert merged.status_code == 200, merged.text
