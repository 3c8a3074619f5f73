"""The mentions page in a real browser, on a laptop's screen (1366x768), in English and
in Chinese: a supervisor opens a complaint from a mention the detector passed over and
marks another, which opened a complaint, as not a complaint, reaching each form's button
by Tab and sending it with Enter (beside a post of one long word); both labels show with
who gave them, the new complaint opens, the other stays open. Every page fits the width
and axe-core finds no serious or critical violation on it.

Screenshots land in test-artifacts/console/mentions-*.png; Chromium and axe-core come
from the test scripts (tests/console/browser_support.py).
"""

import pytest
from playwright.async_api import Page, expect

from domain.access import Role
from tests.api.mention_support import COMPLAINT, report
from tests.api.support import Api
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff

SUPERVISOR = "sup-mentions-browser"
WAIT_MS = 30_000
# The rules detector passes over praise, and a question without a complaint's words.
PASSED_OVER = "@ShopSupport 你们的新店什么时候开业？很喜欢你们的东西，谢谢！"
# Nothing a post or its author holds may push the page wider than the screen.
UNBROKEN = "@ShopSupport_" + "refund" * 60

pytestmark = needs_chromium_and_axe


async def _send_by_keyboard(page: Page, form: str, mention_id: str) -> None:
    """From the top of the page, reaches the mention's `form` button by Tab alone and
    sends it with Enter; waits for the list to show the label."""
    await page.locator("body").focus()
    await tab_to(page, f"form.{form}[data-mention='{mention_id}'] button")
    await page.keyboard.press("Enter")
    await expect(page.locator(f"div.notice[data-mention='{mention_id}']")).to_be_visible()


async def test_a_supervisor_labels_mentions_by_keyboard_in_both_languages(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    add_staff(api, SUPERVISOR, Role.SUPERVISOR, locale="en")
    await report(api, UNBROKEN, author_handle="@" + "long_handle" * 9)
    opened = await report(api, COMPLAINT)
    passed = await report(api, PASSED_OVER, author_handle="@小林", channel="weibo")
    assert opened["complaint_id"] and passed["complaint_id"] is None
    await api.wait_for_view(opened["complaint_id"], lambda view: view["status"] == "open")
    checked: list[str] = []

    async with signed_in_on_a_laptop(
        base_url, SUPERVISOR, "/console/mentions", timeout_ms=WAIT_MS
    ) as page:
        rows = page.locator("table.mentions tbody tr")
        await expect(rows).to_have_count(3)
        await expect(page.locator("nav.main-nav")).to_contain_text("Mentions")
        passed_row = page.locator(f"tr[data-mention='{passed['mention_id']}']")
        await expect(passed_row).to_contain_text("Passed over")
        await expect(passed_row).to_contain_text("On weibo by @小林")
        await check_page(page, "mentions-01-list-en", checked)

        await _send_by_keyboard(page, "open-complaint", passed["mention_id"])
        await expect(page.locator(".notice")).to_contain_text("a complaint. Its complaint:")
        await expect(passed_row).to_have_attribute("data-label", "complaint")
        await expect(passed_row).to_contain_text(f"By {SUPERVISOR}")
        new_complaint = passed_row.locator("a.complaint-link")
        await expect(new_complaint).to_have_count(1)
        await check_page(page, "mentions-02-opened-en", checked)

        await _send_by_keyboard(page, "not-a-complaint", opened["mention_id"])
        opened_row = page.locator(f"tr[data-mention='{opened['mention_id']}']")
        await expect(opened_row).to_have_attribute("data-label", "not_complaint")
        await expect(page.locator(".notice")).to_contain_text("left as it is")
        await check_page(page, "mentions-03-not-a-complaint-en", checked)

        # In Chinese: the labelled ones, chosen with the filter.
        await page.goto("/console/mentions?lang=zh-CN")
        await expect(page.locator("h1")).to_have_text("社媒提及")
        await expect(page.locator("nav.main-nav")).to_contain_text("社媒提及")
        await check_page(page, "mentions-04-list-zh-CN", checked)
        await page.select_option("select[name=decision]", "labelled")
        await page.locator(".queue-filters button[type=submit]").press("Enter")
        await expect(page).to_have_url(f"{base_url}/console/mentions?decision=labelled")
        await expect(rows).to_have_count(2)
        await expect(opened_row).to_contain_text("不是投诉")
        await expect(passed_row).to_contain_text("是投诉")
        await check_page(page, "mentions-05-labelled-zh-CN", checked)
        complaint_href = await new_complaint.get_attribute("href")

    assert complaint_href is not None
    new_id = complaint_href.rsplit("/", 1)[1]
    view = await api.wait_for_view(new_id, lambda view: view["status"] == "open")
    assert view["intake"]["channel"] == "social" and view["intake"]["description"] == PASSED_OVER
    kept = (await api.http.get(f"/complaints/{opened['complaint_id']}")).json()
    assert kept["status"] != "closed"
    labels = (await api.http.get("/mentions", params={"decision": "labelled"})).json()
    assert {(item["mention_id"], item["label"]["is_complaint"]) for item in labels["items"]} == {
        (passed["mention_id"], True),
        (opened["mention_id"], False),
    }
    print_checked(capsys, "mentions pages at 1366x768", checked)
