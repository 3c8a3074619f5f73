"""The canned reply picker on a complaint's reply form, over the real workflow: the
complaint's templates filled in for it (its sub-category's first, then the general ones,
in its customer's language; one it lacks a value for offered disabled with the reason);
"use this template" without a script brings the form back filled and sends nothing; the
reply sent from a template reaches the customer and counts once however often the form is
sent; a choice that names no template, or one the complaint cannot fill, is refused by
name with nothing sent."""

import asyncio
import html
import re
from typing import Any

import httpx

from domain.access import Role
from store.canned_replies import CannedReplyStatus, canned_reply_uses, list_canned_replies
from tests.api.support import Api
from tests.console.support import signed_in
from tests.console.workspace_support import OpenComplaint, heard, kinds, open_complaint, page_form

GENERAL = {"title": "Thanks for waiting", "body": "Thank you for waiting, {{ customer_name }}."}


async def make_templates(api: Api, sub_category: str) -> dict[str, int]:
    """Creates the test's templates through the API; returns their ids by title."""
    bodies: list[dict[str, Any]] = [
        GENERAL,
        {
            "title": "Own: new one ships",
            "sub_category": sub_category,
            "body": "Sorry, {{ customer_name }}: a new one for order {{ order_id }} ships "
            "today; we close this by {{ resolution_due }}. {{ agent_name }}",
        },
        {
            "title": "Own: tracking",
            "sub_category": sub_category,
            "body": "Your parcel is {{ tracking_number }}.",
        },
        {"title": "Other sub-category", "sub_category": "double_charge", "body": "Refunded."},
        {"title": "中文模板", "language": "zh-CN", "body": "您好。"},
    ]
    ids: dict[str, int] = {}
    for body in bodies:
        made = await api.http.post("/canned-replies", json={"language": "en"} | body)
        assert made.status_code == 201, made.text
        ids[body["title"]] = made.json()["canned_reply_id"]
    return ids


def options(page: str) -> list[tuple[str, str, str]]:
    """Returns the picker's options: (value, disabled or "", text)."""
    select = page.split('id="reply-template"')[1].split("</select>")[0]
    found = re.findall(r'<option value="(\d*)"( disabled)?[^>]*>([^<]*)</option>', select)
    return [(value, disabled.strip(), html.unescape(text)) for value, disabled, text in found]


def textarea(page: str) -> str:
    found = re.search(r'<textarea id="reply-message"[^>]*>([^<]*)</textarea>', page)
    assert found is not None
    return html.unescape(found.group(1))


async def opened_with_templates(api: Api) -> tuple[OpenComplaint, str, dict[str, int]]:
    complaint = await open_complaint(api)
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    ids = await make_templates(api, view["classification"]["sub_category"])
    return complaint, view["intake"]["order"]["order_id"], ids


async def reply_form(agent: httpx.AsyncClient, complaint: OpenComplaint) -> dict[str, str]:
    return await page_form(agent, complaint.page, f"{complaint.page}/reply")


async def test_the_picker_offers_the_complaint_s_templates_filled_in_for_it(api: Api) -> None:
    complaint, order_id, ids = await opened_with_templates(api)

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        page = await agent.get(complaint.page)

    assert page.status_code == 200, page.text
    assert options(page.text) == [
        ("", "", "— write from scratch —"),
        (str(ids["Own: new one ships"]), "", "Own: new one ships"),
        (
            str(ids["Own: tracking"]),
            "disabled",
            "Own: tracking (needs a tracking number, which this complaint lacks)",
        ),
        (str(ids["Thanks for waiting"]), "", "Thanks for waiting"),
    ]
    filled = page.text.split(f'data-canned-text="{ids["Own: new one ships"]}"')[1]
    text = html.unescape(filled.split(">", 1)[1].split("</template>")[0])
    assert text.startswith(f"Sorry, Lin Wei: a new one for order {order_id} ships today; ")
    assert "+0000." in text and text.endswith(f"{complaint.agent} (test)")
    assert '<script src="/console/static/canned_replies.js" defer></script>' in page.text


