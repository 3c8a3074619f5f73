"""The complaint page's action forms over the real workflow: reply, ask for information,
internal note, reclassify and reassign. Each success reaches the workflow (the timeline
shows it); another agent's complaint or the wrong role is the 403 page and the workflow
hears nothing; a refusal shows the workflow's reason; a bad field is named; the same form
sent twice records once; a note never reaches the customer."""

import asyncio

import pytest

from domain.access import Role
from tests.api.support import Api
from tests.console.support import add_staff, browser, csrf_token, sign_in, signed_in
from tests.console.workspace_support import (
    heard,
    kinds,
    open_complaint,
    page_form,
    send_form,
)


@pytest.mark.both_stores
async def test_a_reply_reaches_the_customer_once_however_often_it_is_sent(api: Api) -> None:
    complaint = await open_complaint(api)

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        page = await agent.get(complaint.page)
        assert 'id="form-reply"' in page.text and "Reply to the customer" in page.text
        action = f"{complaint.page}/reply"
        fields = await page_form(agent, complaint.page, action)
        message = {"message": "  We are sorry: a new blender leaves today.  "}
        # A double click: the same form, the same key, sent twice at once.
        first, second = await asyncio.gather(
            agent.post(action, data=fields | message), agent.post(action, data=fields | message)
        )
        assert first.status_code == second.status_code == 303, (first.text, second.text)
        assert first.headers["location"] == f"{complaint.page}?done=reply#workspace"
        after = await agent.get(first.headers["location"])

    assert 'data-done="reply"' in after.text
    assert 'data-kind="replied"' in after.text
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    assert kinds(view).count("replied") == 1
    replied = next(event for event in view["timeline"] if event["kind"] == "replied")
    assert replied["detail"] == "We are sorry: a new blender leaves today."
    assert replied["actor"] == complaint.agent
    assert view["first_response"]["met_at"] is not None
    async with browser(api) as customer:
        own_page = await customer.get(complaint.customer_page)
    assert "We are sorry: a new blender leaves today." in own_page.text


async def test_another_agents_complaint_is_a_403_page_and_the_workflow_hears_nothing(
    api: Api,
) -> None:
    complaint = await open_complaint(api)
    add_staff(api, complaint.agent, Role.AGENT)
    async with browser(api) as owner:
        assert (await sign_in(owner, complaint.agent)).status_code == 303
        # The forms as their owner sees them, sent by another agent's browser.
        shown = {
            form: await page_form(owner, complaint.page, f"{complaint.page}/{form}")
            for form in ("reply", "request-info", "note", "reclassify", "resolution", "close")
        }
    fields = {
        "reply": {"message": "Not my complaint."},
        "request-info": {"question": "A photo?"},
        "note": {"text": "Peeking."},
        "reclassify": {"sub_category": "late_delivery", "tier": "general", "reason": "x"},
        "resolution": {
            "kind": "coupon",
            "amount": "10",
            "message": "Sorry.",
            "final": "true",
            "root_cause": "carrier",
            "intent": "send",
        },
        "close": {"message": "Done.", "root_cause": "carrier"},
    }
    before = await heard(api, complaint.complaint_id)

    async with signed_in(api, "agent-elsewhere", Role.AGENT) as other:
        page = await other.get(complaint.page)
        answers = {}
        # Its own session's token: only the assignment stands in the way.
        token = csrf_token(page.text)
        for form, hidden in shown.items():
            answers[form] = await other.post(
                f"{complaint.page}/{form}", data=hidden | {"csrf_token": token} | fields[form]
            )
        reassign = await other.post(
            f"{complaint.page}/reassign",
            data={"csrf_token": token, "agent_id": "agent-elsewhere"},
        )

    assert 'data-why="workspace_not_yours"' in page.text
    assert 'class="workspace-form' not in page.text, "no form is offered"
    for form, answer in answers.items():
        assert answer.status_code == 403, (form, answer.text)
        assert "assigned to another agent" in answer.text, form
    assert reassign.status_code == 403 and "Only supervisors" in reassign.text
    assert await heard(api, complaint.complaint_id) == before

    # The warehouse works no complaint at all; a supervisor may act on any.
    async with signed_in(api, "wh-ma", Role.WAREHOUSE) as warehouse:
        token = csrf_token((await warehouse.get("/console/returns")).text)
        refused = await warehouse.post(
            f"{complaint.page}/note", data=shown["note"] | {"csrf_token": token, "text": "x"}
        )
    assert refused.status_code == 403
    assert await heard(api, complaint.complaint_id) == before
    async with signed_in(api, "sup-any", Role.SUPERVISOR) as supervisor:
        noted = await send_form(supervisor, complaint, "note", {"text": "Covering for lunch."})
    assert noted.status_code == 303, noted.text
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    assert (view["timeline"][-1]["kind"], view["timeline"][-1]["actor"]) == ("noted", "sup-any")


