"""The policy through the API: version 1 is the shipped policy; an admin saves a new
version (201, its Location, on the audit trail), and a retry with the same key answers the
same version; refusals are JSON naming the field and save nothing; supervisors read,
agents and services get 403s, and only admins save."""

from typing import Any

import httpx
import pytest

from domain.access import Role
from domain.policy_document import shipped_policy
from store.admin_changes import recent_changes
from tests.api.support import Api

SHIPPED = shipped_policy().model_dump(mode="json")


def changed(**sla: str) -> dict[str, Any]:
    """Returns the shipped document with the critical tier's SLA values replaced."""
    document: dict[str, Any] = shipped_policy().model_dump(mode="json")
    document["complaints"]["sla"]["critical"].update(sla)
    return document


async def put(api: Api, body: dict[str, Any], key: str | None = None) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return await api.http.put("/policies", json=body, headers=headers)


def fields(answer: httpx.Response) -> dict[str, str]:
    return {item["field"]: item["problem"] for item in answer.json().get("fields", [])}


@pytest.mark.both_stores
async def test_an_admin_saves_a_new_version_and_a_retry_answers_it_again(
    store: str, api: Api
) -> None:
    current = await api.http.get("/policies/current")
    assert current.status_code == 200, current.text
    assert current.json() | {"changed_at": None} == {
        "version": 1,
        "document": SHIPPED,
        "changed_by": "redress",
        "changed_at": None,
        "reason": "The policy Redress ships with",
    }
    body = {
        "document": changed(first_response="PT2H"),
        "reason": "critical complaints answered within two hours",
        "based_on": 1,
    }

    saved = await put(api, body, key="policy-change-1")
    again = await put(api, body, key="policy-change-1")
    other = await put(api, body | {"reason": "something else"}, key="policy-change-1")

    assert saved.status_code == 201, saved.text
    assert saved.headers["Location"] == "/policies/versions/2"
    version = saved.json()
    assert (version["version"], version["changed_by"]) == (2, "admin")
    assert version["document"]["complaints"]["sla"]["critical"]["first_response"] == "PT2H"
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (200, "true")
    assert again.json() == version
    assert (other.status_code, other.json()["error"]) == (422, "idempotency_key_reused")
    assert (await api.http.get("/policies/current")).json() == version
    assert (await api.http.get("/policies/versions/2")).json() == version
    first = (await api.http.get("/policies/versions/1")).json()
    assert first["document"] == SHIPPED
    listed = (await api.http.get("/policies/versions", params={"limit": 1})).json()
    assert [item["version"] for item in listed["items"]] == [2]
    assert listed["items"][0]["reason"] == "critical complaints answered within two hours"
    assert listed["items"][0]["url"] == "/policies/versions/2"
    assert (listed["total"], listed["next"]) == (2, "/policies/versions?limit=1&offset=1")
    with api.sessions() as session:
        trail = recent_changes(session)
    assert [(c.action, c.subject, c.actor, c.reason, c.detail) for c in trail] == [
        (
            "policy_changed",
            "v2",
            "admin",
            "critical complaints answered within two hours",
            "complaints.sla.critical.first_response: 1h -> 2h",
        )
    ]


async def test_refusals_name_the_field_and_save_nothing(api: Api) -> None:
    zero = await put(api, {"document": changed(first_response="PT0S"), "reason": "faster"})
    shorter = await put(api, {"document": changed(resolution="PT30M"), "reason": "resolve faster"})
    no_reason = await put(api, {"document": changed(first_response="PT2H"), "reason": " "})
    missing_reason = await put(api, {"document": changed(first_response="PT2H")})
    not_a_duration = await put(
        api, {"document": changed(first_response="soon"), "reason": "faster"}
    )
    misspelt = await put(
        api, {"document": SHIPPED | {"complaint": SHIPPED["complaints"]}, "reason": "typo"}
    )
    unchanged = await put(api, {"document": SHIPPED, "reason": "nothing"})
    await put(api, {"document": changed(first_response="PT2H"), "reason": "faster"})
    stale = await put(
        api, {"document": changed(first_response="PT3H"), "reason": "slower", "based_on": 1}
    )

    assert (zero.status_code, zero.json()["error"]) == (422, "policy_invalid")
    assert fields(zero) == {
        "document.complaints.sla.critical.first_response": "must be more than zero"
    }
    assert fields(shorter) == {
        "document.complaints.sla.critical.resolution": "must be longer than first_response"
    }
    assert fields(no_reason) == {"reason": "must not be empty"}
    assert (missing_reason.status_code, list(fields(missing_reason))) == (422, ["reason"])
    assert (not_a_duration.status_code, not_a_duration.json()["error"]) == (
        422,
        "validation_failed",
    )
    assert list(fields(not_a_duration)) == ["document.complaints.sla.critical.first_response"]
    assert list(fields(misspelt)) == ["document.complaint"]
    assert (unchanged.status_code, unchanged.json()["error"]) == (422, "policy_unchanged")
    assert (stale.status_code, stale.json()["error"]) == (409, "policy_changed_meanwhile")
    assert "version 2 was saved by admin" in stale.json()["message"]
    assert (await api.http.get("/policies/current")).json()["version"] == 2
    assert (await api.http.get("/policies/versions/3")).status_code == 404


async def test_supervisors_read_and_only_admins_save(api: Api) -> None:
    body = {"document": changed(first_response="PT2H"), "reason": "faster"}
    async with api.client_as("sup-1", Role.SUPERVISOR) as supervisor:
        read = await supervisor.get("/policies/current")
        listed = await supervisor.get("/policies/versions")
        supervisor_put = await supervisor.put("/policies", json=body)
    async with api.client_as("agent-1", Role.AGENT) as agent:
        agent_read = await agent.get("/policies/current")
        agent_version = await agent.get("/policies/versions/1")
        agent_put = await agent.put("/policies", json=body)
    async with api.client_as("shop", Role.SERVICE) as service:
        service_read = await service.get("/policies/versions")

    assert (read.status_code, listed.status_code) == (200, 200)
    assert [r.status_code for r in (supervisor_put, agent_read, agent_version, agent_put)] == [
        403
    ] * 4
    assert service_read.status_code == 403
    assert supervisor_put.json()["error"] == "forbidden"
    assert (await api.http.get("/policies/current")).json()["version"] == 1
