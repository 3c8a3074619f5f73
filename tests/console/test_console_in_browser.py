"""A supervisor's shift in a real browser: Chromium (headless, driven by Playwright) signs
in, approves one compensation, rejects another with a reason, and watches both workflows
carry on, on the API served over HTTP with real workers on the dev server. Then it opens
the analytics page on four weeks of seeded complaints and returns, in Chinese and in
English. Every page fits a laptop's width (1366x768) and axe-core finds no serious or
critical accessibility violation on it.

Screenshots of every page land in test-artifacts/console/ for review. Chromium and
axe-core come from `scripts/chromium-for-tests` and `scripts/axe-for-tests`
(tests/console/browser_support.py); without either this test is skipped and says why.
"""

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from api.console.analytics_filters import business_today
from domain.access import Role
from domain.taxonomy import Tier
from store.complaints import project_complaint
from tests.analytics_seed import seed_busy_weeks
from tests.api.support import Api
from tests.console.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LAPTOP,
    check_page,
    needs_chromium_and_axe,
    print_checked,
)
from tests.console.support import PASSWORD, add_staff, open_awaiting_approval
from tests.factories import make_classification, make_projection, make_view
from tests.return_analytics_seed import seed_busy_returns

# The complaint page refreshes itself every 3 s; a saga step or two fits well inside this.
LIVE_TIMEOUT_MS = 30_000
SUPERVISOR = "sup-browser"

pytestmark = needs_chromium_and_axe


async def _status_of(page: Page) -> str | None:
    return await page.locator("[data-status]").get_attribute("data-status")


async def _new_page(browser: Browser, base_url: str) -> Page:
    # The console's CSP allows scripts from itself only; axe-core is injected.
    context = await browser.new_context(
        base_url=base_url, locale="en-GB", viewport=LAPTOP, bypass_csp=True
    )
    context.set_default_timeout(LIVE_TIMEOUT_MS)
    return await context.new_page()