async def test_use_this_template_without_a_script_fills_the_form_and_sends_nothing(
    api: Api,
) -> None:
    complaint, order_id, ids = await opened_with_templates(api)
    chosen = str(ids["Own: new one ships"])

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        before = await heard(api, complaint.complaint_id)
        fields = await reply_form(agent, complaint)
        filled = await agent.post(
            f"{complaint.page}/reply",
            data=fields | {"message": "", "canned_reply_id": chosen, "use_template": "1"},
        )
        unusable = await agent.post(
            f"{complaint.page}/reply",
            data=fields
            | {
                "message": "My own words.",
                "canned_reply_id": str(ids["Own: tracking"]),
                "use_template": "1",
            },
        )
        after = await heard(api, complaint.complaint_id)

    assert filled.status_code == 200, filled.text
    assert textarea(filled.text).startswith(f"Sorry, Lin Wei: a new one for order {order_id}")
    assert f'<option value="{chosen}" selected>' in filled.text
    assert "The reply below starts from “Own: new one ships”" in filled.text
    assert unusable.status_code == 422
    assert 'data-problem="canned_pick_unusable" data-field="canned_reply_id"' in unusable.text
    assert "it needs a tracking number, which the complaint lacks" in unusable.text
    assert textarea(unusable.text) == "My own words."
    assert after == before


async def test_a_reply_sent_from_a_template_counts_once_and_reaches_the_customer(
    api: Api,
) -> None:
    complaint, _, ids = await opened_with_templates(api)
    chosen = ids["Thanks for waiting"]
    edited = "Thank you for waiting, Lin Wei. The new blender leaves today."

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        fields = await reply_form(agent, complaint) | {
            "message": edited,
            "canned_reply_id": str(chosen),
        }
        # A double click: the same form sent twice at once.
        first, second = await asyncio.gather(
            agent.post(f"{complaint.page}/reply", data=fields),
            agent.post(f"{complaint.page}/reply", data=fields),
        )
        # A second reply from the same template, from a fresh form.
        again = await agent.post(
            f"{complaint.page}/reply",
            data=await reply_form(agent, complaint)
            | {"message": "Still on it.", "canned_reply_id": str(chosen)},
        )
        plain = await agent.post(
            f"{complaint.page}/reply",
            data=await reply_form(agent, complaint) | {"message": "No template here."},
        )

    assert [first.status_code, second.status_code, again.status_code, plain.status_code] == [
        303
    ] * 4
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    replies = [event["detail"] for event in view["timeline"] if event["kind"] == "replied"]
    assert replies == [edited, "Still on it.", "No template here."]
    with api.sessions() as session:
        assert canned_reply_uses(session, canned_reply_id=chosen) == 2
        counted = {
            row.reply.title: row.uses
            for row in list_canned_replies(session, status=CannedReplyStatus.ALL)
        }
    assert counted == {title: 2 if title == "Thanks for waiting" else 0 for title in ids}


async def test_a_choice_that_names_no_template_is_refused_and_nothing_is_sent(
    api: Api,
) -> None:
    complaint, _, _ = await opened_with_templates(api)

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        before = await heard(api, complaint.complaint_id)
        refused = []
        for chosen in ("999999", "x", "1" * 40):
            refused.append(
                await agent.post(
                    f"{complaint.page}/reply",
                    data=await reply_form(agent, complaint)
                    | {"message": "Hello.", "canned_reply_id": chosen},
                )
            )
        after = await heard(api, complaint.complaint_id)
        view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()

    assert [answer.status_code for answer in refused] == [422] * 3
    assert all(
        'data-problem="canned_pick_invalid" data-field="canned_reply_id"' in answer.text
        for answer in refused
    )
    assert all(textarea(answer.text) == "Hello." for answer in refused)
    assert after == before and "replied" not in kinds(view)


async def test_a_complaint_in_chinese_gets_the_chinese_templates(api: Api) -> None:
    await make_templates(api, "defect")
    customer = {
        "id": "cust-zh-picker",
        "tier": "regular",
        "locale": "zh-CN",
        "name": "王芳",
        "email": "wang.fang@example.com",
    }
    complaint = await open_complaint(api, customer=customer)

    async with signed_in(api, complaint.agent, Role.AGENT, locale="zh-CN") as agent:
        page = await agent.get(complaint.page)

    assert options(page.text) == [
        ("", "", "— 不使用模板 —"),
        (options(page.text)[1][0], "", "中文模板"),
    ]
    assert "套用此模板" in page.text
