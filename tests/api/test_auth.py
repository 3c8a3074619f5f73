"""Who may do what over HTTP: keys, roles, customer links, and refusals that change nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.links import CaseKind, LinkPurpose, issue_link_token
from domain.access import Role
from store.staff import disable_user, revoke_key
from tests.api.returns_support import open_return, return_request
from tests.api.support import Api, intake

ACTION = {"action": {"type": "reply", "message": "Looking into it."}}


async def _open_complaint(api: Api) -> dict[str, Any]:
    created = await api.create(intake())
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    await api.wait_for_view(body["complaint_id"], lambda v: v["status"] == "open")
    return body


async def _timeline_kinds(api: Api, complaint_id: str) -> list[str]:
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    return [event["kind"] for event in view["timeline"]]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/complaints"),
        ("GET", "/complaints"),
        ("GET", "/complaints/CAAAAAAAAAAAA"),
        ("POST", "/complaints/CAAAAAAAAAAAA/actions"),
        ("POST", "/complaints/CAAAAAAAAAAAA/approval"),
        ("POST", "/returns"),
        ("POST", "/returns/RAAAAAAAAAAAA/inspection"),
        ("POST", "/codec/decode"),
    ],
)
async def test_no_credentials_is_401_with_a_json_body(api: Api, method: str, path: str) -> None:
    async with api.client_with_token(None) as anonymous:
        response = await anonymous.request(method, path, json={})

    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"] == "unauthenticated"
    assert "Authorization: Bearer" in response.json()["message"]


@pytest.mark.both_stores
async def test_unknown_revoked_and_disabled_keys_are_401(api: Api) -> None:
    key = api.key_for("svc-shop", Role.SERVICE)
    async with api.client_with_token(key) as shop:
        assert (await shop.get("/complaints")).status_code == 200

    forged = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
    async with api.client_with_token(forged) as stranger:
        refused = await stranger.get("/complaints")
    assert refused.status_code == 401
    assert "not valid" in refused.json()["message"]

    with api.sessions() as session:
        revoke_key(session, key_id=key.split("_")[1])
    async with api.client_with_token(key) as shop:
        assert (await shop.get("/complaints")).status_code == 401

    other = api.key_for("agent-gone", Role.AGENT)
    with api.sessions() as session:
        disable_user(session, user_id="agent-gone")
    async with api.client_with_token(other) as gone:
        assert (await gone.get("/complaints")).status_code == 401


async def test_service_opens_and_reads_but_may_not_act_or_approve(api: Api) -> None:
    async with api.client_as("svc-shop", Role.SERVICE) as shop:
        created = await shop.post("/complaints", json=intake())
        assert created.status_code == 201, created.text
        complaint_id = created.json()["complaint_id"]
        await api.wait_for_view(complaint_id, lambda v: v["status"] == "open")
        assert (await shop.get(f"/complaints/{complaint_id}")).status_code == 200
        before = await _timeline_kinds(api, complaint_id)

        acted = await shop.post(f"/complaints/{complaint_id}/actions", json=ACTION)
        approved = await shop.post(f"/complaints/{complaint_id}/approval", json={"approved": True})

    assert acted.status_code == 403, acted.text
    assert acted.json() == {
        "error": "forbidden",
        "message": "your role may not do this (it needs complaints:work)",
    }
    assert approved.status_code == 403
    assert await _timeline_kinds(api, complaint_id) == before, "the workflow heard nothing"


async def test_agents_act_only_on_complaints_assigned_to_them(api: Api) -> None:
    complaint_id = (await _open_complaint(api))["complaint_id"]
    assignee = (await api.http.get(f"/complaints/{complaint_id}")).json()["assignee"]
    assert assignee, "routing assigned an agent"

    async with api.client_as("agent-other", Role.AGENT) as other:
        refused = await other.post(f"/complaints/{complaint_id}/actions", json=ACTION)
    assert refused.status_code == 403
    assert f"assigned to {assignee}, not to you" in refused.json()["message"]

    async with api.client_as(assignee, Role.AGENT) as agent:
        replied = await agent.post(f"/complaints/{complaint_id}/actions", json=ACTION)
        assigned = await agent.post(
            f"/complaints/{complaint_id}/actions",
            json={"action": {"type": "assign", "agent_id": "agent-other"}},
        )
        approved = await agent.post(f"/complaints/{complaint_id}/approval", json={"approved": True})
    assert replied.status_code == 200, replied.text
    assert assigned.status_code == 403
    assert "only a supervisor may assign" in assigned.json()["message"]
    assert approved.status_code == 403

    timeline = (await api.http.get(f"/complaints/{complaint_id}")).json()["timeline"]
    replies = [event for event in timeline if event["kind"] == "replied"]
    assert [event["actor"] for event in replies] == [assignee], "signed by the key's owner"


async def test_identity_comes_from_the_key_never_from_the_body(api: Api) -> None:
    complaint_id = (await _open_complaint(api))["complaint_id"]
    async with api.client_as("agent-any", Role.AGENT) as agent:
        spoofed = await agent.post(
            f"/complaints/{complaint_id}/actions", json={"actor": "someone-else", **ACTION}
        )
    assert spoofed.status_code == 422
    assert spoofed.json()["fields"][0]["field"] == "actor"


async def test_warehouse_inspects_returns_but_does_not_review_them(api: Api) -> None:
    return_id = await open_return(api)
    async with api.client_as("wh-7", Role.WAREHOUSE) as warehouse:
        review = await warehouse.post(f"/returns/{return_id}/review", json={"approved": True})
        opened = await warehouse.post("/complaints", json=intake())
        read = await warehouse.get(f"/returns/{return_id}")
    assert review.status_code == 403
    assert opened.status_code == 403
    assert read.status_code == 200


async def test_a_customer_link_opens_its_own_complaint_and_nothing_else(api: Api) -> None:
    mine = await _open_complaint(api)
    other = await _open_complaint(api)
    complaint_id = mine["complaint_id"]

    async with api.client_with_token(mine["customer_token"]) as customer:
        read = await customer.get(f"/complaints/{complaint_id}")
        replied = await customer.post(
            f"/complaints/{complaint_id}/messages", json={"message": "Photos attached."}
        )
        elsewhere = await customer.get(f"/complaints/{other['complaint_id']}")
        listing = await customer.get("/complaints")
        acting = await customer.post(f"/complaints/{complaint_id}/actions", json=ACTION)
        approving = await customer.post(
            f"/complaints/{complaint_id}/approval", json={"approved": True}
        )
        returns = await customer.get("/returns")

    assert read.status_code == 200
    assert read.json()["complaint_id"] == complaint_id
    assert replied.status_code == 200, replied.text
    for refused in (elsewhere, listing, acting, approving, returns):
        assert refused.status_code == 403, refused.text
    assert elsewhere.json()["message"] == "this link opens only the case it was sent for"


async def test_expired_forged_and_survey_links_are_401(api: Api) -> None:
    complaint_id = (await _open_complaint(api))["complaint_id"]
    secret = api.settings.secret_key

    def link(purpose: LinkPurpose, expires_in: timedelta, key: str = secret) -> str:
        return issue_link_token(
            key,
            kind=CaseKind.COMPLAINT,
            case_id=complaint_id,
            purpose=purpose,
            expires_at=datetime.now(UTC) + expires_in,
        )

    cases = {
        "the link has expired": link(LinkPurpose.CASE, -timedelta(minutes=1)),
        "the link is not valid": link(LinkPurpose.CASE, timedelta(days=1), key="x" * 40),
        "this link is for a survey": link(LinkPurpose.SURVEY, timedelta(days=1)),
    }
    for reason, token in cases.items():
        async with api.client_with_token(token) as customer:
            response = await customer.get(f"/complaints/{complaint_id}")
        assert response.status_code == 401, reason
        assert response.json()["message"].startswith(reason)


async def test_a_return_link_opens_that_return_only(api: Api) -> None:
    created = await api.http.post("/returns", json=return_request())
    assert created.status_code == 201, created.text
    body = created.json()
    other_return = await open_return(api)
    async with api.client_with_token(body["customer_token"]) as customer:
        own = await customer.get(f"/returns/{body['return_id']}")
        other = await customer.get(f"/returns/{other_return}")
        inspect = await customer.post(
            f"/returns/{body['return_id']}/inspection", json={"verdict": "accepted"}
        )
    assert own.status_code == 200
    assert other.status_code == 403
    assert inspect.status_code == 403
