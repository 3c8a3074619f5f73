"""A complaint's page: its live timeline, free text shown as text, and Chinese pages that
carry no English."""

import re

from domain.access import Role
from tests.api.support import Api, intake
from tests.console.support import open_awaiting_approval, post_form, signed_in

# What the English pages say, which a Chinese page must not.
ENGLISH_UI = [
    "Approvals inbox",
    "Approve",
    "Reject",
    "Sign out",
    "Escalations",
    "My queue",
    "Time left",
    " left<",
    "Customer tier",
    "Proposed compensation",
    "Timeline",
    "Status",
    "Awaiting approval",
    "Critical",
    "Refund",
    "Times in",
    # The classifier's reasons, as it records them.
    "keyword '",
    " -> ",
    "Why",
]

OWN_SCRIPT = r'<script src="/console/static/\w+\.js" defer>'
# Descriptions, messages and timeline details: what people wrote, not the console's words.
FREE_TEXT = re.compile(r'class="(?:description|message|detail)">[^<]*')


async def test_the_complaint_page_follows_the_workflow(api: Api) -> None:
    complaint_id = await open_awaiting_approval(api)

    async with signed_in(api, "sup-lu", Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(f"/console/complaints/{complaint_id}")
        assert page.status_code == 200
        live_url = f"/console/complaints/{complaint_id}/live"
        assert f'data-live-url="{live_url}"' in page.text
        assert 'data-status="awaiting_approval"' in page.text
        assert f'href="/console/approvals#approval-{complaint_id}"' in page.text

        approved = await post_form(
            supervisor,
            "/console/approvals",
            f"/console/approvals/{complaint_id}",
            {"decision": "approve"},
        )
        assert approved.status_code == 303
        await api.wait_for_view(complaint_id, lambda view: view["status"] == "closed")
        # The live part is what the page's script fetches every few seconds.
        live = await supervisor.get(live_url)
        assert live.status_code == 200
        assert 'data-status="closed"' in live.text
        assert "<html" not in live.text, "a fragment, not a page"
        assert 'data-kind="approved"' in live.text and "sup-lu" in live.text

        missing = await supervisor.get("/console/complaints/CAAAAAAAAAAAA")
        assert missing.status_code == 404
        assert "There is no such complaint." in missing.text


async def test_free_text_shows_as_text_never_as_markup(api: Api) -> None:
    script = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
    created = await api.create(intake(description=f"Broken lid. {script}"))
    complaint_id = created.json()["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    reply = {"action": {"type": "reply", "message": "<b>bold</b> promise"}}
    answered = await api.http.post(f"/complaints/{complaint_id}/actions", json=reply)
    assert answered.status_code == 200, answered.text

    async with signed_in(api, "sup-mo", Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(f"/console/complaints/{complaint_id}")

    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert "&lt;b&gt;bold&lt;/b&gt; promise" in page.text
    assert "<script>alert" not in page.text and "<b>bold" not in page.text
    # The only scripts on the page are the console's own files.
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts and all(re.fullmatch(OWN_SCRIPT, tag) for tag in scripts), scripts


async def test_chinese_pages_carry_no_english_ui_words(api: Api) -> None:
    complaint_id = await open_awaiting_approval(api)

    async with signed_in(api, "sup-ning", Role.SUPERVISOR, locale="zh-CN") as supervisor:
        pages = {
            path: await supervisor.get(path)
            for path in (
                "/console/approvals",
                "/console/escalations",
                "/console/queue",
                f"/console/complaints/{complaint_id}",
            )
        }
        for path, page in pages.items():
            assert page.status_code == 200, path
            assert '<html lang="zh-CN">' in page.text, path
            # Customers and staff wrote in English; only the console's own words count.
            shown = FREE_TEXT.sub("", page.text)
            assert "审批" in shown or "队列" in shown, path
            for words in ENGLISH_UI:
                assert words not in shown, (path, words)
        complaint = pages[f"/console/complaints/{complaint_id}"].text
        # The classifier's reasons, listed and on the timeline, are worded in Chinese.
        assert "分类依据" in complaint and 'class="reasons classification-reasons"' in complaint
        assert "（置信度 " in complaint and "keyword '" not in complaint
        inbox = pages["/console/approvals"].text
        assert "审批收件箱" in inbox and "批准" in inbox and "驳回" in inbox and "剩余" in inbox

        # ?lang= switches language and is remembered for the next pages.
        english = await supervisor.get("/console/escalations", params={"lang": "en"})
        assert "Escalations board" in english.text
        queue = await supervisor.get("/console/queue")
        assert '<html lang="en">' in queue.text and "My queue" in queue.text
