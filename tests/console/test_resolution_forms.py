"""The complaint page's resolution forms over the real workflow: the policy's answer before
anything is sent (within the agent's authority, or whose approval it needs), a proposal
above the agent's authority waiting for a supervisor, a final one refused without its
root cause, rows refused by number, and closing as resolved with a root cause."""

from decimal import Decimal

import pytest

from domain.access import Role
from tests.api.support import Api
from tests.console.support import signed_in
from tests.console.workspace_support import heard, kinds, open_complaint, page_form, send_form

# A regular customer's agent may give up to 200.00 without approval (domain/policy.py).
WITHIN = {"kind": ["coupon", ""], "amount": ["20.00", ""]}
ABOVE = {"kind": ["refund", "coupon", ""], "amount": ["60", "150.50", ""]}


async def test_the_policy_answers_before_anything_is_sent(api: Api) -> None:
    complaint = await open_complaint(api)
    before = await heard(api, complaint.complaint_id)
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    supervisor = f"supervisor-{view['routing']['team']}"

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        page = await agent.get(complaint.page)
        within = await send_form(agent, complaint, "resolution", WITHIN | {"intent": "check"})
        above = await send_form(agent, complaint, "resolution", ABOVE | {"intent": "check"})
        too_much = await send_form(
            agent,
            complaint,
            "resolution",
            {"kind": ["refund"], "amount": ["150"], "intent": "check"},
        )
        # What the page's script asks as the rows change: the answer alone.
        fragment = await agent.get(
            f"{complaint.page}/resolution-check",
            params=[("kind", "refund"), ("amount", "250"), ("kind", ""), ("amount", "")],
        )
        bad_row = await agent.get(
            f"{complaint.page}/resolution-check", params={"kind": "refund", "amount": "ten"}
        )

    assert 'class="policy-answer"' in page.text and "check it: the policy says" in page.text
    assert within.status_code == 200 and 'data-needs-approval="false"' in within.text
    assert "Within your authority: CN¥20.00" in within.text
    assert "up to CN¥200.00 without approval" in within.text
    assert above.status_code == 200 and 'data-needs-approval="true"' in above.text
    assert f"Needs approval by {supervisor} (Supervisor): CN¥210.50 is above" in above.text
    # The rows come back as typed, with one more empty row to add another without a script.
    assert 'id="amount-1" name="amount"' in above.text and 'value="150.50"' in above.text
    assert 'id="amount-2" name="amount"' in above.text
    assert 'id="form-propose" data-form="propose" open' in above.text
    # The workflow's own refusal, before it is sent: only 99.00 was paid.
    assert 'data-refused="true"' in too_much.text and "only 99.00 CNY was paid" in too_much.text
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'data-needs-approval="true"' in fragment.text
    assert 'data-problem="row_amount_invalid"' in bad_row.text and "Row 1:" in bad_row.text
    assert await heard(api, complaint.complaint_id) == before, "a check sends nothing"


@pytest.mark.both_stores
async def test_a_proposal_above_the_agents_authority_waits_for_a_supervisor(api: Api) -> None:
    complaint = await open_complaint(api)
    proposal = ABOVE | {
        "message": "A partial refund and a coupon, with our apologies.",
        "root_cause": "supplier_defect",
        "final": "true",
        "intent": "send",
    }

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        # A second tab still shows the close form.
        stale = await page_form(agent, complaint.page, f"{complaint.page}/close")
        sent = await send_form(agent, complaint, "resolution", proposal)
        assert sent.status_code == 303, sent.text
        page = await agent.get(sent.headers["location"])
        second = await agent.post(
            f"{complaint.page}/close", data=stale | {"message": "x", "root_cause": "carrier"}
        )
    async with signed_in(api, "sup-wu", Role.SUPERVISOR) as supervisor:
        inbox = await supervisor.get("/console/approvals")

    assert 'data-done="propose"' in page.text and "Sent for approval" in page.text
    assert 'data-status="awaiting_approval"' in page.text
    # No second proposal while one waits, and the page says why.
    assert 'id="form-propose"' not in page.text and 'id="form-close"' not in page.text
    assert 'data-hidden="propose"' in page.text and "no second proposal" in page.text
    assert second.status_code == 409 and "cannot propose a resolution while awaiting" in (
        second.text
    )
    assert f'data-complaint="{complaint.complaint_id}"' in inbox.text
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    steps = view["approval"]["proposal"]["compensations"]
    assert [(step["kind"], Decimal(step["amount"])) for step in steps] == [
        ("refund", Decimal("60")),
        ("coupon", Decimal("150.50")),
    ]
    assert view["approval"]["proposal"]["root_cause"] == "supplier_defect"
    assert view["approval"]["proposed_by"] == complaint.agent


