"""The policy pages in a real browser, on a laptop's screen (1366x768), by the keyboard: an
admin reaches the policy from the navigation, opens the form, types a value that is not a
number and sends it without a reason, follows the refusal's links to both fields, fixes
them and saves version 2, then opens version 2's page with what changed. The same pages
read in Chinese, a refusal included. Every page fits the width and axe-core finds no
serious or critical violation.

Screenshots land in test-artifacts/console/policy-*.png; Chromium and axe-core come from
the test scripts (tests/console/browser_support.py).
"""

from datetime import timedelta

import pytest
from playwright.async_api import Page, expect

from domain.access import Role
from domain.taxonomy import Tier
from store.policies import current_policy
from tests.api.support import Api
from tests.console.admin_support import trail
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff

ADMIN = "ops-admin-policy"
WAIT_MS = 30_000
CRITICAL_FIRST = "#f-complaints-sla-critical-first_response"

pytestmark = needs_chromium_and_axe


async def press_on(page: Page, selector: str) -> None:
    await tab_to(page, selector)
    await page.keyboard.press("Enter")


async def back_to(page: Page, selector: str) -> None:
    """Presses Shift+Tab until the element matching `selector` has the focus."""
    for _ in range(40):
        await page.keyboard.press("Shift+Tab")
        if await page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Shift+Tab never reached {selector}")


async def retype(page: Page, text: str) -> None:
    """Replaces what the focused field holds with `text`."""
    await page.keyboard.press("Control+A")
    await page.keyboard.type(text)


async def test_an_admin_changes_the_policy_by_keyboard_in_both_languages(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    add_staff(api, ADMIN, Role.ADMIN, locale="en")
    checked: list[str] = []

    async with signed_in_on_a_laptop(base_url, ADMIN, "/console/queue", timeout_ms=WAIT_MS) as page:
        await page.locator("body").focus()
        await press_on(page, "nav.main-nav a[href='/console/admin/staff']")
        await expect(page.locator("h1")).to_have_text("Staff and keys")
        await press_on(page, "nav.admin-nav a[href='/console/admin/policy']")
        await expect(page.locator("h1")).to_have_text("Policy")
        await expect(
            page.locator("tr[data-tier=critical] td[data-value=first_response]")
        ).to_have_text("1 hour")
        await check_page(page, "policy-01-in-force-en", checked)

        await press_on(page, "a[href='/console/admin/policy/edit']")
        await expect(page.locator("h1")).to_have_text("Change the policy")
        await check_page(page, "policy-02-form-en", checked)
        # A value that is not a number, sent (Enter in the field) without a reason.
        await tab_to(page, CRITICAL_FIRST)
        await retype(page, "two")
        await page.keyboard.press("Enter")
        refusal = page.locator("[data-problem=policy_form_refused]")
        await expect(refusal).to_be_visible()
        await expect(refusal.locator("li")).to_have_text(
            ["SLA, Critical: First response: “two” is not a number", "Why: must not be empty"]
        )
        await expect(page.locator(CRITICAL_FIRST)).to_have_attribute("aria-invalid", "true")
        await check_page(page, "policy-03-refused-en", checked)

        # The refusal's links lead to the fields.
        await press_on(page, f"a[href='{CRITICAL_FIRST}']")
        await expect(page.locator(CRITICAL_FIRST)).to_be_focused()
        await retype(page, "2")
        await back_to(page, "a[href='#f-reason']")
        await page.keyboard.press("Enter")
        await expect(page.locator("#f-reason")).to_be_focused()
        await page.keyboard.type("critical complaints answered within two hours")
        await page.keyboard.press("Shift+Tab")
        await page.keyboard.press("Enter")
        await expect(page.locator("[data-done=admin_done_policy_changed]")).to_be_visible()
        await expect(page.locator("#in-force")).to_have_text("Version 2 is in force")
        await check_page(page, "policy-04-saved-en", checked)

        await press_on(page, "a[href='/console/admin/policy/versions/2']")
        changed = page.locator("tr[data-path='complaints.sla.critical.first_response']")
        await expect(changed).to_contain_text("SLA, Critical: First response")
        await expect(changed.locator("td")).to_have_text(["1 hour", "2 hours"])
        await check_page(page, "policy-05-version-en", checked)

        await page.goto("/console/admin/policy?lang=zh-CN")
        await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        await expect(page.locator("#in-force")).to_have_text("当前生效：第 2 版")
        await expect(
            page.locator("tr[data-tier=critical] td[data-value=first_response]")
        ).to_have_text("2小时")
        await check_page(page, "policy-06-in-force-zh", checked)
        await page.goto("/console/admin/policy/edit")
        await expect(page.locator("h1")).to_have_text("修改服务政策")
        await tab_to(page, "#f-complaints-approval_threshold-vip")
        await retype(page, "12.345")
        await page.keyboard.press("Enter")
        await expect(page.locator("[data-problem=policy_form_refused] li")).to_have_text(
            ["审批门槛：VIP 客户：“12.345”不是金额：最多两位小数的数字", "原因：不能为空"]
        )
        await check_page(page, "policy-07-refused-zh", checked)
        await page.goto("/console/admin/policy/versions/2")
        await expect(page.locator("h1")).to_contain_text("服务政策第 2 版")
        await check_page(page, "policy-08-version-zh", checked)

    with api.sessions() as session:
        policy = current_policy(session)
    assert policy.version == 2
    assert policy.document.complaints.sla[Tier.CRITICAL].first_response == timedelta(hours=2)
    assert [(c.action, c.subject, c.reason) for c in trail(api)] == [
        ("policy_changed", "v2", "critical complaints answered within two hours")
    ]
    print_checked(capsys, "Policy pages", checked)
