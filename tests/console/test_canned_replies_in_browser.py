"""Canned replies in a real browser, on a laptop's screen (1366x768): an admin working in
Chinese reaches the page from the navigation, creates a Chinese template with the
keyboard alone (a mistyped placeholder refused by name first, then put right) and sees it
listed; the pages again in English; then an agent, with the keyboard alone, picks the
template on a complaint's reply form and the reply fills in place, filled in for the
complaint. Every page fits the width and axe-core finds no serious or critical violation.

Screenshots land in test-artifacts/console/canned-*.png; Chromium and axe-core come from
the test scripts (tests/console/browser_support.py).
"""

import pytest
from playwright.async_api import expect

from domain.access import Role
from tests.api.support import Api
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff
from tests.console.workspace_support import open_complaint

ADMIN = "ops-canned-browser"
WAIT_MS = 30_000
TITLE = "物流问题：正在跟进"
MISTYPED = "{{ 客户姓名 }}您好，您的订单 {{ order_id }} 我们正在催促快递。"
BODY = "{{ customer_name }}您好，您的订单 {{ order_id }} 我们正在催促快递，会尽快答复。"

pytestmark = needs_chromium_and_axe


async def test_an_admin_creates_a_chinese_template_by_keyboard_and_an_agent_picks_it(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    add_staff(api, ADMIN, Role.ADMIN, locale="zh-CN")
    customer = {"id": "cust-canned-zh", "locale": "zh-CN", "name": "王芳"}
    complaint = await open_complaint(api, customer=customer)
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    sub_category = view["classification"]["sub_category"]
    checked: list[str] = []

    async with signed_in_on_a_laptop(base_url, ADMIN, "/console/queue", timeout_ms=WAIT_MS) as page:
        await page.goto("/console/queue?lang=zh-CN")
        await page.locator("body").focus()
        await tab_to(page, "nav.main-nav a[href='/console/canned-replies']")
        await page.keyboard.press("Enter")
        await expect(page.locator("h1")).to_have_text("快捷回复")
        await expect(page.locator("p.empty")).to_be_visible()
        await check_page(page, "canned-01-empty-list-zh", checked)

        await tab_to(page, "a.button[href='/console/canned-replies/new']")
        await page.keyboard.press("Enter")
        await expect(page.locator("h1")).to_have_text("新建快捷回复")
        await tab_to(page, "#canned-title")
        await page.keyboard.type(TITLE)
        await page.keyboard.press("Tab")
        await expect(page.locator("#canned-language")).to_be_focused()
        await expect(page.locator("#canned-language")).to_have_value("zh-CN")
        await page.keyboard.press("Tab")
        await expect(page.locator("#canned-sub-category")).to_be_focused()
        # A closed list moves on arrow keys, down to the complaint's sub-category.
        while await page.locator("#canned-sub-category").input_value() != sub_category:
            await page.keyboard.press("ArrowDown")
        await page.keyboard.press("Tab")
        await expect(page.locator("#canned-body")).to_be_focused()
        await page.keyboard.type(MISTYPED)
        await check_page(page, "canned-02-new-zh", checked)
        await tab_to(page, ".canned-form button[type=submit]")
        await page.keyboard.press("Enter")

        refusal = page.locator('[data-problem="canned_body_unknown_placeholder"]')
        await expect(refusal).to_contain_text("{{ 客户姓名 }}")
        await expect(page.locator("#canned-body")).to_have_attribute("aria-invalid", "true")
        await expect(page.locator("#canned-title")).to_have_value(TITLE)
        await check_page(page, "canned-03-refused-zh", checked)
        await tab_to(page, "#canned-body")
        await page.keyboard.press("Control+A")
        await page.keyboard.type(BODY)
        await tab_to(page, ".canned-form button[type=submit]")
        await page.keyboard.press("Enter")

        await expect(page.locator("p.notice")).to_have_text(f"已创建“{TITLE}”。")
        row = page.locator("tr[data-canned-reply]")
        await expect(row).to_have_count(1)
        await expect(row).to_contain_text(TITLE)
        await expect(row.locator("td[data-uses]")).to_have_text("0")
        await check_page(page, "canned-04-created-zh", checked)

        await page.goto("/console/canned-replies?lang=en")
        await expect(page.locator("h1")).to_have_text("Canned replies")
        await check_page(page, "canned-05-list-en", checked)
        await page.locator("body").focus()
        await tab_to(page, "tr[data-canned-reply] a")
        await page.keyboard.press("Enter")
        await expect(page.locator("h1")).to_have_text(f"Edit “{TITLE}”")
        await check_page(page, "canned-06-edit-en", checked)

    add_staff(api, complaint.agent, Role.AGENT, locale="en")
    async with signed_in_on_a_laptop(
        base_url, complaint.agent, complaint.page, timeout_ms=WAIT_MS
    ) as page:
        await page.locator("body").focus()
        await tab_to(page, "#reply-template")
        await page.keyboard.press("ArrowDown")
        reply = page.locator("#reply-message")
        order_id = view["intake"]["order"]["order_id"]
        await expect(reply).to_have_value(
            f"王芳您好，您的订单 {order_id} 我们正在催促快递，会尽快答复。"
        )
        await expect(page.locator(".canned-picker .picked")).to_contain_text(TITLE)
        await check_page(page, "canned-07-picker-en", checked)

    print_checked(capsys, "Canned replies", checked)
