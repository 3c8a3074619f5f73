"""The forms of a return's page, on real return workflows (dev server, real workers, the
courier's signed webhook): a supervisor decides a review, the warehouse reports a partial
inspection and the refund runs, a supervisor retries a settlement that waited for a
person. Each form sends the workflow the update its API route sends: refusals, the
console's and the workflow's, are named on the page in words and change nothing; the
same form sent twice is taken once; a role that may not send it gets the 403 page and
the workflow hears nothing.
"""

from decimal import Decimal

import pytest

from domain.access import Role
from domain.returns import ReturnStatus, return_workflow_id
from tests.api.returns_support import return_request, wait_for_return, wait_for_status
from tests.api.support import Api
from tests.console.return_support import (
    accepted_updates,
    capture_only,
    deliver_to_warehouse,
    form_of,
    kinds,
    needing_a_person,
    open_for_review,
    two_pairs_request,
)
from tests.console.support import csrf_token, signed_in
from workflows.returns import ReturnWorkflow

SUPERVISOR = "sup-return-forms"
WAREHOUSE = "wh-return-forms"
RETURNS = "/console/returns"
TOO_LONG = "x" * 1001


async def _status(api: Api, return_id: str) -> ReturnStatus:
    handle = api.temporal.get_workflow_handle(return_workflow_id(return_id))
    return (await handle.query(ReturnWorkflow.view)).status


@pytest.mark.both_stores
async def test_a_supervisor_decides_a_review_once_and_refusals_are_named(api: Api) -> None:
    return_id = await open_for_review(api)
    page_url = f"{RETURNS}/{return_id}"
    action = f"{page_url}/review"

    async with signed_in(api, WAREHOUSE, Role.WAREHOUSE) as warehouse:
        seen = await warehouse.get(page_url)
        assert seen.status_code == 200 and 'action="' + action not in seen.text
        not_theirs = await warehouse.post(
            action,
            data={"csrf_token": csrf_token(seen.text), "decision": "approve", "form_key": "k" * 24},
        )
    assert not_theirs.status_code == 403, not_theirs.text
    assert "Only supervisors and admins may decide a return" in not_theirs.text
    assert await accepted_updates(api, return_id) == 0, "the workflow heard nothing"

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(page_url)
        assert page.status_code == 200, page.text
        assert 'data-reason-code="evidence_missing"' in page.text
        form = form_of(page.text, "review")
        other_tab = form_of((await supervisor.get(page_url)).text, "review")

        no_choice = await supervisor.post(action, data=form | {"reason": "kept"})
        no_reason = await supervisor.post(action, data=form | {"decision": "deny", "reason": " "})
        too_long = await supervisor.post(
            action, data=form | {"decision": "deny", "reason": TOO_LONG}
        )
        assert (no_choice.status_code, no_reason.status_code, too_long.status_code) == (
            422,
            422,
            422,
        )
        assert 'data-problem="review_decision_required"' in no_choice.text
        assert ">kept</textarea>" in no_choice.text, "what was typed stays"
        assert "A denial needs a reason: write why in “Reason”" in no_reason.text
        assert "a denial needs a reason" in no_reason.text, "and the workflow's own words"
        assert 'id="review-reason" name="reason"' in no_reason.text
        assert 'aria-invalid="true"' in no_reason.text
        assert "“Reason” can be at most 1,000 characters long." in too_long.text
        assert await accepted_updates(api, return_id) == 0
        assert await _status(api, return_id) is ReturnStatus.UNDER_REVIEW

        approved = await supervisor.post(
            action, data=form | {"decision": "approve", "reason": "ok"}
        )
        again = await supervisor.post(action, data=form | {"decision": "approve", "reason": "ok"})
        assert approved.status_code == again.status_code == 303, approved.text
        assert approved.headers["location"] == f"{page_url}?done=approved"
        done = await supervisor.get(approved.headers["location"])
        assert "Approved: the customer gets a label or a pickup next." in done.text
        assert 'action="' + action not in done.text, "nothing left to review"

        stale = await supervisor.post(action, data=other_tab | {"decision": "deny", "reason": "no"})
        assert stale.status_code == 409, stale.text
        assert 'data-problem="refused_review_not_pending"' in stale.text
        assert "not waiting for a review" in stale.text

    view = await wait_for_return(api, return_id, lambda v: v["return_parcel"] is not None)
    assert kinds(view).count("reviewed") == 1
    reviewed = next(event for event in view["timeline"] if event["kind"] == "reviewed")
    assert (reviewed["actor"], reviewed["detail"]) == (SUPERVISOR, "approved: ok")
    assert await accepted_updates(api, return_id) == 1


