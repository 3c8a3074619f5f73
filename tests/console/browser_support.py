"""What the browser tests share: Chromium and axe-core from the test scripts, where
screenshots go, and the check every page of a browser test passes (it fits the width,
axe-core finds no serious or critical violation) plus reaching an element by Tab alone.

Chromium comes from `scripts/chromium-for-tests` (REDRESS_TEST_CHROMIUM) and axe-core
from `scripts/axe-for-tests` (REDRESS_TEST_AXE); `needs_chromium_and_axe` skips a test
without either and says why.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, ViewportSize, async_playwright, expect

from tests.console.support import PASSWORD

CHROMIUM = os.environ.get("REDRESS_TEST_CHROMIUM", "")
AXE = os.environ.get("REDRESS_TEST_AXE", "")
# What works for Debian's Chromium as root in a container, with no GPU and no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
# A laptop's screen: no console page may scroll sideways on it.
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
# Violations at these impacts fail the test; moderate and minor ones are listed.
FAILING_IMPACTS = {"serious", "critical"}
MAX_TABS = 40

needs_chromium = pytest.mark.skipif(
    not CHROMIUM,
    reason="no Chromium: REDRESS_TEST_CHROMIUM is empty (`make test` sets it from "
    "scripts/chromium-for-tests, which installs Debian's chromium when run as root)",
)
needs_axe = pytest.mark.skipif(
    not AXE,
    reason="no axe-core: REDRESS_TEST_AXE is empty (`make test` sets it from "
    "scripts/axe-for-tests, which needs npm)",
)
needs_chromium_and_axe = [needs_chromium, needs_axe]


async def sign_in_on_a_laptop(
    browser: Browser, base_url: str, user_id: str, start: str, *, timeout_ms: float
) -> Page:
    """Returns a page of a new context of `browser` (cookies of its own) at 1366x768
    (English), signed in as `user_id` (a staff user with PASSWORD) through the sign-in
    form and sent on to `start`."""
    # The console's CSP allows scripts from itself only; axe-core is injected.
    context = await browser.new_context(
        base_url=base_url, locale="en-GB", viewport=LAPTOP, bypass_csp=True
    )
    context.set_default_timeout(timeout_ms)
    page = await context.new_page()
    await page.goto(f"/console/sign-in?next={start}")
    await page.fill("input[name=user_id]", user_id)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit].primary")
    await expect(page).to_have_url(f"{base_url}{start}")
    return page


@asynccontextmanager
async def signed_in_on_a_laptop(
    base_url: str, user_id: str, start: str, *, timeout_ms: float
) -> AsyncIterator[Page]:
    """Yields a page of a headless Chromium signed in as `user_id` and sent on to `start`
    (`sign_in_on_a_laptop`)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield await sign_in_on_a_laptop(
                browser, base_url, user_id, start, timeout_ms=timeout_ms
            )
        finally:
            await browser.close()


async def check_page(page: Page, name: str, checked: list[str]) -> None:
    """Screenshots the page as `name`.png, checks it fits the window's width, and runs
    axe-core on it (the context needs `bypass_csp=True`: the console allows its own
    scripts only); appends what was found to `checked`."""
    shot = SCREENSHOTS / f"{name}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(shot), full_page=True)
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


async def tab_to(page: Page, selector: str) -> None:
    """Presses Tab until the element matching `selector` has the focus."""
    for _ in range(MAX_TABS):
        await page.keyboard.press("Tab")
        if await page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {selector}")


async def unfold_form(page: Page, form: str) -> None:
    """Unfolds the complaint workspace's form `form` (its summary toggles it)."""
    details = page.locator(f"details#form-{form}")
    if await details.get_attribute("open") is None:
        await details.locator("summary").click()
    await expect(details).to_have_attribute("open", "")


def print_checked(capsys: pytest.CaptureFixture[str], what: str, checked: list[str]) -> None:
    """Prints the pages checked, for the test's log."""
    with capsys.disabled():
        print(f"\n{what} checked with axe-core:")
        for line in checked:
            print(f"  {line}")
        print(f"screenshots: {SCREENSHOTS}")
