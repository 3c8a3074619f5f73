"""A reply sent through `POST /complaints/{id}/actions` names the canned reply it started
from (`canned_reply_id`): counted once per request however often it is retried with its
Idempotency-Key, a retired template still counted; an unknown template, or one named with
another action, is a 422 naming the field, and the workflow hears nothing."""

from typing import Any

import httpx
import pytest

from domain.access import Role
from tests.api.support import Api, intake

TEMPLATE = {
    "title": "Replacement on its way",
    "language": "en",
    "sub_category": None,
    "body": "Sorry, {{ customer_name }}: a new one ships today.",
}


async def open_with_template(api: Api) -> tuple[str, str, int]:
    """Returns an open complaint, its agent, and a template."""
    opened = await api.create(intake())
    assert opened.status_code == 201, opened.text
    complaint_id = opened.json()["complaint_id"]
    view = await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    made = await api.http.post("/canned-replies", json=TEMPLATE)
    assert made.status_code == 201, made.text
    return complaint_id, view["assignee"], made.json()["canned_reply_id"]


async def uses(api: Api, canned_reply_id: int) -> int:
    read = await api.http.get(f"/canned-replies/{canned_reply_id}")
    assert read.status_code == 200, read.text
    count: int = read.json()["uses"]
    return count


async def act(
    client: httpx.AsyncClient, complaint_id: str, body: dict[str, Any], key: str | None = None
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return await client.post(f"/complaints/{complaint_id}/actions", json=body, headers=headers)


def replies(view: dict[str, Any]) -> list[str]:
    return [event["detail"] for event in view["timeline"] if event["kind"] == "replied"]


@pytest.mark.both_stores
async def test_a_reply_from_a_template_counts_once_per_request(store: str, api: Api) -> None:
    complaint_id, agent_id, template = await open_with_template(api)
    reply = {"action": {"type": "reply", "message": "A new one ships today."}}
    body = reply | {"canned_reply_id": template}

    async with api.client_as(agent_id, Role.AGENT) as agent:
        first = await act(agent, complaint_id, body, key="reply-1")
        retried = await act(agent, complaint_id, body, key="reply-1")
        assert (first.status_code, retried.status_code) == (200, 200), first.text
        assert await uses(api, template) == 1
        # Retired meanwhile: a reply started from it still counts as its use.
        assert (await api.http.post(f"/canned-replies/{template}/retire")).status_code == 200
        second = await act(agent, complaint_id, body)
        plain = await act(agent, complaint_id, reply, key="reply-3")

    assert (second.status_code, plain.status_code) == (200, 200), second.text
    assert await uses(api, template) == 2
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert len(replies(view)) == 3


async def test_an_unknown_template_or_one_with_another_action_is_refused(api: Api) -> None:
    complaint_id, agent_id, template = await open_with_template(api)
    before = (await api.http.get(f"/complaints/{complaint_id}")).json()["timeline_total"]

    async with api.client_as(agent_id, Role.AGENT) as agent:
        unknown = await act(
            agent,
            complaint_id,
            {"action": {"type": "reply", "message": "Hi."}, "canned_reply_id": 987654},
        )
        with_a_note = await act(
            agent,
            complaint_id,
            {"action": {"type": "note", "text": "Hm."}, "canned_reply_id": template},
        )
        not_an_id = await act(
            agent,
            complaint_id,
            {"action": {"type": "reply", "message": "Hi."}, "canned_reply_id": 0},
        )

    for answer in (unknown, with_a_note, not_an_id):
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"] == "validation_failed"
        assert [f["field"] for f in answer.json()["fields"]] == ["canned_reply_id"], answer.text
    assert "no canned reply 987654" in unknown.json()["message"]
    assert "only a reply" in with_a_note.json()["fields"][0]["problem"]
    after = (await api.http.get(f"/complaints/{complaint_id}")).json()["timeline_total"]
    assert after == before, "the workflow heard nothing"
    assert await uses(api, template) == 0