@pytest.mark.both_stores
async def test_the_warehouse_inspects_a_partial_acceptance_and_the_refund_runs(api: Api) -> None:
    view = await deliver_to_warehouse(api, two_pairs_request())
    return_id = view["return_id"]
    page_url = f"{RETURNS}/{return_id}"
    action = f"{page_url}/inspection"
    partial = {"verdict": "partial", "sku": "SHOE-42", "root_cause": "packing"}

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(page_url)
        assert 'action="' + action not in page.text, "supervisors do not inspect"
        not_theirs = await supervisor.post(
            action, data={"csrf_token": csrf_token(page.text), **partial, "accepted": "1"}
        )
    assert not_theirs.status_code == 403, not_theirs.text
    assert "Only the warehouse (and admins) may report an inspection." in not_theirs.text
    assert await accepted_updates(api, return_id) == 0

    async with signed_in(api, WAREHOUSE, Role.WAREHOUSE) as warehouse:
        queue = await warehouse.get(RETURNS)
        assert f'data-return="{return_id}"' in queue.text
        page = await warehouse.get(page_url)
        assert 'data-scan="delivered"' in page.text and "test courier: delivered" in page.text
        form = form_of(page.text, "inspection")
        assert 'name="accepted"' in page.text and 'max="2"' in page.text

        refused = {
            "no verdict": await warehouse.post(
                action, data=form | {"sku": "SHOE-42", "accepted": "1"}
            ),
            "not a number": await warehouse.post(action, data=form | partial | {"accepted": "one"}),
            "negative": await warehouse.post(action, data=form | partial | {"accepted": "-1"}),
            "above returned": await warehouse.post(action, data=form | partial | {"accepted": "5"}),
            "bad cause": await warehouse.post(
                action, data=form | partial | {"accepted": "1", "root_cause": "gremlins"}
            ),
            "long note": await warehouse.post(
                action, data=form | partial | {"accepted": "1", "note": TOO_LONG}
            ),
        }  # fmt: skip
        problems = {name: answer.status_code for name, answer in refused.items()}
        assert set(problems.values()) == {422}, problems
        assert "Choose a verdict for the parcel." in refused["no verdict"].text
        for name in ("not a number", "negative"):
            assert "“Accepted of SHOE-42” must be a whole number" in refused[name].text, name
            assert 'aria-invalid="true"' in refused[name].text
        above = refused["above returned"].text
        assert 'data-problem="inspection_quantity_above_returned"' in above
        assert "SHOE-42: 5 accepted but 2 returned" in above, "the workflow's words"
        assert 'value="5"' in above, "what was typed stays"
        assert "Choose a root cause from the list" in refused["bad cause"].text
        assert "“Note” can be at most 1,000 characters long." in refused["long note"].text
        assert await accepted_updates(api, return_id) == 0
        assert await _status(api, return_id) is ReturnStatus.AWAITING_INSPECTION

        sent = form | partial | {"accepted": "1", "note": "One pair worn outdoors."}
        inspected = await warehouse.post(action, data=sent)
        again = await warehouse.post(action, data=sent)
        assert inspected.status_code == again.status_code == 303, inspected.text
        assert inspected.headers["location"] == f"{page_url}?done=inspected"
        done = await warehouse.get(inspected.headers["location"])
        assert "Inspection recorded: the settlement runs now" in done.text
        assert 'data-accepted="SHOE-42:1"' in done.text

    final = await wait_for_status(api, return_id, "completed")
    assert Decimal(final["refunded_total"]) == Decimal("80.00"), "one pair of two refunded"
    assert final["inspection"]["lines"] == [{"sku": "SHOE-42", "accepted_quantity": 1}]
    assert final["inspection"]["inspector"] == WAREHOUSE
    assert final["root_cause"] == "packing"
    assert kinds(final).count("inspected") == 1 and kinds(final).count("refunded") == 1
    assert await accepted_updates(api, return_id) == 1


async def test_a_supervisor_retries_a_settlement_that_waits_for_a_person(api: Api) -> None:
    view = await deliver_to_warehouse(api, return_request())
    return_id = view["return_id"]
    page_url = f"{RETURNS}/{return_id}"
    action = f"{page_url}/settlement-retry"
    capture_only(api, view, "5.00")  # the 80.00 refund is refused for good

    async with signed_in(api, WAREHOUSE, Role.WAREHOUSE) as warehouse:
        page = await warehouse.get(page_url)
        inspected = await warehouse.post(
            f"{page_url}/inspection",
            data=form_of(page.text, "inspection") | {"verdict": "accepted"},
        )
        assert inspected.status_code == 303, inspected.text
        await needing_a_person(api, return_id)
        shown = await warehouse.get(page_url)
        assert 'action="' + action not in shown.text
        not_theirs = await warehouse.post(
            action, data={"csrf_token": csrf_token(shown.text), "form_key": "k" * 24}
        )
    assert not_theirs.status_code == 403, not_theirs.text
    before = await accepted_updates(api, return_id)

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        queue = await supervisor.get(RETURNS, params={"queue": "needs_person"})
        assert f'data-return="{return_id}"' in queue.text
        page = await supervisor.get(page_url)
        assert "The settlement failed for good and was undone" in page.text
        form = form_of(page.text, "settlement-retry")
        other_tab = form_of((await supervisor.get(page_url)).text, "settlement-retry")

        too_long = await supervisor.post(action, data=form | {"reason": TOO_LONG})
        assert too_long.status_code == 422
        assert "“What was put right” can be at most 1,000 characters long." in too_long.text
        assert await accepted_updates(api, return_id) == before

        capture_only(api, view, "80.00")  # the card is fixed
        retried = await supervisor.post(action, data=form | {"reason": "Capture fixed."})
        again = await supervisor.post(action, data=form | {"reason": "Capture fixed."})
        assert retried.status_code == again.status_code == 303, retried.text
        assert retried.headers["location"] == f"{page_url}?done=retried"

        final = await wait_for_status(api, return_id, "completed")
        # Once the workflow has finished, a second tab's form finds the return closed.
        await api.temporal.get_workflow_handle(return_workflow_id(return_id)).result()
        stale = await supervisor.post(action, data=other_tab | {"reason": "Again."})
        assert stale.status_code == 409, stale.text
        assert 'data-problem="refused_return_closed"' in stale.text

    assert Decimal(final["refunded_total"]) == Decimal("80.00")
    retries = [e for e in final["timeline"] if e["kind"] == "reviewed" and e["actor"] == SUPERVISOR]
    assert [event["detail"] for event in retries] == ["Capture fixed."]
    assert await accepted_updates(api, return_id) == before + 1