async def test_a_final_proposal_needs_its_root_cause_and_rows_are_named(api: Api) -> None:
    complaint = await open_complaint(api)
    before = await heard(api, complaint.complaint_id)

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        no_cause = await send_form(
            agent,
            complaint,
            "resolution",
            WITHIN | {"message": "Here is a coupon.", "final": "true", "intent": "send"},
        )
        bad_amount = await send_form(
            agent,
            complaint,
            "resolution",
            {
                "kind": ["coupon", "refund"],
                "amount": ["5", "-3"],
                "message": "x",
                "intent": "send",
                "root_cause": "carrier",
                "final": "true",
            },
        )
        no_kind = await send_form(
            agent,
            complaint,
            "resolution",
            {"kind": [""], "amount": ["5"], "message": "x", "intent": "send"},
        )
        no_message = await send_form(
            agent,
            complaint,
            "resolution",
            WITHIN | {"root_cause": "carrier", "final": "true", "intent": "send"},
        )
        close_no_cause = await send_form(agent, complaint, "close", {"message": "All good."})

    assert no_cause.status_code == 422
    assert 'data-problem="root_cause_required" data-field="root_cause"' in no_cause.text
    assert "“Root cause” is required" in no_cause.text
    assert "Here is a coupon." in no_cause.text, "what was typed is kept"
    assert bad_amount.status_code == 422 and 'data-field="amount-1"' in bad_amount.text
    assert "Row 2: the amount must be a number above 0" in bad_amount.text
    assert no_kind.status_code == 422 and 'data-problem="row_kind_missing"' in no_kind.text
    assert no_message.status_code == 422 and 'data-field="message"' in no_message.text
    assert close_no_cause.status_code == 422 and 'data-field="root_cause"' in close_no_cause.text
    assert await heard(api, complaint.complaint_id) == before


async def test_a_partial_refund_keeps_the_complaint_open_without_a_root_cause(api: Api) -> None:
    complaint = await open_complaint(api)

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        sent = await send_form(
            agent,
            complaint,
            "resolution",
            {"kind": ["refund"], "amount": ["10"], "message": "A first refund.", "intent": "send"},
        )
    assert sent.status_code == 303, sent.text
    view = await api.wait_for_view(
        complaint.complaint_id,
        lambda view: view["status"] == "open" and len(view["compensations"]) == 1,
    )
    assert Decimal(view["compensations"][0]["amount"]) == 10 and view["root_cause"] is None


@pytest.mark.both_stores
async def test_closing_as_resolved_records_the_root_cause(api: Api) -> None:
    complaint = await open_complaint(api)

    async with signed_in(api, complaint.agent, Role.AGENT, locale="zh-CN") as agent:
        page = await agent.get(complaint.page)
        closed = await send_form(
            agent,
            complaint,
            "close",
            {"message": "配件已补发，给您添麻烦了。", "root_cause": "packing"},
        )
        assert closed.status_code == 303, closed.text
        await api.wait_for_view(complaint.complaint_id, lambda view: view["status"] == "closed")
        after = await agent.get(complaint.page)

    assert "以已解决结案" in page.text and "按政策检查" in page.text
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    assert view["close_reason"] == "resolved" and view["root_cause"] == "packing"
    assert view["compensations"] == [] and "resolved" in kinds(view)
    assert 'data-why="workspace_closed"' in after.text and "此投诉已结案" in after.text
    assert 'class="workspace-form' not in after.text
