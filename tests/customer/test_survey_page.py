"""The survey page: shown in the customer's language, answered once through the form (or
as JSON), a low score starting service recovery; every bad link or second answer refused
with a page that records nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from api.customer.credentials import form_nonce
from core.links import CaseKind as LinkCaseKind
from core.links import LinkPurpose
from domain.surveys import CaseKind, survey_workflow_id
from store.tables.surveys import RecoveryTaskRecord, SurveyRecord
from tests.api.support import TEST_SECRET_KEY, Api, eventually
from tests.console.support import browser
from tests.customer.support import SEND_AT_ONCE, link_token, page_and_nonce, send_survey
from workflows.surveys import SurveyWorkflow

HIGH = {"csat": "5", "resolved": "yes", "nps": "9", "comment": "Quick and kind, thank you."}
LOW = {"csat": "1", "resolved": "no", "comment": "Still broken."}
# Words of the English survey page that a Chinese one must not show.
ENGLISH_UI = ["How did we do", "Was your problem resolved", "Send my answers", "Open until"]


async def _answer(client: httpx.AsyncClient, token: str, fields: dict[str, str]) -> httpx.Response:
    """Opens the survey and sends `fields` through its form."""
    _, nonce = await page_and_nonce(client, f"/surveys/{token}")
    return await client.post(f"/surveys/{token}", data={"form_token": nonce, **fields})


async def _answer_without_page(
    client: httpx.AsyncClient, token: str, fields: dict[str, str]
) -> httpx.Response:
    """Posts with a nonce minted for the link, as a page opened earlier would carry."""
    nonce = form_nonce(TEST_SECRET_KEY, token)
    return await client.post(f"/surveys/{token}", data={"form_token": nonce, **fields})


async def _stored(api: Api, survey_id: str, ready: Any) -> SurveyRecord:
    async def row() -> SurveyRecord | None:
        with api.sessions() as session:
            found = session.get(SurveyRecord, survey_id)
            return found if found is not None and ready(found) else None

    return await eventually(row)


async def test_the_survey_speaks_the_customers_language_and_switches(api: Api) -> None:
    _, chinese_token = await send_survey(api, locale="zh-CN")
    _, english_token = await send_survey(api, locale="en")

    async with browser(api) as client:
        chinese = await client.get(f"/surveys/{chinese_token}")
        english = await client.get(f"/surveys/{english_token}")
        switched = await client.get(f"/surveys/{chinese_token}?lang=en")

    assert chinese.status_code == 200, chinese.text
    assert '<html lang="zh-CN">' in chinese.text and "请评价我们的服务" in chinese.text
    assert "您的问题解决了吗" in chinese.text and "Asia/Shanghai" in chinese.text
    for words in ENGLISH_UI:
        assert words not in chinese.text
    assert english.status_code == 200
    assert '<html lang="en">' in english.text and "How did we do?" in english.text
    # Switched, the form posts back in English too.
    assert "How did we do?" in switched.text and "?lang=en" in switched.text
    for page in (chinese, english):
        assert page.headers["cache-control"] == "no-store"
        assert "script-src" not in page.headers["content-security-policy"]
        assert "set-cookie" not in page.headers
    # Big choices for a thumb: every score is a radio in a button-sized label.
    assert english.text.count('name="csat"') == 5 and english.text.count('name="nps"') == 11


async def test_a_high_score_is_recorded_once(api: Api) -> None:
    handle, token = await send_survey(api)

    async with browser(api) as client:
        answered = await _answer(client, token, HIGH)
        again = await _answer_without_page(client, token, HIGH | {"csat": "1"})
        reopened = await client.get(f"/surveys/{token}")

    assert answered.status_code == 200, answered.text
    assert 'data-recorded="true"' in answered.text and "data-recovery" not in answered.text
    view = await handle.query(SurveyWorkflow.view)
    assert view.answer is not None
    assert (view.answer.csat, view.answer.resolved, view.answer.nps) == (5, True, 9)
    assert view.answer.comment == HIGH["comment"] and not view.low_score
    row = await _stored(api, view.survey_id, lambda r: r.csat is not None)
    assert (row.csat, row.resolved, row.nps, row.low_score) == (5, True, 9, False)

    # A second answer is refused and changes nothing.
    assert again.status_code == 409, again.text
    assert 'data-problem="survey_already_answered"' in again.text
    assert reopened.status_code == 409
    after = await handle.query(SurveyWorkflow.view)
    assert after.answer == view.answer
    assert [e.kind for e in after.timeline].count("answered") == 1


async def test_a_low_score_starts_service_recovery(api: Api) -> None:
    handle, token = await send_survey(api)

    async with browser(api) as client:
        answered = await _answer(client, token, LOW)

    assert answered.status_code == 200, answered.text
    assert 'data-recovery="true"' in answered.text
    survey_id = (await handle.query(SurveyWorkflow.view)).survey_id

    async def task() -> RecoveryTaskRecord | None:
        with api.sessions() as session:
            return session.get(RecoveryTaskRecord, survey_id)

    opened = await eventually(task)
    assert opened.status == "open" and opened.assignee == "sup-quality"
    assert "CSAT 1/5, not resolved" in opened.reason
    row = await _stored(api, survey_id, lambda r: r.low_score)
    assert (row.csat, row.resolved, row.nps) == (1, False, None)


async def test_an_incomplete_form_is_shown_again_and_records_nothing(api: Api) -> None:
    handle, token = await send_survey(api)

    async with browser(api) as client:
        missing = await _answer(client, token, {"csat": "4", "comment": "kept <b>here</b>"})
        too_long = await _answer(client, token, HIGH | {"comment": "x" * 2001})

    assert missing.status_code == 422
    assert 'data-problem="validation_failed"' in missing.text
    # What the customer typed is kept, as text.
    assert "kept &lt;b&gt;here&lt;/b&gt;</textarea>" in missing.text
    assert 'value="4" required checked>' in " ".join(missing.text.split())
    assert too_long.status_code == 422
    assert (await handle.query(SurveyWorkflow.view)).answer is None


async def test_bad_links_are_refused_and_record_nothing(api: Api) -> None:
    handle, token = await send_survey(api)
    case_id = (await handle.query(SurveyWorkflow.view)).case_id
    past = datetime.now(UTC) - timedelta(hours=1)
    expired = link_token(api, LinkCaseKind.COMPLAINT, case_id, LinkPurpose.SURVEY, expires_at=past)
    case_link = link_token(api, LinkCaseKind.COMPLAINT, case_id, LinkPurpose.CASE)
    forged = link_token(api, LinkCaseKind.COMPLAINT, case_id, LinkPurpose.SURVEY, secret="f" * 40)
    nobodys = link_token(api, LinkCaseKind.COMPLAINT, "CAAAAAAAAAAAA", LinkPurpose.SURVEY)
    refused = {
        expired: (410, "link_expired"),
        case_link: (404, "link_invalid"),
        forged: (404, "link_invalid"),
        token[:-3] + "abc": (404, "link_invalid"),
        "not-a-token": (404, "link_invalid"),
        nobodys: (404, "survey_not_found"),
    }

    async with browser(api) as client:
        for bad, (status, error) in refused.items():
            shown = await client.get(f"/surveys/{bad}")
            assert (shown.status_code, error) == (status, error), (bad, shown.text)
            assert f'data-problem="{error}"' in shown.text
            posted = await _answer_without_page(client, bad, HIGH)
            assert posted.status_code == status, (bad, posted.text)

    assert (await handle.query(SurveyWorkflow.view)).answer is None


async def test_a_form_from_elsewhere_is_refused(api: Api) -> None:
    handle, token = await send_survey(api)

    async with browser(api) as client:
        _, nonce = await page_and_nonce(client, f"/surveys/{token}")
        no_nonce = await client.post(f"/surveys/{token}", data=HIGH)
        stale = await client.post(
            f"/surveys/{token}", data={"form_token": "1700000000." + "0" * 64, **HIGH}
        )
        other_site = await client.post(
            f"/surveys/{token}",
            data={"form_token": nonce, **HIGH},
            headers={"Origin": "https://evil.example"},
        )
        # What any page may send across sites: JSON as text/plain, asking for JSON back.
        disguised = await client.post(
            f"/surveys/{token}",
            content=b'{"csat": 5, "resolved": true}',
            headers={"Content-Type": "text/plain", "Accept": "application/json"},
        )

    for refused in (no_nonce, stale, other_site):
        assert refused.status_code == 403, refused.text
        assert 'data-problem="form_expired"' in refused.text
    assert disguised.status_code == 403 and disguised.json()["error"] == "form_expired"
    assert (await handle.query(SurveyWorkflow.view)).answer is None


async def test_a_closed_survey_takes_no_answer(api: Api) -> None:
    # Open for a second: it closes unanswered, and its workflow ends.
    brief = SEND_AT_ONCE.model_copy(update={"close_after": timedelta(seconds=1)})
    handle, _ = await send_survey(api, policy=brief)
    await handle.result()
    view = await handle.query(SurveyWorkflow.view)
    # A link that is itself still valid (as the case page would mint it).
    token = link_token(api, LinkCaseKind.COMPLAINT, view.case_id, LinkPurpose.SURVEY)

    async with browser(api) as client:
        shown = await client.get(f"/surveys/{token}")
        posted = await _answer_without_page(client, token, HIGH)

    assert shown.status_code == 410 and 'data-problem="survey_closed"' in shown.text
    assert posted.status_code == 410 and 'data-problem="survey_closed"' in posted.text
    assert (await handle.query(SurveyWorkflow.view)).answer is None


async def test_programs_get_the_survey_in_json(api: Api) -> None:
    handle, token = await send_survey(api, locale="zh-CN")
    case_id = (await handle.query(SurveyWorkflow.view)).case_id
    past = datetime.now(UTC) - timedelta(hours=1)
    expired = link_token(api, LinkCaseKind.COMPLAINT, case_id, LinkPurpose.SURVEY, expires_at=past)
    answer = {"csat": 4, "resolved": True, "nps": 8, "comment": "fine"}

    async with api.client_with_token(None) as client:
        client.headers["Accept"] = "application/json"
        invitation = await client.get(f"/surveys/{token}")
        invalid = await client.post(f"/surveys/{token}", json={"csat": 9, "resolved": True})
        recorded = await client.post(f"/surveys/{token}", json=answer)
        again = await client.post(f"/surveys/{token}", json=answer)
        late = await client.post(f"/surveys/{expired}", json=answer)

    assert invitation.status_code == 200, invitation.text
    body = invitation.json()
    assert body["survey_id"] == survey_workflow_id(CaseKind.COMPLAINT, case_id)
    assert (body["case_kind"], body["case_id"], body["locale"]) == ("complaint", case_id, "zh-CN")
    assert invalid.status_code == 422
    assert [f["field"] for f in invalid.json()["fields"]] == ["csat"]
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["status"] == "sent"
    assert again.status_code == 409 and again.json()["error"] == "survey_already_answered"
    assert late.status_code == 410 and late.json()["error"] == "link_expired"
    view = await handle.query(SurveyWorkflow.view)
    assert view.answer is not None and view.answer.csat == 4
