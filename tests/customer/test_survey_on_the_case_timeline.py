"""After a complaint closes, its follow-up survey's steps join the complaint's own
timeline: in `GET /complaints/{id}`, on the customer's page and on the console's page."""

import pytest

from domain import policy
from domain.access import Role
from domain.survey_timeline import SURVEY_SEQ_BASE
from tests.api.support import Api, eventually, intake
from tests.console.support import browser, signed_in
from tests.customer.support import SEND_AT_ONCE, invitation_token, path_of

SURVEY_KINDS = ["survey_sent", "survey_answered", "recovery_started"]


async def test_an_answered_survey_shows_on_the_complaints_timeline(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The complaint starts its own survey as it closes: sent at once, not days later.
    monkeypatch.setattr(policy, "SURVEY", SEND_AT_ONCE)
    body = intake()
    created = (await api.create(body)).json()
    complaint_id, page = created["complaint_id"], path_of(created["customer_url"])
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
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
    token = await eventually(lambda: invitation_token(api, body["customer"]["id"]))

    async with browser(api) as client:
        answered = await client.post(
            f"/surveys/{token}",
            json={"csat": 2, "resolved": False, "nps": 4, "comment": "Still broken."},
        )
    assert answered.status_code == 200, answered.text
    view = await api.wait_for_view(
        complaint_id,
        lambda view: (
            [e["kind"] for e in view["timeline"] if e["seq"] > SURVEY_SEQ_BASE] == SURVEY_KINDS
        ),
    )
    async with browser(api) as client:
        customer_page = await client.get(page)
    async with signed_in(api, "sup-wen", Role.SUPERVISOR) as supervisor:
        console_page = await supervisor.get(f"/console/complaints/{complaint_id}")

    own = [event for event in view["timeline"] if event["seq"] < SURVEY_SEQ_BASE]
    survey = view["timeline"][len(own) :]
    assert own[-1]["kind"] == "closed", "the survey's steps follow the complaint's own"
    assert view["timeline_total"] == len(view["timeline"])
    assert survey[1]["detail"] == "csat 2, resolved no, nps 4"
    assert survey[1]["actor"] == f"customer:{body['customer']['id']}"

    assert customer_page.status_code == 200, customer_page.text
    for kind in SURVEY_KINDS:
        assert f'data-kind="{kind}"' in customer_page.text
    assert "You rated our service" in customer_page.text
    assert "A customer care supervisor will contact you" in customer_page.text
    assert console_page.status_code == 200, console_page.text
    assert "Survey answered" in console_page.text and "csat 2, resolved no" in console_page.text
    assert "Service recovery started" in console_page.text
