"""The approvals inbox: what a supervisor sees, and decisions that reach the workflow
signed by whoever clicked."""

import re

from domain.access import Role
from tests.api.support import Api
from tests.console.support import (
    SAFETY_DESCRIPTION,
    csrf_token,
    open_awaiting_approval,
    post_form,
    signed_in,
    timeline_kinds,
)

INBOX = "/console/approvals"


async def test_the_inbox_shows_what_a_decision_needs(api: Api) -> None:
    complaint_id = await open_awaiting_approval(api)

    async with signed_in(api, "sup-fay", Role.SUPERVISOR) as supervisor:
        inbox = await supervisor.get(INBOX)

    assert inbox.status_code == 200, inbox.text
    card = inbox.text.split(f'id="approval-{complaint_id}"')[1].split("</article>")[0]
    assert SAFETY_DESCRIPTION.split(":")[0] in card  # the summary
    assert "Critical" in card  # the severity tier
    assert 'class="customer-tier">Regular<' in card
    assert 'data-kind="refund"' in card and "CN¥99.00" in card  # the proposal and amount
    assert "Approval requested" in card  # a short history
    # The time left before the approval moves up to a manager (4 h for a supervisor).
    countdown = re.search(r'data-due="[^"]+"[^>]*>([^<]+)<', card)
    assert countdown is not None and re.fullmatch(r"3h 5\dm left", countdown.group(1))
    assert 'name="decision" value="approve"' in card and 'name="decision" value="reject"' in card


async def test_approve_and_reject_in_the_inbox_reach_each_workflow(api: Api) -> None:
    approved_id = await open_awaiting_approval(api)
    rejected_id = await open_awaiting_approval(api)

    async with signed_in(api, "sup-gus", Role.SUPERVISOR) as supervisor:
        approve = await post_form(
            supervisor, INBOX, f"{INBOX}/{approved_id}", {"decision": "approve"}
        )
        assert approve.status_code == 303, approve.text
        assert approve.headers["location"] == f"{INBOX}?decided={approved_id}&outcome=approved"
        after = await supervisor.get(approve.headers["location"])
        assert f"Approved {approved_id}" in after.text
        assert f'id="approval-{approved_id}"' not in after.text

        # A rejection without a reason never reaches the workflow.
        no_reason = await post_form(
            supervisor, INBOX, f"{INBOX}/{rejected_id}", {"decision": "reject", "reason": " "}
        )
        assert no_reason.status_code == 422
        assert "A rejection needs a reason." in no_reason.text

        reject = await post_form(
            supervisor,
            INBOX,
            f"{INBOX}/{rejected_id}",
            {"decision": "reject", "reason": "Ask for photos of the damage first."},
        )
        assert reject.status_code == 303, reject.text

    approved = await api.wait_for_view(approved_id, lambda v: v["status"] == "closed")
    decision = next(e for e in approved["timeline"] if e["kind"] == "approved")
    assert decision["actor"] == "sup-gus"
    assert [c["kind"] for c in approved["compensations"]] == ["refund"]

    rejected = await api.wait_for_view(rejected_id, lambda v: v["status"] == "open")
    decision = next(e for e in rejected["timeline"] if e["kind"] == "rejected")
    assert (decision["actor"], decision["detail"]) == (
        "sup-gus",
        "Ask for photos of the damage first.",
    )
    assert timeline_kinds(rejected).count("rejected") == 1


async def test_a_refusal_from_the_workflow_is_explained_on_the_page(api: Api) -> None:
    complaint_id = await open_awaiting_approval(api)

    async with signed_in(api, "sup-hal", Role.SUPERVISOR) as supervisor:
        inbox = await supervisor.get(INBOX)
        token = csrf_token(inbox.text)
        first = await supervisor.post(
            f"{INBOX}/{complaint_id}", data={"csrf_token": token, "decision": "approve"}
        )
        assert first.status_code == 303
        # The same form sent again (a second tab, a double click) finds nothing to decide.
        again = await supervisor.post(
            f"{INBOX}/{complaint_id}", data={"csrf_token": token, "decision": "approve"}
        )

    assert again.status_code == 409
    assert again.headers["content-type"].startswith("text/html")
    assert "someone may have decided it already" in again.text
    assert "no approval is pending" in again.text  # the workflow's own words
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert timeline_kinds(view).count("approved") == 1


async def test_decisions_need_the_forms_csrf_token(api: Api) -> None:
    complaint_id = await open_awaiting_approval(api)

    async with signed_in(api, "sup-ivy", Role.SUPERVISOR) as supervisor:
        for token in ("", "0" * 64):
            refused = await supervisor.post(
                f"{INBOX}/{complaint_id}", data={"csrf_token": token, "decision": "approve"}
            )
            assert refused.status_code == 403
            assert "This form has expired" in refused.text

    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert view["status"] == "awaiting_approval"
    assert "approved" not in timeline_kinds(view)


async def test_agents_see_their_queue_but_not_the_inbox(api: Api) -> None:
    complaint_id = await open_awaiting_approval(api)
    assignee = (await api.http.get(f"/complaints/{complaint_id}")).json()["assignee"]

    async with signed_in(api, assignee, Role.AGENT) as agent:
        landing = await agent.get("/console")
        assert landing.headers["location"] == "/console/queue"
        queue = await agent.get("/console/queue")
        assert queue.status_code == 200
        assert f"/console/complaints/{complaint_id}" in queue.text
        assert 'href="/console/approvals"' not in queue.text

        inbox = await agent.get(INBOX)
        assert inbox.status_code == 403
        assert inbox.headers["content-type"].startswith("text/html")
        assert "Only supervisors and admins may decide approvals." in inbox.text
        decide = await agent.post(
            f"{INBOX}/{complaint_id}",
            data={"csrf_token": csrf_token(queue.text), "decision": "approve"},
        )
        assert decide.status_code == 403

    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert view["status"] == "awaiting_approval"
