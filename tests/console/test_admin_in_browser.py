"""The admin pages in a real browser, on a laptop's screen (1366x768), by the keyboard: an
admin creates an agent in the quality team, issues them a key (shown once, gone when the
page is opened again), sets the agent away, switches the team to China's official
calendar and goes back a month to October 2026, where Golden Week's holidays and the
Saturday worked for them are marked. Every page fits the width and axe-core finds no
serious or critical violation, in English and in Chinese.

Screenshots land in test-artifacts/console/admin-*.png; Chromium and axe-core come from
the test scripts (tests/console/browser_support.py).
"""

import pytest
from playwright.async_api import Page, expect

from domain.access import Role
from domain.official_calendars import office_calendar
from store.tables.teams import Agent
from store.teams import team_calendar
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

ADMIN = "ops-admin-browser"
WAIT_MS = 30_000
CALENDAR = "/console/admin/teams/quality/calendar"

pytestmark = needs_chromium_and_axe


async def type_into(page: Page, selector: str, text: str) -> None:
    """Tabs to the field, clears it and types `text`."""
    await tab_to(page, selector)
    await page.keyboard.press("Control+A")
    await page.keyboard.type(text)


async def press_on(page: Page, selector: str) -> None:
    await tab_to(page, selector)
    await page.keyboard.press("Enter")


async def test_an_admin_sets_up_an_agent_and_a_calendar_by_keyboard(
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
        await check_page(page, "admin-01-staff-en", checked)

        # A new agent for the quality team, typed and chosen with the keyboard alone.
        await type_into(page, "#new-user-id", "agent-lin")
        await type_into(page, "#new-name", "Lin Wei")
        await type_into(page, "#new-email", "lin.wei@example.com")
        await tab_to(page, "#new-team")
        await page.keyboard.type("quality")
        await expect(page.locator("#new-team")).to_have_value("quality")
        await type_into(page, "#new-reason", "joins the quality desk")
        await press_on(page, "form[action='/console/admin/staff'] button[type=submit]")
        await expect(page.locator("h1")).to_have_text("Staff user agent-lin")
        await expect(page.locator("[data-secret=password] .secret-value")).to_be_visible()
        await check_page(page, "admin-02-agent-created-en", checked)

        await type_into(page, "#key-label", "desk app")
        await press_on(page, "form[action$='/keys'] button[type=submit]")
        key = page.locator("[data-secret=key] .secret-value")
        await expect(key).to_contain_text("rdk_")
        token = (await key.text_content() or "").strip()
        await check_page(page, "admin-03-key-shown-once-en", checked)
        # Opened again, the page lists the key by its id and never shows it.
        await page.goto("/console/admin/staff/agent-lin")
        await expect(page.locator("tr[data-key][data-state=working]")).to_have_count(1)
        assert token not in await page.content()
        async with api.client_with_token(token) as with_key:
            assert (await with_key.get("/complaints")).status_code == 200

        await press_on(page, "nav.admin-nav a[href='/console/admin/teams']")
        await expect(page.locator("h1")).to_have_text("Teams and agents")
        row = page.locator("#member-agent-lin")
        await expect(row).to_have_attribute("data-state", "taking")
        await press_on(page, "#member-agent-lin summary")
        await type_into(page, "#away-reason-agent-lin", "annual leave")
        await press_on(page, "form[action$='/agent-lin/away'] button[type=submit]")
        await expect(page.locator("[data-done=admin_done_agent_away]")).to_be_visible()
        await expect(row).to_have_attribute("data-state", "away")
        await check_page(page, "admin-04-agent-away-en", checked)

        # The calendar page, a month after October; the official calendar saved there.
        await page.goto(f"{CALENDAR}?month=2026-11")
        await type_into(page, "#official-years", "2026")
        await type_into(page, "#official-reason", "office hours from now on")
        await press_on(page, "form:has(input[value=official]) button.primary")
        await expect(page.locator("[data-done=admin_done_calendar_set]")).to_be_visible()
        await expect(page.locator("dl[data-calendar]")).to_have_attribute(
            "data-calendar", "cn-office-hours"
        )
        await press_on(page, "a[rel=prev]")
        await expect(page.locator("h2#month")).to_have_text("October 2026")
        holidays = page.locator("td[data-kind=holiday]")
        await expect(holidays).to_have_count(6)
        await expect(page.locator("td[data-day='2026-10-01']")).to_contain_text("National Day")
        made_up = page.locator("td[data-kind=make_up]")
        await expect(made_up).to_have_count(1)
        await expect(made_up).to_have_attribute("data-day", "2026-10-10")
        await expect(made_up).to_contain_text("Make-up working day")
        await check_page(page, "admin-05-october-en", checked)

        await page.goto(f"{CALENDAR}?month=2026-10&lang=zh-CN")
        await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        await expect(page.locator("h2#month")).to_have_text("2026年10月")
        await expect(page.locator("td[data-day='2026-10-01']")).to_contain_text("国庆节")
        await expect(page.locator("td[data-day='2026-10-10']")).to_contain_text("调休上班")
        await check_page(page, "admin-06-october-zh", checked)
        await page.goto("/console/admin/teams")
        await expect(page.locator("#member-agent-lin")).to_contain_text("不在岗")
        await check_page(page, "admin-07-teams-zh", checked)
        await page.goto("/console/admin/staff/agent-lin")
        await expect(page.locator("h1")).to_have_text("员工 agent-lin")
        await check_page(page, "admin-08-agent-zh", checked)

    with api.sessions() as session:
        agent = session.get(Agent, "agent-lin")
        calendar = team_calendar(session, team="quality")
    assert agent is not None and (agent.team, agent.active) == ("quality", False)
    assert calendar == office_calendar("cn", [2026])
    assert [(e.action, e.reason) for e in trail(api)] == [
        ("calendar_set", "office hours from now on"),
        ("agent_away", "annual leave"),
        ("key_issued", ""),
        ("agent_added", "joins the quality desk"),
        ("user_created", "joins the quality desk"),
    ]
    print_checked(capsys, "Admin pages", checked)
