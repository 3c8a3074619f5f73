"""A complaint's life through HTTP: agent reply, resolution, close, and refused actions."""

import asyncio
from typing import Any

import pytest

from domain.access import Role
from tests.api.support import Api, intake

AGENT = "agent-quality-1"


def _open(view: dict[str, Any]) -> bool:
    return bool(view["status"] == "open")


async def _act(api: Api, complaint_id: str, action: dict[str, Any]) -> Any:
    return await api.http.post(f"/complaints/{complaint_id}/actions", json={"action": action})


@pytest.mark.both_stores
async def test_reply_then_small_resolution_closes_the_complaint(api: Api) -> None:
    created = (await api.create(intake())).json()
    complaint_id = created["complaint_id"]
    view = await api.wait_for_view(complaint_id, _open)
    assert view["classification"] is not None
    assert view["routing"] is not None

    reply = await _act(api, complaint_id, {"type": "reply", "message": "Sorry, checking now."})
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "open"

    customer = await api.http.post(
        f"/complaints/{complaint_id}/messages", json={"message": "Thanks, I'd like a coupon."}
    )
    assert customer.status_code == 200, customer.text

    proposal = {
        "compensations": [{"kind": "coupon", "amount": "20.00"}],
        "message": "Here is a 20.00 coupon for the trouble.",
        "root_cause": "supplier_defect",
    }
    proposed = await _act(api, complaint_id, {"type": "propose_resolution", "proposal": proposal})
    assert proposed.status_code == 200, proposed.text
    assert proposed.json()["status"] in {"resolving", "closed"}

    closed = await api.wait_for_view(complaint_id, lambda v: v["status"] == "closed")
    assert closed["close_reason"] == "resolved"
    assert [c["kind"] for c in closed["compensations"]] == ["coupon"]
    kinds = [event["kind"] for event in closed["timeline"]]
    assert "replied" in kinds and "customer_replied" in kinds and "closed" in kinds

    again = await _act(api, complaint_id, {"type": "reply", "message": "One more thing."})
    assert again.status_code == 409, again.text
    assert again.json()["error"] in {"complaint_closed", "action_not_allowed"}
    message = await api.http.post(
        f"/complaints/{complaint_id}/messages", json={"message": "Hello?"}
    )
    assert message.status_code == 409, message.text


async def test_refused_actions_are_409_or_422_with_the_workflows_reason(api: Api) -> None:
    created = (await api.create(intake())).json()
    complaint_id = created["complaint_id"]
    await api.wait_for_view(complaint_id, _open)

    no_approval = await api.http.post(
        f"/complaints/{complaint_id}/approval",
        json={"approved": True},
    )
    assert no_approval.status_code == 409, no_approval.text
    assert no_approval.json()["error"] == "action_not_allowed"
    assert "no approval is pending" in no_approval.json()["message"]

    too_much = {
        "compensations": [{"kind": "refund", "amount": "500.00"}],
        "message": "Refunding more than was paid.",
        "root_cause": "supplier_defect",
    }
    refund = await _act(api, complaint_id, {"type": "propose_resolution", "proposal": too_much})
    assert refund.status_code == 422, refund.text
    assert refund.json()["error"] == "invalid_action"
    assert "paid" in refund.json()["message"]

    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert view["status"] == "open"


async def test_invalid_update_bodies_name_the_field(api: Api) -> None:
    created = (await api.create(intake())).json()
    complaint_id = created["complaint_id"]

    unknown_action = await _act(api, complaint_id, {"type": "teleport"})
    assert unknown_action.status_code == 422
    assert unknown_action.json()["fields"][0]["field"] == "action"

    rejection = await api.http.post(
        f"/complaints/{complaint_id}/approval",
        json={"approved": False},
    )
    assert rejection.status_code == 422
    assert "reason" in rejection.json()["fields"][0]["problem"]


async def test_concurrent_approvals_one_wins_the_other_is_told_why(api: Api) -> None:
    # Any compensation on a critical complaint waits for a supervisor.
    body = intake(description="The blender caught fire and burned my hand: a safety hazard.")
    complaint_id = (await api.create(body)).json()["complaint_id"]
    await api.wait_for_view(complaint_id, _open)
    proposal = {
        "compensations": [{"kind": "refund", "amount": "99.00"}],
        "message": "A full refund, with our apologies.",
        "root_cause": "supplier_defect",
    }
    proposed = await _act(api, complaint_id, {"type": "propose_resolution", "proposal": proposal})
    assert proposed.json()["status"] == "awaiting_approval", proposed.text

    # Two supervisors on shift decide the same escalation at the same moment.
    decisions = [
        (api.client_as("supervisor-a", Role.SUPERVISOR), {"approved": True, "reason": "Safety"}),
        (api.client_as("supervisor-b", Role.SUPERVISOR), {"approved": False, "reason": "Photos"}),
    ]
    answers = await asyncio.gather(
        *(
            supervisor.post(f"/complaints/{complaint_id}/approval", json=decision)
            for supervisor, decision in decisions
        )
    )

    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200, 409], [answer.text for answer in answers]
    refused = next(answer for answer in answers if answer.status_code == 409)
    assert refused.json()["error"] == "action_not_allowed"
    assert "no approval is pending" in refused.json()["message"]
    view = await api.wait_for_view(complaint_id, lambda v: v["status"] != "awaiting_approval")
    decided = [e for e in view["timeline"] if e["kind"] in {"approved", "rejected"}]
    assert len(decided) == 1, "exactly one decision entered the complaint"
    signed_by = {"approved": "supervisor-a", "rejected": "supervisor-b"}[decided[0]["kind"]]
    assert decided[0]["actor"] == signed_by, "the decision is signed by who made it"
