"""The duplicates panel in a real browser, on a laptop's screen (1366x768): a supervisor
opens a complaint linked at intake to two more about the same order; choosing the one that
closed meanwhile is refused on the page; merging into the other, with the keyboard alone,
lands on the survivor's page, which says what was merged in. Every page, in English and
in Chinese, fits the width and axe-core finds no serious or critical violation on it.

Screenshots land in test-artifacts/console/merge-*.png.
"""

import pytest
from playwright.async_api import expect

from domain.access import Role
from tests.api.support import Api, intake
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff
from tests.console.workspace_support import open_complaint

SUPERVISOR = "sup-merge-browser"
WAIT_MS = 30_000

pytestmark = needs_chromium_and_axe


async def _close(api: Api, complaint_id: str) -> None:
    apology = {"compensations": [], "message": "Sorry.", "root_cause": "supplier_defect"}
    close = {"action": {"type": "propose_resolution", "proposal": apology}}
    answer = await api.http.post(f"/complaints/{complaint_id}/actions", json=close)
    assert answer.status_code == 200, answer.text
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "closed")


async def test_a_supervisor_merges_a_duplicate_by_keyboard_in_both_languages(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    add_staff(api, SUPERVISOR, Role.SUPERVISOR)
    body = intake()
    first = await open_complaint(api, **body)
    second = await open_complaint(api, **intake(body["customer"]["id"], order=body["order"]))
    third = await open_complaint(api, **intake(body["customer"]["id"], order=body["order"]))
    await api.wait_for_view(
        first.complaint_id,
        lambda view: view["duplicates"] == [second.complaint_id, third.complaint_id],
    )
    checked: list[str] = []

    async with signed_in_on_a_laptop(base_url, SUPERVISOR, first.page, timeout_ms=WAIT_MS) as page:
        panel = page.locator("#duplicates")
        await expect(panel.locator("[data-link=duplicates]")).to_contain_text(second.complaint_id)
        await check_page(page, "merge-01-linked-en", checked)

        # The third complaint closes while the page is open: choosing it is refused.
        await _close(api, third.complaint_id)
        # From the panel's first link, Tab reaches the choice, the arrow keys move it,
        # and Tab reaches the button: the form is worked by keyboard alone.
        await page.focus("#duplicates dd a")
        await tab_to(page, "input[name=into]")
        await page.keyboard.press("ArrowDown")
        await expect(page.locator(f"input[value='{third.complaint_id}']")).to_be_checked()
        await tab_to(page, ".merge-form button[type=submit]")
        await page.keyboard.press("Enter")
        refusal = page.locator("#merge-problem")
        await expect(refusal).to_have_attribute("data-problem", "merge_refused_survivor_closed")
        await expect(refusal).to_contain_text(f"Complaint {third.complaint_id} is closed")
        await check_page(page, "merge-02-refused-en", checked)

        await page.focus("#duplicates dd a")
        await tab_to(page, f"input[name=into][value='{second.complaint_id}']")
        await expect(page.locator("input[name=into]:focus")).to_be_checked()
        await tab_to(page, ".merge-form button[type=submit]")
        await page.keyboard.press("Enter")

        await expect(page).to_have_url(
            f"{base_url}{second.page}?merged={first.complaint_id}#duplicates"
        )
        await expect(page.locator(f"[data-merged='{first.complaint_id}']")).to_be_visible()
        await expect(page.locator("[data-link=merged-from]")).to_contain_text(first.complaint_id)
        await check_page(page, "merge-03-survivor-en", checked)

        await page.goto(f"{second.page}?lang=zh-CN")
        await expect(page.locator("#duplicates-title")).to_have_text("重复投诉")
        await check_page(page, "merge-04-survivor-zh", checked)
        await page.goto(first.page)
        await expect(page.locator("[data-link=merged-into]")).to_contain_text(second.complaint_id)
        await expect(page.locator(".merge-form")).to_have_count(0)
        await check_page(page, "merge-05-merged-zh", checked)

    print_checked(capsys, "Duplicates panel", checked)
