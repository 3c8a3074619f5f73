"""The webhook pages in a real browser, on a laptop's screen (1366x768), by the keyboard:
an admin opens Webhooks from the admin pages, sees a subscription's counts (delivered,
failing, dead), opens its delivery log, reads a dead delivery's attempts, sends it again,
and rotates the signing secret with a day's grace (the new secret shown once); then the
same pages in Chinese. Every page fits the width and axe-core finds no serious or
critical violation.

Screenshots land in test-artifacts/console/webhooks-*.png; Chromium and axe-core come from
the test scripts (tests/console/browser_support.py).
"""

import pytest
from playwright.async_api import Page, expect

from domain.access import Role
from store.tables.webhook_subscriptions import WebhookSubscription
from tests.api.support import Api
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff
from tests.console.webhook_support import SECRET, delivered_history

ADMIN = "hooks-admin-browser"
WAIT_MS = 30_000

pytestmark = needs_chromium_and_axe


async def press_on(page: Page, selector: str) -> None:
    await tab_to(page, selector)
    await page.keyboard.press("Enter")


async def test_an_admin_follows_deliveries_redelivers_and_rotates_by_keyboard(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    history = delivered_history(api, "sub_browser")
    add_staff(api, ADMIN, Role.ADMIN, locale="en")
    checked: list[str] = []
    page_url = f"/console/admin/webhooks/{history.subscription_id}"

    async with signed_in_on_a_laptop(
        str(api.http.base_url), ADMIN, "/console/admin/staff", timeout_ms=WAIT_MS
    ) as page:
        await page.locator("body").focus()
        await press_on(page, ".admin-nav a[href='/console/admin/webhooks']")
        await expect(page.locator("h1")).to_have_text("Webhooks")
        row = page.locator(f"[data-subscription='{history.subscription_id}']")
        await expect(row.locator("[data-count=dead]")).to_have_text("1")
        await expect(row.locator("[data-count=failing]")).to_have_text("1")
        await expect(row.locator("[data-count=delivered]")).to_have_text("1")
        await check_page(page, "webhooks-01-subscriptions-en", checked)

        await press_on(page, f"a[href='{page_url}']")
        await expect(page.locator("h1")).to_have_text(f"Webhook {history.subscription_id}")
        dead = page.locator(f"[data-delivery='{history.dead}']")
        await press_on(page, f"[data-delivery='{history.dead}'] summary")
        await expect(dead.locator("ol.attempts li")).to_have_count(2)
        await expect(dead.locator("ol.attempts")).to_contain_text("HTTP 500: upstream down")
        await check_page(page, "webhooks-02-delivery-log-en", checked)

        await press_on(page, f"[data-delivery='{history.dead}'] button[type=submit]")
        await expect(page.locator("[data-done]")).to_contain_text(
            f"Delivery {history.dead} is queued again"
        )
        await expect(dead).to_have_attribute("data-status", "pending")
        await check_page(page, "webhooks-03-redelivered-en", checked)

        # The rotation: a day's grace is chosen already; a reason, then Enter.
        await tab_to(page, "#grace")
        await expect(page.locator("#grace")).to_have_value("24")
        await tab_to(page, "#rotate-reason")
        await page.keyboard.type("Rotating after the platform's key review")
        await page.keyboard.press("Enter")
        secret = page.locator("[data-secret=webhook_secret] .secret-value")
        await expect(secret).to_be_visible()
        shown = await secret.inner_text()
        await expect(page.locator("[data-old-secret-until]")).to_be_visible()
        await check_page(page, "webhooks-04-secret-once-en", checked)
        await page.goto(page_url)
        await expect(page.locator(".secret-value")).to_have_count(0)

        await page.goto("/console/admin/webhooks?lang=zh-CN")
        await expect(page.locator("h1")).to_have_text("事件推送")
        await check_page(page, "webhooks-05-subscriptions-zh-CN", checked)
        await page.goto(f"{page_url}?status=pending")
        await expect(page.locator("#delivery-log")).to_have_text("推送记录")
        await expect(page.locator("[data-change]").first).to_contain_text("更换了")
        await check_page(page, "webhooks-06-delivery-log-zh-CN", checked)

    with api.sessions() as session:
        stored = session.get(WebhookSubscription, history.subscription_id)
        assert stored is not None
        assert (stored.secret, stored.previous_secret) == (shown, SECRET)
    print_checked(capsys, "webhook pages at 1366x768", checked)
