"""Returns in a real browser on a laptop's screen (1366x768).

From the courier to the warehouse to the refund: the sandbox courier's simulator carries
two returns to the warehouse through the API's signed webhook; a warehouse user signs
in, sees the inspection queue and nothing else, and inspects the first with the keyboard
alone, accepting one pair of two, with two photos of the parcel that the page then shows
inline; the refund runs and shows on the return's page and on the customer's own page.
The second is inspected in Chinese, after two refusals shown in Chinese (no verdict; a
program sent as a photo, naming the field). And a supervisor's pages: the queues, a
return under review and one whose settlement waits for a retry, in both languages.
Every page fits the width and axe-core finds no serious or critical violation.

Screenshots land in test-artifacts/console/returns-*.png; Chromium and axe-core come from
the test scripts (tests/console/browser_support.py).
"""

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PIL import Image
from playwright.async_api import FilePayload, Page, expect

from domain.access import Role
from domain.returns import ReturnStatus
from store.returns import project_return
from tests.api import test_return_end_to_end
from tests.api.returns_support import create_return, wait_for_status
from tests.api.support import Api
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.return_support import open_for_review, projected, two_pairs_request
from tests.console.support import add_staff
from tests.customer.support import path_of
from tests.return_factories import make_return_projection, make_return_view


