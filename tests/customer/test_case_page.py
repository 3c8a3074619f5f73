"""The customer's own page: the link from the create response opens the case and its
timeline, a reply or a consent given there reaches the workflow, free text stays text,
and a link opens its own case and nothing else."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from temporalio.service import RPCError

from core.links import CaseKind, LinkPurpose
from domain.surveys import CaseKind as SurveyCaseKind
from domain.surveys import survey_workflow_id
from tests.api.returns_support import return_request, wait_for_return, wait_for_status
from tests.api.support import Api, eventually, intake
from tests.console.support import browser
from tests.customer.support import link_token, page_and_nonce, path_of, send_survey

SCRIPT = '<script>alert("pwned")</script>'
EVIDENCE = "https://img.example.com/blender.jpg"


async def _open_complaint(api: Api, **overrides: Any) -> tuple[str, str]:
    """Returns a new complaint's id and its page's path, once it is being handled."""
    created = await api.create(intake(**overrides))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["customer_url"] == f"http://127.0.0.1:8000/my/{body['customer_token']}"
    await api.wait_for_view(body["complaint_id"], lambda view: view["status"] == "open")
    return body["complaint_id"], path_of(body["customer_url"])


async def _post_form(
    client: httpx.AsyncClient, page: str, action: str, fields: dict[str, str]
) -> httpx.Response:
    _, nonce = await page_and_nonce(client, page)
    return await client.post(action, data={"form_token": nonce, **fields})


def _kinds(view: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in view["timeline"]]


@pytest.mark.both_stores
async def test_the_page_shows_the_complaint_and_takes_a_reply(api: Api) -> None:
    complaint_id, page = await _open_complaint(api)

    async with browser(api) as client:
        shown = await client.get(page)
        replied = await _post_form(
            client,
            page,
            f"{page}/messages",
            {"message": f"Photo attached. {SCRIPT}", "evidence_urls": f"\n{EVIDENCE}\n\n"},
        )
        after = await client.get(replied.headers["location"])

    assert shown.status_code == 200, shown.text
    assert f"Your complaint {complaint_id}" in shown.text
    assert 'data-status="open"' in shown.text and "Being handled" in shown.text
    assert 'data-kind="received"' in shown.text and "We received your complaint" in shown.text
    # The business's own steps stay in the console.
    assert 'data-kind="classified"' not in shown.text and "agent-quality-1" not in shown.text
    assert replied.status_code == 303, replied.text
    assert replied.headers["location"] == f"{page}?sent=reply"

    view = await api.wait_for_view(complaint_id, lambda v: "customer_replied" in _kinds(v))
    said = next(e for e in view["timeline"] if e["kind"] == "customer_replied")
    assert said["detail"] == f"Photo attached. {SCRIPT}\n{EVIDENCE}"
    assert 'data-notice="sent_reply"' in after.text
    # What the customer wrote comes back as text, never as markup.
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in after.text
    assert "<script>alert" not in after.text


async def test_a_question_from_the_agent_is_answered_on_the_page(api: Api) -> None:
    complaint_id, page = await _open_complaint(api, description=f"Broken lid. {SCRIPT}")
    asked = await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json={"action": {"type": "request_info", "question": "Which <b>colour</b> is it?"}},
    )
    assert asked.json()["status"] == "waiting_on_customer", asked.text

    async with browser(api, accept_language="zh-CN,zh;q=0.9") as client:
        english = await client.get(page)
        chinese = await client.get(f"{page}?lang=zh-CN")
        replied = await _post_form(
            client, f"{page}?lang=zh-CN", f"{page}/messages?lang=zh-CN", {"message": "红色"}
        )

    assert 'data-asked="true"' in english.text and "Which &lt;b&gt;colour&lt;/b&gt;" in english.text
    assert "Waiting for your reply" in english.text
    assert "&lt;script&gt;" in english.text and "<script>alert" not in english.text
    assert '<html lang="zh-CN">' in chinese.text and "等待您的回复" in chinese.text
    assert "Waiting for your reply" not in chinese.text and "Timeline" not in chinese.text
    assert replied.headers["location"] == f"{page}?sent=reply&lang=zh-CN"
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")


async def test_refused_replies_are_explained_and_record_nothing(api: Api) -> None:
    complaint_id, page = await _open_complaint(api)

    async with browser(api) as client:
        _, nonce = await page_and_nonce(client, page)
        not_a_link = await _post_form(
            client,
            page,
            f"{page}/messages",
            {"message": "see this", "evidence_urls": "javascript:alert(1)"},
        )
        empty = await _post_form(client, page, f"{page}/messages", {"message": "  "})
        no_nonce = await client.post(f"{page}/messages", data={"message": "hello"})
        proposal = {
            "compensations": [{"kind": "coupon", "amount": "20.00"}],
            "message": "Sorry.",
            "root_cause": "supplier_defect",
        }
        await api.http.post(
            f"/complaints/{complaint_id}/actions",
            json={"action": {"type": "propose_resolution", "proposal": proposal}},
        )
        await api.wait_for_view(complaint_id, lambda view: view["status"] == "closed")
        # Sent from the page as it was before the complaint closed.
        closed = await client.post(
            f"{page}/messages", data={"form_token": nonce, "message": "Hello?"}
        )
        consent = await client.post(
            f"{page}/consent", data={"form_token": nonce, "decision": "accept"}
        )

    assert not_a_link.status_code == 422 and 'data-problem="invalid_reply"' in not_a_link.text
    assert "javascript:alert(1)</textarea>" in not_a_link.text, "kept for correcting"
    assert empty.status_code == 422
    assert no_nonce.status_code == 403 and 'data-problem="form_expired"' in no_nonce.text
    assert closed.status_code == 409, closed.text
    assert 'data-problem="complaint_closed"' in closed.text and "This complaint is closed" in (
        closed.text
    )
    # Complaints ask for no consent: that form does not exist for them.
    assert consent.status_code == 404
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert "customer_replied" not in _kinds(view)


async def test_a_return_plan_is_accepted_on_the_page(api: Api) -> None:
    body = return_request(reason="wrong_item", evidence_urls=["https://img.example.com/wrong.jpg"])
    created = await api.http.post("/returns", json=body)
    assert created.status_code == 201, created.text
    return_id, page = created.json()["return_id"], path_of(created.json()["customer_url"])
    await wait_for_status(api, return_id, "awaiting_consent")

    async with browser(api) as client:
        shown, nonce = await page_and_nonce(client, page)
        reply = await client.post(f"{page}/messages", data={"form_token": nonce, "message": "hi"})
        accepted = await _post_form(
            client, page, f"{page}/consent", {"decision": "accept", "note": "yes <i>please</i>"}
        )
        view = await wait_for_status(api, return_id, "awaiting_shipment")
        await wait_for_return(api, return_id, lambda v: v["return_parcel"] is not None)
        after = await client.get(page)
        # Sent again from the page as it was while the plan waited.
        twice = await client.post(
            f"{page}/consent", data={"form_token": nonce, "decision": "decline"}
        )

    assert shown.status_code == 200, shown.text
    assert f"Your return {return_id}" in shown.text and "Our proposal" in shown.text
    assert "we sent the wrong item" in shown.text and "coupon worth CN¥10.00" in shown.text
    assert 'value="accept"' in shown.text and 'value="decline"' in shown.text
    assert reply.status_code == 404, "returns take no messages"
    assert accepted.status_code == 303, accepted.text
    assert view["consent"] == {"accepted": True, "note": "yes <i>please</i>"}
    assert view["outcome"] == "exchange"
    assert 'data-consent="accepted"' in after.text and "data-notice" not in after.text
    parcel = (await api.http.get(f"/returns/{return_id}")).json()["return_parcel"]
    assert f'data-parcel="{parcel["tracking_number"]}"' in after.text
    assert "A courier will collect" in after.text or "Print the return label" in after.text
    assert "Please send it by" in after.text
    # The plan was answered: a second answer is explained, and changes nothing.
    assert twice.status_code == 409 and 'data-problem="action_not_allowed"' in twice.text
    final = (await api.http.get(f"/returns/{return_id}")).json()
    assert final["consent"]["accepted"] is True


async def test_a_link_opens_its_own_case_and_nothing_else(api: Api) -> None:
    mine_id, mine = await _open_complaint(api, description="My blender is broken.")
    theirs_id, _ = await _open_complaint(api, description="Someone else's secret kettle.")
    token = mine.rsplit("/", 1)[1]
    past = datetime.now(UTC) - timedelta(minutes=1)
    refused = {
        # Signed for their complaint, but not by us.
        link_token(api, CaseKind.COMPLAINT, theirs_id, LinkPurpose.CASE, secret="x" * 40): (
            404,
            "link_invalid",
        ),
        link_token(api, CaseKind.COMPLAINT, mine_id, LinkPurpose.SURVEY): (404, "link_invalid"),
        link_token(api, CaseKind.COMPLAINT, mine_id, LinkPurpose.CASE, expires_at=past): (
            410,
            "link_expired",
        ),
        link_token(api, CaseKind.COMPLAINT, "CAAAAAAAAAAAA", LinkPurpose.CASE): (
            404,
            "complaint_not_found",
        ),
    }

    async with browser(api) as client:
        own = await client.get(mine)
        # The page takes no case id: whatever is added, the token's case is shown.
        steered = await client.get(f"{mine}?complaint_id={theirs_id}")
        for bad, (status, error) in refused.items():
            shown = await client.get(f"/my/{bad}")
            assert shown.status_code == status, (error, shown.text)
            assert f'data-problem="{error}"' in shown.text
    async with api.client_with_token(token) as bearer:
        other = await bearer.get(f"/complaints/{theirs_id}")

    assert mine_id in own.text and "My blender is broken." in own.text
    assert theirs_id not in steered.text and "secret kettle" not in steered.text
    assert other.status_code == 403


async def test_the_page_links_to_the_survey_while_it_is_open(api: Api) -> None:
    complaint_id, page = await _open_complaint(api)
    proposal = {
        "compensations": [{"kind": "coupon", "amount": "20.00"}],
        "message": "Sorry.",
        "root_cause": "supplier_defect",
    }
    await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json={"action": {"type": "propose_resolution", "proposal": proposal}},
    )
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "closed")

    async with browser(api) as client:
        waiting = await client.get(page)
        # The complaint's own survey waits three days before it goes out: send one now.
        survey_id = survey_workflow_id(SurveyCaseKind.COMPLAINT, complaint_id)
        await _terminate_when_started(api, survey_id)
        await send_survey(api, case_id=complaint_id)
        open_now = await client.get(page)

    assert "survey-invite" not in waiting.text
    # What was done for the customer, worded as the outcome e-mail words it.
    assert "A coupon worth CN¥20.00" in waiting.text
    assert 'class="card survey-invite"' in open_now.text
    survey_path = open_now.text.split('class="button wide" href="', 1)[1].split('"', 1)[0]
    async with browser(api) as client:
        survey = await client.get(survey_path)
    assert survey.status_code == 200 and "How did we do?" in survey.text


async def _terminate_when_started(api: Api, workflow_id: str) -> None:
    handle = api.temporal.get_workflow_handle(workflow_id)

    async def started() -> bool | None:
        try:
            await handle.describe()
        except RPCError:
            return None
        return True

    await eventually(started)
    await handle.terminate("the test sends the survey at once")