async def test_asking_for_information_pauses_until_the_customer_answers(api: Api) -> None:
    complaint = await open_complaint(api)

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        asked = await send_form(
            agent, complaint, "request-info", {"question": "Could you send a photo of the base?"}
        )
        assert asked.status_code == 303, asked.text
        waiting = await agent.get(asked.headers["location"])
        customer = api.client_with_token(complaint.customer_token)
        answered = await customer.post(
            f"/complaints/{complaint.complaint_id}/messages", json={"message": "Photo attached."}
        )
        assert answered.status_code == 200, answered.text
        reopened = await agent.get(complaint.page)

    assert 'data-done="request_info"' in waiting.text
    assert 'data-status="waiting_on_customer"' in waiting.text
    # Asking again is not offered while the customer's answer is awaited, and says why.
    assert 'id="form-request_info"' not in waiting.text
    assert 'data-hidden="request_info"' in waiting.text
    assert "Could you send a photo of the base?" in waiting.text
    assert 'data-status="open"' in reopened.text and 'id="form-request_info"' in reopened.text
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    assert kinds(view)[-2:] == ["info_requested", "customer_replied"]


async def test_a_note_stays_with_staff(api: Api) -> None:
    complaint = await open_complaint(api)
    secret = "Customer sounded angry; maybe offer a coupon if the photo shows a crack."

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        noted = await send_form(agent, complaint, "note", {"text": secret})
        assert noted.status_code == 303, noted.text
        page = await agent.get(noted.headers["location"])

    assert 'data-done="note"' in page.text
    assert 'data-kind="noted"' in page.text and secret in page.text
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    note = next(event for event in view["timeline"] if event["kind"] == "noted")
    assert note["detail"] == secret and note["actor"] == complaint.agent
    # The note answered nobody: the first-response clock still runs.
    assert view["first_response"]["met_at"] is None
    async with browser(api) as customer:
        own_page = await customer.get(complaint.customer_page)
    as_customer = await api.client_with_token(complaint.customer_token).get(
        f"/complaints/{complaint.complaint_id}"
    )
    assert own_page.status_code == 200 and secret not in own_page.text
    assert as_customer.status_code == 200 and secret not in as_customer.text
    assert "noted" not in kinds(as_customer.json())
    assert as_customer.json()["timeline_total"] == view["timeline_total"] - 1


async def test_bad_fields_are_named_and_nothing_is_sent(api: Api) -> None:
    complaint = await open_complaint(api)
    before = await heard(api, complaint.complaint_id)

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        empty = await send_form(agent, complaint, "reply", {"message": "   "})
        long_note = await send_form(agent, complaint, "note", {"text": "x" * 5001})
        bad_tier = await send_form(
            agent,
            complaint,
            "reclassify",
            {"sub_category": "defect", "tier": "apocalyptic", "reason": "Worse than it looked."},
        )
        no_reason = await send_form(
            agent, complaint, "reclassify", {"sub_category": "defect", "tier": "serious"}
        )

    assert empty.status_code == 422
    assert 'data-problem="field_required" data-field="message"' in empty.text
    assert "“Message to the customer” is required." in empty.text
    assert 'aria-invalid="true"' in empty.text
    assert long_note.status_code == 422
    assert "“Note for staff” can be at most 5,000" in long_note.text
    assert 'id="form-note" data-form="note" open' in long_note.text, "the refused form is open"
    assert ("x" * 5001) in long_note.text, "what was typed is kept"
    assert bad_tier.status_code == 422 and 'data-field="tier"' in bad_tier.text
    assert "“Severity”: choose one of the listed values." in bad_tier.text
    assert no_reason.status_code == 422 and "“Reason” is required." in no_reason.text
    assert await heard(api, complaint.complaint_id) == before


