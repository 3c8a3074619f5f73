"""Presence on a complaint page in a real browser, two agents in two browser contexts on a
laptop's screen (1366x768): agent A (the complaint's) opens it; agent B opening it sees A
there; A starts typing a reply (reaching it by keyboard) and B sees A writing, in English
and in Chinese; A sees B reading; the customer writes before A sends, so A's reply waits
for review and is sent anyway; A leaves and B sees nobody. Every page fits the width
and axe-core finds no serious or critical violation on it.

Screenshots land in test-artifacts/console/presence-*.png; Chromium and axe-core come
from the test scripts (tests/console/browser_support.py).
"""

import pytest
from playwright.async_api import async_playwright, expect

from domain.access import Role
from tests.api.support import Api
from tests.console.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    check_page,
    needs_chromium_and_axe,
    print_checked,
    sign_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff
from tests.console.workspace_support import open_complaint

OTHER_AGENT = "agent-presence-b"
# Pages report every 12 s: a change shows on the other page within one report.
WAIT_MS = 30_000

pytestmark = needs_chromium_and_axe


async def test_a_second_agent_sees_the_first_there_and_writing(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    complaint = await open_complaint(api)
    add_staff(api, complaint.agent, Role.AGENT, locale="en")
    add_staff(api, OTHER_AGENT, Role.AGENT, locale="en")
    checked: list[str] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            first = await sign_in_on_a_laptop(
                browser, base_url, complaint.agent, complaint.page, timeout_ms=WAIT_MS
            )
            alone = first.locator("#presence")
            await expect(alone).to_be_visible()
            await expect(alone).to_contain_text("Nobody else has this complaint open.")

            second = await sign_in_on_a_laptop(
                browser, base_url, OTHER_AGENT, complaint.page, timeout_ms=WAIT_MS
            )
            panel = second.locator("#presence")
            first_there = panel.locator(f'[data-present="{complaint.agent}"]')
            await expect(first_there).to_have_attribute("data-writing", "false")
            await expect(first_there).to_contain_text(f"{complaint.agent} (test): reading")
            await expect(panel.locator(".presence-people")).to_have_attribute("aria-live", "polite")
            await check_page(second, "presence-01-other-agent-sees-first-en", checked)

            # The first agent reaches the reply by keyboard and types: the other sees it.
            await tab_to(first, "#reply-message")
            await first.keyboard.type("Sorry about the blender: a new one leaves today.")
            await expect(first_there).to_have_attribute("data-writing", "true", timeout=WAIT_MS)
            await expect(first_there).to_contain_text("writing a reply")
            await check_page(second, "presence-02-other-agent-sees-writing-en", checked)
            other_there = first.locator(f'#presence [data-present="{OTHER_AGENT}"]')
            await expect(other_there).to_contain_text("reading", timeout=WAIT_MS)
            await check_page(first, "presence-03-writer-sees-reader-en", checked)

            # The same in Chinese.
            await second.click("a[hreflang=zh-CN]")
            await expect(second.locator("#presence-title")).to_have_text("此刻也在处理此投诉")
            await expect(first_there).to_contain_text("正在撰写回复", timeout=WAIT_MS)
            await check_page(second, "presence-04-other-agent-sees-writing-zh-CN", checked)

            # The customer writes before the reply is sent: the reply waits for review,
            # its text kept, then goes once sent anyway.
            customer = api.client_with_token(complaint.customer_token)
            answered = await customer.post(
                f"/complaints/{complaint.complaint_id}/messages",
                json={"message": "Also, the jug is chipped."},
            )
            assert answered.status_code == 200, answered.text
            await first.click(".reply-form button[type=submit]")
            held = first.locator('.reply-form [data-problem="collision_review"]')
            await expect(held).to_contain_text("Not sent: 1 new message(s) arrived")
            await expect(first.locator(".reply-form .arrived")).to_contain_text(
                "Also, the jug is chipped."
            )
            await expect(first.locator("#reply-message")).to_have_value(
                "Sorry about the blender: a new one leaves today."
            )
            await check_page(first, "presence-05-reply-held-for-review-en", checked)
            await first.click(".reply-form button[type=submit]:has-text('Send reply anyway')")
            await expect(first.locator("[data-done=reply]")).to_be_visible()

            # The first agent leaves: gone from the other page at its next report.
            await first.goto("/console/queue")
            await expect(panel).to_contain_text("目前没有其他同事打开此投诉。", timeout=WAIT_MS)
            await expect(first_there).to_have_count(0)
        finally:
            await browser.close()

    print_checked(capsys, "presence on a complaint page at 1366x768", checked)
