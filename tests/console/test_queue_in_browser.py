"""An agent's queue in a real browser, in English and Chinese, on a laptop's screen
(1366x768): the most urgent complaint first, searching with the keyboard alone, a row's
link opening the complaint, the list refreshing itself without losing the search, the
team queue; every page fits the width and axe-core finds no serious or critical
accessibility violation on it.

Screenshots land in test-artifacts/console/ (queue-*.png). Chromium comes from
`scripts/chromium-for-tests` (REDRESS_TEST_CHROMIUM) and axe-core from
`scripts/axe-for-tests` (REDRESS_TEST_AXE); without either, this test skips and says why.
"""

from datetime import timedelta
from typing import Any

import pytest
from playwright.async_api import expect

from domain.access import Role
from domain.complaints import ComplaintView, SlaClock
from store.complaints import project_complaint
from tests.api.support import Api
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff
from tests.factories import OPENED_AT, make_intake, make_projection, make_routing, make_view

AGENT = "agent-quality-1"
# The queue refreshes every 15 s; a refresh or two fits well inside this.
WAIT_MS = 40_000

pytestmark = needs_chromium_and_axe


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
    checked: list[str] = []

    async with signed_in_on_a_laptop(base_url, AGENT, "/console/queue", timeout_ms=WAIT_MS) as page:
        rows = page.locator("table.queue tbody tr")
        await expect(rows).to_have_count(3)
        await expect(rows.first).to_have_attribute("data-complaint", urgent.complaint_id)
        await expect(rows.first.locator(".badge.breached")).to_have_text("Breached")
        await expect(page.locator("nav.main-nav")).to_contain_text("My queue 3")
        await check_page(page, "queue-01-my-queue-en", checked)

        # The keyboard alone: Tab to the search box, type, Enter, Tab to a row's link.
        await page.locator("body").focus()
        await tab_to(page, "#queue-search")
        await page.keyboard.type("blender")
        await page.keyboard.press("Enter")
        await expect(rows).to_have_count(2)
        assert "q=blender" in page.url
        await check_page(page, "queue-02-search-en", checked)
        await tab_to(page, "table.queue a[href^='/console/complaints/']")
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
        await expect(page.locator(f'tr[data-complaint="{teammate.complaint_id}"]')).to_be_visible()
        await check_page(page, "queue-03-team-en", checked)

        # In Chinese: search a two-character word, by keyboard again.
        await page.goto("/console/queue?lang=zh-CN")
        await expect(page.locator("h1")).to_have_text("我的队列")
        await page.locator("body").focus()
        await tab_to(page, "#queue-search")
        await page.keyboard.type("包裹")
        await page.keyboard.press("Enter")
        await expect(rows).to_have_count(1)
        await expect(rows.first).to_have_attribute("data-complaint", parcel.complaint_id)
        await check_page(page, "queue-04-search-zh-CN", checked)
        await page.click("nav a[href='/console/queue/team']")
        await expect(page.locator("h1")).to_have_text("团队队列：quality")
        await check_page(page, "queue-05-team-zh-CN", checked)

    print_checked(capsys, "queue pages at 1366x768", checked)