def _photo(name: str, colour: tuple[int, int, int]) -> FilePayload:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(buffer, format="JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


SOLE, HEEL = _photo("sole.jpg", (120, 80, 40)), _photo("heel.jpg", (40, 80, 120))
# The start of a Windows program, named like a photo.
PROGRAM_AS_PHOTO: FilePayload = {
    "name": "setup.jpg",
    "mimeType": "image/jpeg",
    "buffer": b"MZ\x90\x00\x03" + bytes(200),
}
WAREHOUSE = "wh-returns-browser"
SUPERVISOR = "sup-returns-browser"
WAIT_MS = 30_000

pytestmark = needs_chromium_and_axe

# The API served with real workers and the sandbox courier's simulator posting every
# parcel's scans to its webhook, a step every 0.3 s: the return end-to-end test's fixture.
couriered_api = test_return_end_to_end.served_api


async def _opened(api: Api, name: str) -> dict[str, Any]:
    """Opens a return of two pairs of shoes; returns the API's answer (id, customer link)."""
    body = two_pairs_request()
    body["customer"]["name"] = name
    created = await create_return(api, body)
    assert created.status_code == 201, created.text
    answer: dict[str, Any] = created.json()
    return answer


async def _fill_inspection_by_keyboard(page: Page, note: str) -> None:
    """Fills the open return's inspection form with the keyboard alone, from the top of
    the page: the verdict (one arrow key from "accepted in full" to "partly accepted"),
    one pair of two accepted, the root cause (arrow keys), a note; sends it with Enter."""
    await page.locator("body").focus()
    await tab_to(page, "input[name=verdict]")
    await page.keyboard.press("ArrowRight")
    await expect(page.locator("#verdict-partial")).to_be_checked()
    await tab_to(page, "#accepted-1")
    await page.keyboard.press("Control+A")
    await page.keyboard.type("1")
    await tab_to(page, "#inspection-root-cause")
    for _ in range(3):  # Not known, order error, picking error, packing
        await page.keyboard.press("ArrowDown")
    await expect(page.locator("#inspection-root-cause")).to_have_value("packing")
    await tab_to(page, "#inspection-note")
    await page.keyboard.type(note)
    await tab_to(page, ".inspection-form button[type=submit]")
    await page.keyboard.press("Enter")


async def test_the_warehouse_inspects_a_couriered_return_and_the_customer_sees_the_refund(
    couriered_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = couriered_api
    base_url = str(api.http.base_url)
    first = await _opened(api, "Ana Li")
    second = await _opened(api, "Wang Fang")
    for opened in (first, second):
        await wait_for_status(api, opened["return_id"], "awaiting_inspection")
        await projected(api, opened["return_id"], "awaiting_inspection")
    add_staff(api, WAREHOUSE, Role.WAREHOUSE, locale="en")
    first_id, second_id = first["return_id"], second["return_id"]
    checked: list[str] = []

    async with signed_in_on_a_laptop(
        base_url, WAREHOUSE, "/console/returns", timeout_ms=WAIT_MS
    ) as page:
        # The inspection queue, and nothing else in the navigation.
        await expect(page.locator("nav.main-nav a")).to_have_count(1)
        await expect(page.locator("nav.main-nav a")).to_have_text("Returns")
        await expect(page.locator(".return-queues a")).to_have_count(1)
        await expect(page.locator(".return-queues a")).to_contain_text("Awaiting inspection 2")
        await expect(page.locator("table.returns tbody tr")).to_have_count(2)
        await check_page(page, "returns-01-inspection-queue-en", checked)

        # To the return by Tab alone, then its form.
        await page.locator("body").focus()
        await tab_to(page, f"a.return-link[href='/console/returns/{first_id}']")
        await page.keyboard.press("Enter")
        await expect(page.locator(".inspection-form")).to_be_visible()
        await check_page(page, "returns-02-return-en", checked)
        # Two photos of the parcel go with the inspection (a file chooser a test cannot
        # drive: the files are set on the field, as the chooser would).
        await page.set_input_files("#inspection-photos-input", [SOLE, HEEL])
        await _fill_inspection_by_keyboard(page, "One pair worn outdoors.")
        await expect(page.locator("[data-notice]")).to_contain_text("Inspection recorded")
        await expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "partial")
        photos = page.locator("[data-files=inspection] img")
        await expect(photos).to_have_count(2)
        for index in range(2):
            loaded = await photos.nth(index).evaluate("img => img.complete && img.naturalWidth")
            assert loaded == 160, "each thumbnail shows its photo"
        await check_page(page, "returns-03-inspected-en", checked)
        # The settlement runs; the live part of the page shows the refund when it is done.
        await expect(page.locator("[data-refunded]")).to_have_attribute(
            "data-refunded", "80.00", timeout=WAIT_MS
        )
        await expect(page.locator(".live [data-status]")).to_have_attribute(
            "data-status", "completed", timeout=WAIT_MS
        )
        await check_page(page, "returns-04-refunded-en", checked)

        # The other return in Chinese: a form sent without a verdict is refused in words.
        await page.goto("/console/returns?lang=zh-CN")
        await expect(page.locator("h1")).to_have_text("退货")
        await expect(page.locator("table.returns tbody tr")).to_have_count(1)
        await check_page(page, "returns-05-inspection-queue-zh-CN", checked)
        await page.locator(f"a.return-link[href='/console/returns/{second_id}']").click()
        await expect(page.locator("h2#return-inspection")).to_have_text("检验")
        await check_page(page, "returns-06-return-zh-CN", checked)
        await page.locator(".inspection-form button[type=submit]").click()
        await expect(page.locator("[data-problem]")).to_have_text("请为包裹选择检验结论。")
        await check_page(page, "returns-07-refused-zh-CN", checked)
        # A program named like a photo: refused in Chinese, naming the field.
        await page.locator("#verdict-accepted").check()
        await page.set_input_files("#inspection-photos-input", [PROGRAM_AS_PHOTO])
        await page.locator(".inspection-form button[type=submit]").click()
        await expect(page.locator("[data-problem]")).to_contain_text(
            "“包裹照片”：setup.jpg 不是照片"
        )
        await expect(page.locator("#inspection-photos-input")).to_have_attribute(
            "aria-invalid", "true"
        )
        await check_page(page, "returns-07b-photo-refused-zh-CN", checked)
        await _fill_inspection_by_keyboard(page, "鞋盒破损。")
        await expect(page.locator("[data-notice]")).to_contain_text("检验结果已记录")
        await expect(page.locator("[data-refunded]")).to_have_attribute(
            "data-refunded", "80.00", timeout=WAIT_MS
        )
        await check_page(page, "returns-08-refunded-zh-CN", checked)

        # The customer's own page, from the link Redress gave them, shows the refund.
        await page.goto(path_of(first["customer_url"]))
        await expect(page.locator("body")).to_contain_text("Refunded")
        await expect(page.locator("body")).to_contain_text("CN¥80.00")
        await check_page(page, "returns-09-customer-page-en", checked)

    for opened in (first, second):
        final = await wait_for_status(api, opened["return_id"], "completed")
        assert Decimal(final["refunded_total"]) == Decimal("80.00")
        assert final["inspection"]["inspector"] == WAREHOUSE
        assert final["inspection"]["lines"] == [{"sku": "SHOE-42", "accepted_quantity": 1}]
        assert final["root_cause"] == "packing"
        photos_named = len(final["inspection"]["photos"])
        assert photos_named == (2 if opened is first else 0)
    print_checked(capsys, "return pages at 1366x768", checked)


async def test_a_supervisor_reads_the_queues_a_review_and_a_retry_in_both_languages(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    review_id = await open_for_review(api)
    waiting = make_return_view(
        return_id="RWAITSFORPRSN",
        status=ReturnStatus.SETTLING,
        needs_person=True,
        settlements_run=1,
        created_at=datetime.now(UTC) - timedelta(days=3),
        updated_at=datetime.now(UTC),
    )
    with api.sessions() as session:
        project_return(session, projection=make_return_projection(waiting))
    add_staff(api, SUPERVISOR, Role.SUPERVISOR, locale="zh-CN")
    checked: list[str] = []

    async with signed_in_on_a_laptop(
        str(api.http.base_url), SUPERVISOR, "/console/returns?lang=en", timeout_ms=WAIT_MS
    ) as page:
        await expect(page.locator(".return-queues a")).to_have_count(6)
        await expect(page.locator(f'tr[data-return="{review_id}"]')).to_be_visible()
        await check_page(page, "returns-10-review-queue-en", checked)
        await page.locator(f"a.return-link[href='/console/returns/{review_id}']").click()
        await expect(page.locator(".review-form")).to_be_visible()
        await check_page(page, "returns-11-review-en", checked)
        await page.goto(f"/console/returns/{review_id}?lang=zh-CN")
        await expect(page.locator("#review-form-title")).to_have_text("审核决定")
        await check_page(page, "returns-12-review-zh-CN", checked)
        await page.goto("/console/returns?queue=needs_person")
        await expect(page.locator("table.returns tbody tr")).to_have_count(1)
        await check_page(page, "returns-13-needs-person-queue-zh-CN", checked)
        await page.goto(f"/console/returns/{waiting.return_id}")
        await expect(page.locator(".retry-form")).to_be_visible()
        await check_page(page, "returns-14-retry-zh-CN", checked)
        await page.goto(f"/console/returns/{waiting.return_id}?lang=en")
        await expect(page.locator("#retry-form-title")).to_have_text("Retry the settlement")
        await check_page(page, "returns-15-retry-en", checked)
    print_checked(capsys, "supervisor's return pages at 1366x768", checked)