async def test_a_refused_action_shows_the_workflows_reason(api: Api) -> None:
    complaint = await open_complaint(api)

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        # Two tabs of the same page: asking in the first makes the second's form stale.
        action = f"{complaint.page}/request-info"
        stale = await page_form(agent, complaint.page, action)
        asked = await send_form(agent, complaint, "request-info", {"question": "Which colour?"})
        assert asked.status_code == 303
        again = await agent.post(action, data=stale | {"question": "And the size?"})
        chinese = await agent.post(
            f"{action}?lang=zh-CN",
            data=(await page_form(agent, complaint.page, f"{complaint.page}/note"))
            | {"form_key": stale["form_key"] + "x", "question": "尺寸？"},
        )

    assert again.status_code == 409, again.text
    assert 'data-problem="refused_action_not_allowed"' in again.text
    assert "cannot request information while waiting_on_customer" in again.text
    assert "And the size?" in again.text, "what was typed is kept"
    assert chinese.status_code == 409 and "该投诉当前不接受此操作" in chinese.text


async def test_reclassifying_moves_the_complaint_to_the_new_categorys_team(api: Api) -> None:
    complaint = await open_complaint(api)

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        page = await agent.get(complaint.page)
        # The agent may not reassign: the form is not offered, and the page says why.
        assert 'id="form-reassign"' not in page.text and 'data-hidden="reassign"' in page.text
        moved = await send_form(
            agent,
            complaint,
            "reclassify",
            {"sub_category": "late_delivery", "tier": "serious", "reason": "It never arrived."},
        )
        assert moved.status_code == 303, moved.text

    view = await api.wait_for_view(
        complaint.complaint_id, lambda view: view["routing"]["team"] == "logistics"
    )
    assert view["classification"]["sub_category"] == "late_delivery"
    assert view["classification"]["tier"] == "serious"
    assert view["classification"]["classifier"] == f"agent:{complaint.agent}"
    assert "reclassified" in kinds(view)


async def test_a_supervisor_reassigns_within_the_team_and_transfers_to_another(api: Api) -> None:
    complaint = await open_complaint(api)
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    team = view["routing"]["team"]
    colleague = next(f"agent-{team}-{n}" for n in (1, 2) if f"agent-{team}-{n}" != complaint.agent)
    other_team = "payments" if team != "payments" else "logistics"

    async with signed_in(api, "sup-lin", Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(complaint.page)
        assert 'id="form-reassign"' in page.text and f'value="{colleague}"' in page.text
        within = await send_form(supervisor, complaint, "reassign", {"agent_id": colleague})
        assert within.status_code == 303, within.text
        nobody = await send_form(supervisor, complaint, "reassign", {"team": team})
        stranger = await send_form(supervisor, complaint, "reassign", {"agent_id": "agent-ghost"})
        mismatch = await send_form(
            supervisor, complaint, "reassign", {"agent_id": colleague, "team": other_team}
        )
        moved = await send_form(supervisor, complaint, "reassign", {"team": other_team})
        assert moved.status_code == 303, moved.text

    assert nobody.status_code == 422 and 'data-problem="reassign_nobody"' in nobody.text
    assert stranger.status_code == 422 and 'data-field="agent_id"' in stranger.text
    assert mismatch.status_code == 422
    assert f"{colleague} is not in team {other_team}" in mismatch.text
    view = await api.wait_for_view(
        complaint.complaint_id, lambda view: view["routing"]["team"] == other_team
    )
    assert view["assignee"].startswith(f"agent-{other_team}-")
    assert view["routing"]["supervisor_id"] == f"supervisor-{other_team}"
    assigned = [event for event in view["timeline"] if event["kind"] == "assigned"]
    assert [event["actor"] for event in assigned] == ["sup-lin", "sup-lin"]
    assert assigned[0]["detail"] == colleague
    assert assigned[1]["detail"] == f"team {other_team}, agent {view['assignee']}"
