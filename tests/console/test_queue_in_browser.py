"""An agent's queue in a real browser, in English and Chinese, on a laptop's screen
(1366x768): the most urgent complaint first, searching with the keyboard alone, a row's
link opening the complaint, the list refreshing itself without losing the search, the
team queue; every page fits the width and axe-core finds no serious or critical
accessibility violation on it.

Screenshots land in test-artifacts/console/ (queue-*.png). Chromium comes from
`scripts/chromium-for-tests` (REDRESS_TEST_CHROMIUM) and axe-core from
`scripts/axe-for-tests` (REDRESS_TEST_AXE); without either, this test skips and says why.
"""

import os
from datetime import timedelta
from typing import Any

import pytest
from playwright.async_api import Page, async_playwright, expect

from domain.access import Role
from domain.complaints import ComplaintView, SlaClock
from store.complaints import project_complaint
from tests.api.support import Api
from tests.console.support import PASSWORD, add_staff
from tests.console.test_console_in_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS
from tests.factories import OPENED_AT, make_intake, make_projection, make_routing, make_view

AXE = os.environ.get("REDRESS_TEST_AXE", "")
AGENT = "agent-quality-1"
LAPTOP = {"width": 1366, "height": 768}
# The queue refreshes every 15 s; a refresh or two fits well inside this.
WAIT_MS = 40_000
# Violations at these impacts fail the test; moderate and minor ones are listed.
FAILING_IMPACTS = {"serious", "critical"}
MAX_TABS = 40

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM,
        reason="no Chromium: REDRESS_TEST_CHROMIUM is empty (`make test` sets it from "
        "scripts/chromium-for-tests)",
    ),
    pytest.mark.skipif(
        not AXE,
        reason="no axe-core: REDRESS_TEST_AXE is empty (`make test` sets it from "
        "scripts/axe-for-tests, which needs npm)",
    ),
]


def _complaint(description: str, hours_left: float, **overrides: Any) -> ComplaintView:
    clock = SlaClock(
        name="resolution",
        budget_seconds=72 * 3600,
        running_since=OPENED_AT,
        due_at=OPENED_AT + timedelta(hours=hours_left),
    )
    return make_view(
        assignee=AGENT,
        routing=make_routing(team="quality", agent_id=AGENT),
        intake=make_intake(description=description),
        resolution=clock,
        **overrides,
    )


def _store(api: Api, *views: ComplaintView) -> None:
    with api.sessions() as session:
        for view in views:
            project_complaint(session, projection=make_projection(view))


async def _check_page(page: Page, name: str, checked: list[str]) -> None:
    """Screenshots the page, checks it fits the laptop's width, and runs axe-core on it."""
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    widths = await page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name} scrolls sideways: {widths}"
    await page.add_script_tag(path=AXE)
    results = await page.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => ({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' '))})), passes: r.passes.length}))"
    )
    failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    assert failing == [], f"{name}: {failing}"
    others = ", ".join(f"{v['id']} ({v['impact']})" for v in results["violations"]) or "none"
    checked.append(
        f"{name}: {results['passes']} axe rules passed, no serious or critical violation "
        f"(lesser: {others}); width {widths[0]} <= {widths[1]} px"
    )


async def _tab_to(page: Page, selector: str) -> None:
    """Presses Tab until the element matching `selector` has the focus."""
    for _ in range(MAX_TABS):
        await page.keyboard.press("Tab")
        if await page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {selector}")


async def test_an_agent_works_the_queue_by_keyboard_in_both_languages(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    add_staff(api, AGENT, Role.AGENT, locale="en")
    urgent = _complaint("The blender's motor smokes when switched on.", 2, sla_breached=True)
    parcel = _complaint("快递显示已签收，但我没有收到包裹。", 20)
    calm = _complaint("The lid of the blender is scratched; a small thing, no hurry at all.", 60)
    teammate = make_view(assignee="agent-quality-2", intake=make_intake(description="杯子有裂纹"))
    _store(api, urgent, parcel, calm, teammate)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    checked: list[str] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            # The console's CSP allows scripts from itself only; axe-core is injected.
            context = await browser.new_context(
                base_url=base_url, locale="en-GB", viewport=LAPTOP, bypass_csp=True
            )
            context.set_default_timeout(WAIT_MS)
            page = await context.new_page()
            await page.goto("/console/sign-in?next=/console/queue")
            await page.fill("input[name=user_id]", AGENT)
            await page.fill("input[name=password]", PASSWORD)
            await page.click("button[type=submit].primary")
            await expect(page).to_have_url(f"{base_url}/console/queue")

            rows = page.locator("table.queue tbody tr")
            await expect(rows).to_have_count(3)
            await expect(rows.first).to_have_attribute("data-complaint", urgent.complaint_id)
            await expect(rows.first.locator(".badge.breached")).to_have_text("Breached")
            await expect(page.locator("nav.main-nav")).to_contain_text("My queue 3")
            await _check_page(page, "queue-01-my-queue-en", checked)

            # The keyboard alone: Tab to the search box, type, Enter, Tab to a row's link.
            await page.locator("body").focus()
            await _tab_to(page, "#queue-search")
            await page.keyboard.type("blender")
            await page.keyboard.press("Enter")
            await expect(rows).to_have_count(2)
            assert "q=blender" in page.url
            await _check_page(page, "queue-02-search-en", checked)
            await _tab_to(page, "table.queue a[href^='/console/complaints/']")
            focused = await page.evaluate("document.activeElement.getAttribute('href')")
            assert focused == f"/console/complaints/{urgent.complaint_id}"

            # A new complaint that matches shows up by itself; the search stays put.
            searched_url = page.url
            newcomer = _complaint("Blender jar leaks at the base.", 1)
            _store(api, newcomer)
            arrived = page.locator(f'tr[data-complaint="{newcomer.complaint_id}"]')
            await expect(arrived).to_be_visible(timeout=WAIT_MS)
            assert page.url == searched_url
            await expect(page.locator("#queue-search")).to_have_value("blender")
            assert (
                await page.evaluate("document.activeElement.getAttribute('href')")
                == f"/console/complaints/{urgent.complaint_id}"
            ), "the refresh kept the focus"

            await page.keyboard.press("Enter")
            await expect(page).to_have_url(f"{base_url}/console/complaints/{urgent.complaint_id}")
            await page.go_back()

            # The team queue holds the teammate's complaint too.
            await page.click("nav a[href='/console/queue/team']")
            await expect(page.locator("h1")).to_have_text("Team queue: quality")
            await expect(
                page.locator(f'tr[data-complaint="{teammate.complaint_id}"]')
            ).to_be_visible()
            await _check_page(page, "queue-03-team-en", checked)

            # In Chinese: search a two-character word, by keyboard again.
            await page.goto("/console/queue?lang=zh-CN")
            await expect(page.locator("h1")).to_have_text("我的队列")
            await page.locator("body").focus()
            await _tab_to(page, "#queue-search")
            await page.keyboard.type("包裹")
            await page.keyboard.press("Enter")
            await expect(rows).to_have_count(1)
            await expect(rows.first).to_have_attribute("data-complaint", parcel.complaint_id)
            await _check_page(page, "queue-04-search-zh-CN", checked)
            await page.click("nav a[href='/console/queue/team']")
            await expect(page.locator("h1")).to_have_text("团队队列：quality")
            await _check_page(page, "queue-05-team-zh-CN", checked)
        finally:
            await browser.close()

    with capsys.disabled():
        print("\nqueue pages checked at 1366x768 with axe-core:")
        for line in checked:
            print(f"  {line}")
        print(f"screenshots: {SCREENSHOTS}")
