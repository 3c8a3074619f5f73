"""An iPhone's HEIC photo in a real browser: Chromium shows no HEIC, so a customer who
uploads one from their phone, and the supervisor who opens the complaint, see it through
its JPEG preview, decoded (`naturalWidth > 0`) and upright, with the original file linked
below it. axe-core finds no serious or critical violation on either page, in Chinese or
in English.

Screenshots land in test-artifacts/customer/ (heic-preview-*.png) and
test-artifacts/console/ (complaint-heic-preview-*.png). Chromium and axe-core come as
for the other browser tests (REDRESS_TEST_CHROMIUM, REDRESS_TEST_AXE); without either,
this test skips and says why.
"""

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page, async_playwright, expect

from domain.access import Role
from tests.api.support import Api, intake
from tests.console.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    check_page,
    needs_chromium_and_axe,
    print_checked,
    sign_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff
from tests.console.test_queue_in_browser import WAIT_MS
from tests.customer.test_evidence_in_browser import phone_page
from tests.photos import heic_photo

pytestmark = needs_chromium_and_axe

PHOTO = "IMG_0042.HEIC"
THUMBNAIL = f"[data-evidence='{PHOTO}'] img"


async def shown_thumbnail(page: Page) -> dict[str, Any]:
    """Returns the HEIC photo's thumbnail as the browser decoded it, once it has loaded:
    its address, its pixel size, and where its links go."""
    await expect(page.locator(THUMBNAIL)).to_be_visible()
    await page.wait_for_function(f"document.querySelector({THUMBNAIL!r}).complete")
    shown: dict[str, Any] = await page.evaluate(
        """selector => {
            const img = document.querySelector(selector);
            const item = img.closest('li');
            return {src: img.getAttribute('src'), width: img.naturalWidth,
                    height: img.naturalHeight, opens: img.closest('a').getAttribute('href'),
                    original: item.querySelector('a.original').getAttribute('href'),
                    originalText: item.querySelector('a.original').textContent};
        }""",
        THUMBNAIL,
    )
    return shown


def assert_decoded_upright_preview(shown: dict[str, Any], file_url: str) -> None:
    """Checks the thumbnail is the photo's preview, decoded by the browser and upright
    (the photo was stored sideways, 1200 x 800, with its orientation saying so)."""
    assert shown["src"] == f"{file_url}/preview"
    assert shown["width"] > 0 and (shown["width"], shown["height"]) == (320, 480)
    assert shown["opens"] == f"{file_url}/preview?size=large"
    assert (shown["original"], shown["originalText"]) == (file_url, PHOTO)


async def test_a_heic_photo_from_a_phone_shows_as_a_decoded_thumbnail_for_customer_and_staff(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    created = (await api.create(intake(description="台灯灯罩裂了，照片是手机拍的。"))).json()
    complaint_id = created["complaint_id"]
    await api.wait_for_view(complaint_id, lambda v: v["status"] == "open")
    page_path = urlsplit(created["customer_url"]).path
    add_staff(api, "sup-heic", Role.SUPERVISOR)
    checked: list[str] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = await phone_page(browser, base_url)
            await page.goto(f"{page_path}?lang=zh-CN")
            # The photo as the phone's camera roll hands it over, sent from the keyboard.
            await page.locator("input#photo").set_input_files(
                {"name": PHOTO, "mimeType": "image/heic", "buffer": heic_photo(1200, 800)}
            )
            await page.locator(".upload button[type=submit]").focus()
            await page.keyboard.press("Enter")
            await expect(page.locator("[data-notice=sent_evidence]")).to_be_visible()
            listed = await api.http.get(f"/complaints/{complaint_id}/evidence")
            [item] = listed.json()["items"]
            sha256 = item["sha256"]
            customer_file = f"{page_path}/evidence/{sha256}"
            assert_decoded_upright_preview(await shown_thumbnail(page), customer_file)
            await tab_to(page, f"[data-evidence='{PHOTO}'] a.original")
            await check_page(page, "../customer/heic-preview-zh-CN", checked)
            await page.click("a[hreflang=en]")
            await expect(page.locator("html")).to_have_attribute("lang", "en")
            assert_decoded_upright_preview(await shown_thumbnail(page), customer_file)
            await check_page(page, "../customer/heic-preview-en", checked)

            console = await sign_in_on_a_laptop(
                browser,
                base_url,
                "sup-heic",
                f"/console/complaints/{complaint_id}",
                timeout_ms=WAIT_MS,
            )
            staff_file = f"/complaints/{complaint_id}/evidence/{sha256}"
            assert_decoded_upright_preview(await shown_thumbnail(console), staff_file)
            # What the thumbnail opens is a JPEG the browser shows; the original is the
            # HEIC itself, offered as a download.
            large = await console.request.get(f"{staff_file}/preview?size=large")
            assert large.headers["content-type"] == "image/jpeg"
            original = await console.request.get(staff_file)
            assert original.headers["content-type"] == "image/heic"
            assert original.headers["content-disposition"].startswith("attachment;")
            await check_page(console, "complaint-heic-preview-en", checked)
            await console.goto(f"/console/complaints/{complaint_id}?lang=zh-CN")
            await expect(console.locator("html")).to_have_attribute("lang", "zh-CN")
            assert_decoded_upright_preview(await shown_thumbnail(console), staff_file)
            await check_page(console, "complaint-heic-preview-zh-CN", checked)
        finally:
            await browser.close()

    print_checked(capsys, "HEIC previews", checked)
