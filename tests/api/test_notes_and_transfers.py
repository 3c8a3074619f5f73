"""The actions the console's workspace added to POST /complaints/{id}/actions: internal
notes (staff only, never to the customer), transfers to another team, and the root cause
a final resolution must name."""

from typing import Any

import pytest
from sqlmodel import col, select

from domain.access import Role
from store.tables.outbox import OutboxMessage
from tests.api.support import Api, eventually, intake


async def _opened(api: Api) -> tuple[str, dict[str, Any], str]:
    created = (await api.create(intake())).json()
    complaint_id = created["complaint_id"]
    view = await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    return complaint_id, view, created["customer_token"]


def _fields(answer: Any) -> list[str]:
    return [problem["field"] for problem in answer.json()["fields"]]


@pytest.mark.both_stores
async def test_a_note_is_on_the_staffs_timeline_and_nowhere_the_customer_looks(api: Api) -> None:
    complaint_id, view, token = await _opened(api)
    agent = api.client_as(view["assignee"], Role.AGENT)
    note = {"action": {"type": "note", "text": "The customer called twice; be gentle."}}

    noted = await agent.post(f"/complaints/{complaint_id}/actions", json=note)
    empty = await agent.post(
        f"/complaints/{complaint_id}/actions", json={"action": {"type": "note", "text": ""}}
    )
    outsider = await api.client_as("agent-outsider", Role.AGENT).post(
        f"/complaints/{complaint_id}/actions", json=note
    )
    staff = (await api.http.get(f"/complaints/{complaint_id}")).json()
    customer = await api.client_with_token(token).get(f"/complaints/{complaint_id}")

    assert noted.status_code == 200, noted.text
    assert noted.json() == {"status": "open", "detail": "note accepted"}
    assert empty.status_code == 422 and _fields(empty) == ["action.note.text"]
    assert outsider.status_code == 403
    notes = [event for event in staff["timeline"] if event["kind"] == "noted"]
    assert [(n["actor"], n["detail"]) for n in notes] == [
        (view["assignee"], "The customer called twice; be gentle.")
    ]
    assert staff["first_response"]["met_at"] is None, "a note answers nobody"
    assert customer.status_code == 200
    assert "be gentle" not in customer.text
    assert customer.json()["timeline_total"] == staff["timeline_total"] - 1

    # The customer was sent the acknowledgement (its row is written a moment after the
    # view changes) and nothing of the note.
    async def messages() -> list[OutboxMessage] | None:
        with api.sessions() as session:
            query = select(OutboxMessage).where(col(OutboxMessage.complaint_id) == complaint_id)
            rows = list(session.exec(query).all())
        return rows or None

    rows = await eventually(messages)
    assert [row.template for row in rows] == ["acknowledgement"]
    assert not any("be gentle" in row.body for row in rows)


async def test_a_final_resolution_names_its_root_cause(api: Api) -> None:
    complaint_id, view, _ = await _opened(api)
    coupon = {"compensations": [{"kind": "coupon", "amount": "20.00"}], "message": "Sorry."}

    def propose(proposal: dict[str, Any]) -> dict[str, Any]:
        return {"action": {"type": "propose_resolution", "proposal": proposal}}

    refused = await api.http.post(f"/complaints/{complaint_id}/actions", json=propose(coupon))
    partial = await api.http.post(
        f"/complaints/{complaint_id}/actions", json=propose(coupon | {"final": False})
    )
    await api.wait_for_view(
        complaint_id, lambda view: view["status"] == "open" and view["compensations"]
    )
    final = await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json=propose(coupon | {"root_cause": "carrier"}),
    )

    assert refused.status_code == 422, refused.text
    assert refused.json()["error"] == "validation_failed"
    assert _fields(refused) == ["action.proposal.root_cause"]
    assert partial.status_code == 200, partial.text
    assert final.status_code == 200, final.text
    closed = await api.wait_for_view(complaint_id, lambda view: view["status"] == "closed")
    assert closed["close_reason"] == "resolved" and closed["root_cause"] == "carrier"


async def test_a_supervisor_transfers_a_complaint_to_another_team(api: Api) -> None:
    complaint_id, view, _ = await _opened(api)
    team = view["routing"]["team"]
    other = "payments" if team != "payments" else "logistics"
    supervisor = api.client_as("sup-he", Role.SUPERVISOR)

    def assign(**fields: str) -> dict[str, Any]:
        return {"action": {"type": "assign", **fields}}

    unknown = await supervisor.post(
        f"/complaints/{complaint_id}/actions", json=assign(team="no-such-team")
    )
    nobody = await supervisor.post(f"/complaints/{complaint_id}/actions", json=assign())
    same_team = await supervisor.post(f"/complaints/{complaint_id}/actions", json=assign(team=team))
    by_agent = await api.client_as(view["assignee"], Role.AGENT).post(
        f"/complaints/{complaint_id}/actions", json=assign(team=other)
    )
    moved = await supervisor.post(
        f"/complaints/{complaint_id}/actions", json=assign(team=other, agent_id=f"agent-{other}-2")
    )

    assert unknown.status_code == 422 and _fields(unknown) == ["action.team"]
    assert nobody.status_code == 422 and nobody.json()["error"] == "validation_failed"
    assert same_team.status_code == 422 and same_team.json()["error"] == "invalid_action"
    assert f"already with team {team}" in same_team.json()["message"]
    assert by_agent.status_code == 403
    assert moved.status_code == 200, moved.text
    after = await api.wait_for_view(complaint_id, lambda view: view["routing"]["team"] == other)
    assert after["assignee"] == f"agent-{other}-2"
    assert after["routing"]["supervisor_id"] == f"supervisor-{other}"
    last = after["timeline"][-1]
    assert (last["kind"], last["actor"]) == ("assigned", "sup-he")
    assert last["detail"] == f"team {other}, agent agent-{other}-2"


async def test_the_schema_offers_notes_and_transfers(api: Api) -> None:
    schema = (await api.http.get("/openapi.json")).json()["components"]["schemas"]

    assert schema["NoteAction"]["required"] == ["type", "text"]
    assert schema["NoteAction"]["properties"]["type"]["const"] == "note"
    assert {"agent_id", "team"} <= set(schema["AssignAction"]["properties"])
    actions = schema["AgentActionRequest"]["properties"]["action"]
    assert "note" in actions["discriminator"]["mapping"]