async def test_a_supervisor_approves_and_rejects_in_the_browser(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    add_staff(api, SUPERVISOR, Role.SUPERVISOR, locale="en")
    to_approve = await open_awaiting_approval(api)
    to_reject = await open_awaiting_approval(api)
    still_pending = await open_awaiting_approval(api)
    checked: list[str] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = await _new_page(browser, base_url)

            # Signed out, the inbox sends the browser to the sign-in page and back.
            await page.goto("/console/approvals")
            await expect(page).to_have_url(
                f"{base_url}/console/sign-in?next=%2Fconsole%2Fapprovals"
            )
            await check_page(page, "01-sign-in-en", checked)
            await page.fill("input[name=user_id]", SUPERVISOR)
            await page.fill("input[name=password]", PASSWORD)
            await page.click("button[type=submit].primary")
            await expect(page).to_have_url(f"{base_url}/console/approvals")
            for complaint_id in (to_approve, to_reject, still_pending):
                await expect(page.locator(f"#approval-{complaint_id}")).to_be_visible()
            await check_page(page, "02-approvals-en", checked)

            # Both complaint pages are open in their own tabs while the decisions are made:
            # what they show next comes from their own refreshing, not from a reload.
            watching = {}
            for complaint_id in (to_approve, to_reject):
                tab = await page.context.new_page()
                await tab.goto(f"/console/complaints/{complaint_id}")
                assert await _status_of(tab) == "awaiting_approval"
                watching[complaint_id] = tab

            card = page.locator(f"#approval-{to_approve}")
            await card.locator("form.approve button").click()
            await expect(page.locator(".notice")).to_contain_text(f"Approved {to_approve}")
            card = page.locator(f"#approval-{to_reject}")
            await card.locator("form.reject input[name=reason]").fill("Photos first, please.")
            await card.locator("form.reject button").click()
            await expect(page.locator(".notice")).to_contain_text(f"Rejected {to_reject}")

            approved_tab, rejected_tab = watching[to_approve], watching[to_reject]
            await expect(approved_tab.locator('[data-status="closed"]')).to_be_visible()
            await expect(approved_tab.locator('[data-kind="approved"]')).to_contain_text(SUPERVISOR)
            await expect(rejected_tab.locator('[data-status="open"]')).to_be_visible()
            await expect(rejected_tab.locator('[data-kind="rejected"]')).to_contain_text(
                "Photos first, please."
            )
            await check_page(approved_tab, "04-complaint-approved-en", checked)
            await check_page(rejected_tab, "04-complaint-rejected-en", checked)

            # A complaint whose undo a provider refused waits for a person: it comes first.
            stuck = make_view(
                needs_person=True, classification=make_classification(tier=Tier.CRITICAL)
            )
            with api.sessions() as session:
                project_complaint(session, projection=make_projection(stuck))
            await page.click("nav a[href='/console/escalations']")
            await expect(page.locator("#tier-critical")).to_contain_text(to_reject)
            first = page.locator("#tier-critical tbody tr").first
            await expect(first).to_contain_text(stuck.complaint_id)
            await expect(first.locator(".badge.needs-person")).to_have_text("Needs a person")
            await check_page(page, "03-escalations-en", checked)

            # The language switcher turns the console Chinese, and it stays so.
            await page.goto("/console/approvals")
            await page.click("a[hreflang=zh-CN]")
            await expect(page.locator("h1")).to_have_text("审批收件箱")
            await expect(page.locator(f"#approval-{still_pending}")).to_contain_text("批准")
            await check_page(page, "05-approvals-zh-CN", checked)
            await page.click("nav a[href='/console/escalations']")
            await expect(page.locator(".badge.needs-person").first).to_have_text("需人工处理")
            await expect(page.locator("h1")).to_have_text("升级看板")
            await check_page(page, "06-escalations-zh-CN", checked)

            # The analytics page draws four weeks of complaints and returns; the language is
            # still Chinese.
            seed_busy_weeks(api.sessions, last_day=business_today())
            seed_busy_returns(api.sessions, last_day=business_today())
            await page.click("nav a[href='/console/analytics']")
            await expect(page.locator("h1")).to_have_text("投诉数据分析")
            for section in ("#trend", "#breakdowns", "#service-levels", "#satisfaction"):
                await expect(page.locator(f"{section} svg").first).to_be_visible()
            await expect(page.locator("#scoreboard-agents tbody tr").first).to_be_visible()
            await expect(page.locator("#return-rates svg.bars")).to_have_count(4)
            # Returns over time: a column a day of the four weeks, stacked by outcome.
            await expect(page.locator("#returns-over-time svg").first).to_be_visible()
            await expect(page.locator("#returns-over-time")).to_contain_text("未结算")
            await expect(page.locator("#return-settlements tbody tr").first).to_be_visible()
            await expect(page.locator("#return-claims tfoot")).to_contain_text("全部承运商")
            await check_page(page, "07-analytics-zh-CN", checked)
            await page.click("a[hreflang=en]")
            await expect(page.locator("h1")).to_have_text("Complaint analytics")
            await expect(page.locator("#returns h2")).to_have_text("Returns")
            await check_page(page, "08-analytics-en", checked)
        finally:
            await browser.close()

    # The API tells the same story.
    approved = (await api.http.get(f"/complaints/{to_approve}")).json()
    assert approved["status"] == "closed"
    assert [c["kind"] for c in approved["compensations"]] == ["refund"]
    decision = next(e for e in approved["timeline"] if e["kind"] == "approved")
    assert decision["actor"] == SUPERVISOR
    rejected = (await api.http.get(f"/complaints/{to_reject}")).json()
    assert rejected["status"] == "open" and rejected["compensations"] == []
    decision = next(e for e in rejected["timeline"] if e["kind"] == "rejected")
    assert (decision["actor"], decision["detail"]) == (SUPERVISOR, "Photos first, please.")
    pending = (await api.http.get(f"/complaints/{still_pending}")).json()
    assert pending["status"] == "awaiting_approval"

    print_checked(capsys, "console pages at 1366x768", checked)
