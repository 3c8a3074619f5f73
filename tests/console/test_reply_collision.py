"""A reply or a question written while another message landed, over the real workflow: the
first submit is held back (the workflow hears nothing) with the agent's text kept, the
messages that arrived shown, and a "review first" notice; sending anyway sends once,
however often it is clicked; a message landing meanwhile holds it back again. The
agent's own messages, notes and other steps hold nothing back."""

import asyncio
import re

from domain.access import Role
from tests.api.support import Api
from tests.console.support import signed_in
from tests.console.workspace_support import (
    OpenComplaint,
    form_fields,
    heard,
    kinds,
    open_complaint,
    page_form,
    send_form,
)


async def customer_writes(api: Api, complaint: OpenComplaint, message: str) -> None:
    customer = api.client_with_token(complaint.customer_token)
    answered = await customer.post(
        f"/complaints/{complaint.complaint_id}/messages", json={"message": message}
    )
    assert answered.status_code == 200, answered.text


def arrived(html: str) -> list[str]:
    """Returns the kinds of the messages a held-back form shows as arrived."""
    section = re.search(r'<section class="arrived".*?</section>', html, re.S)
    return re.findall(r'data-kind="(\w+)"', section.group(0)) if section else []


async def test_a_reply_after_the_customer_wrote_waits_for_review_then_sends_once(
    api: Api,
) -> None:
    complaint = await open_complaint(api)
    action = f"{complaint.page}/reply"
    text = {"message": "The new blender leaves today."}

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        opened = await page_form(agent, complaint.page, action)
        await customer_writes(api, complaint, "Also, the jug is chipped.")
        before = await heard(api, complaint.complaint_id)
        held = await agent.post(action, data=opened | text)
        after_hold = await heard(api, complaint.complaint_id)

        # The customer writes again while the agent reads: held back once more.
        await customer_writes(api, complaint, "And the lid is missing.")
        anyway = form_fields(held.text, action)
        held_again = await agent.post(action, data=anyway | text)
        # Sent anyway from the page that shows both, twice at once (a double click).
        final = form_fields(held_again.text, action)
        first, second = await asyncio.gather(
            agent.post(action, data=final | text), agent.post(action, data=final | text)
        )

    assert held.status_code == 409, held.text
    assert after_hold == before, "the workflow heard nothing"
    assert 'data-problem="collision_review"' in held.text
    assert "Not sent: 1 new message(s) arrived since you opened this page" in held.text
    assert arrived(held.text) == ["customer_replied"]
    assert "Also, the jug is chipped." in held.text
    assert "The new blender leaves today.</textarea>" in held.text, "the text is kept"
    assert "Send reply anyway" in held.text
    assert int(anyway["seen_message"]) > int(opened["seen_message"])

    assert held_again.status_code == 409
    assert arrived(held_again.text) == ["customer_replied"]
    assert "And the lid is missing." in held_again.text

    assert first.status_code == second.status_code == 303, (first.text, second.text)
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    assert kinds(view).count("replied") == 1
    assert view["timeline"][-1]["detail"] == "The new blender leaves today."


async def test_a_question_after_a_colleagues_reply_waits_for_review_in_chinese(
    api: Api,
) -> None:
    complaint = await open_complaint(api)
    action = f"{complaint.page}/request-info"
    question = {"question": "能拍一张底座的照片吗？"}

    async with (
        signed_in(api, complaint.agent, Role.AGENT, locale="zh-CN") as agent,
        signed_in(api, "sup-covering", Role.SUPERVISOR) as supervisor,
    ):
        opened = await page_form(agent, complaint.page, action)
        replied = await send_form(supervisor, complaint, "reply", {"message": "We are on it."})
        assert replied.status_code == 303, replied.text
        before = await heard(api, complaint.complaint_id)
        held = await agent.post(action, data=opened | question)
        assert await heard(api, complaint.complaint_id) == before
        asked = await agent.post(action, data=form_fields(held.text, action) | question)

    assert held.status_code == 409, held.text
    assert "尚未发送：您打开此页面后又收到 1 条新消息" in held.text
    assert arrived(held.text) == ["replied"] and "We are on it." in held.text
    assert "仍然询问客户" in held.text and "能拍一张底座的照片吗？</textarea>" in held.text
    assert asked.status_code == 303, asked.text
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    assert kinds(view)[-2:] == ["replied", "info_requested"]
    assert view["status"] == "waiting_on_customer"


async def test_own_messages_notes_and_other_steps_hold_nothing_back(api: Api) -> None:
    complaint = await open_complaint(api)
    action = f"{complaint.page}/reply"

    async with (
        signed_in(api, complaint.agent, Role.AGENT) as agent,
        signed_in(api, "sup-noting", Role.SUPERVISOR) as supervisor,
    ):
        # Two tabs of the agent's: a reply from the first does not hold back the second.
        second_tab = await page_form(agent, complaint.page, action)
        first = await send_form(agent, complaint, "reply", {"message": "First answer."})
        noted = await send_form(supervisor, complaint, "note", {"text": "Known batch fault."})
        sent = await agent.post(action, data=second_tab | {"message": "Second answer."})

    assert (first.status_code, noted.status_code) == (303, 303)
    assert sent.status_code == 303, sent.text
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    assert kinds(view)[-3:] == ["replied", "noted", "replied"]


async def test_a_form_without_its_marker_is_checked_as_having_seen_nothing(
    api: Api,
) -> None:
    complaint = await open_complaint(api)
    await customer_writes(api, complaint, "Hello? Anyone?")

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        fields = await page_form(agent, complaint.page, f"{complaint.page}/reply")
        blind = await agent.post(
            f"{complaint.page}/reply",
            data={k: v for k, v in fields.items() if k != "seen_message"} | {"message": "Hi."},
        )
        garbled = await agent.post(
            f"{complaint.page}/reply", data=fields | {"seen_message": "x1", "message": "Hi."}
        )

    assert blind.status_code == 409 and arrived(blind.text) == ["customer_replied"]
    assert garbled.status_code == 409
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    assert "replied" not in kinds(view)
