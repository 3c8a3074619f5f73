"""Photos in a real browser: a customer on a phone-sized Chromium uploads a photo of the
broken item on their case page and sees it come back as a thumbnail; a renamed program is
refused on the page in words, nothing kept; a supervisor finds the photo on the console's
complaint page. axe-core finds no serious or critical violation on either page.

Screenshots land in test-artifacts/customer/ (evidence-*.png) and test-artifacts/console/
(complaint-evidence.png). Chromium and axe-core come as for the other browser tests
(REDRESS_TEST_CHROMIUM, REDRESS_TEST_AXE); without either, this test skips and says why.
"""

from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from domain.access import Role
from store.evidence import case_evidence
from tests.api.support import Api, intake
from tests.console.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LAPTOP,
    check_page,
    needs_chromium_and_axe,
)
from tests.console.browser_support import SCREENSHOTS as CONSOLE_SCREENSHOTS
from tests.console.support import PASSWORD, add_staff
from tests.console.test_queue_in_browser import WAIT_MS
from tests.customer.test_customer_in_browser import PHONE, SCREENSHOTS
from tests.store.test_evidence_sniffing import PROGRAM, image_bytes

pytestmark = needs_chromium_and_axe


async def phone_page(browser: Browser, base_url: str) -> Page:
    """Returns a page of a new context of `browser` as a phone in Chinese would open the
    customer's page (axe-core is injected: the page's CSP allows no script at all)."""
    phone = await browser.new_context(
        base_url=base_url,
        locale="zh-CN",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    phone.set_default_timeout(WAIT_MS)
    return await phone.new_page()


async def _loaded_images(page: Page) -> list[str]:
    """Returns the alt text of every evidence thumbnail the browser decoded, once each one
    has finished loading (a visible <img> may still be fetching its file)."""
    await page.wait_for_function(
        "[...document.querySelectorAll('.evidence-list img')].every(i => i.complete)"
    )
    names: list[str] = await page.evaluate(
        "[...document.querySelectorAll('.evidence-list img')]"
        ".filter(i => i.complete && i.naturalWidth > 0).map(i => i.alt)"
    )
    return names


async def test_a_customer_uploads_a_photo_from_a_phone_and_staff_see_it(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    created = (await api.create(intake(description="台灯灯罩裂了，快递盒也压坏了。"))).json()
    complaint_id = created["complaint_id"]
    await api.wait_for_view(complaint_id, lambda v: v["status"] == "open")
    page_path = urlsplit(created["customer_url"]).path
    add_staff(api, "sup-photos", Role.SUPERVISOR)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    CONSOLE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    checked: list[str] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = await phone_page(browser, base_url)
            await page.goto(f"{page_path}?lang=zh-CN")
            photo_input = page.locator("input#photo")
            assert await photo_input.get_attribute("accept") == "image/*"
            assert await photo_input.get_attribute("capture") == "environment"

            # A program renamed photo.jpg: refused on the page, in Chinese, nothing kept.
            await photo_input.set_input_files(
                {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": PROGRAM}
            )
            await page.locator(".upload button[type=submit]").focus()
            await page.keyboard.press("Enter")
            problem = page.locator("[data-problem=evidence_type_not_accepted]")
            await expect(problem).to_contain_text("无法接收该文件")
            await check_page(page, "../customer/evidence-refused", checked)

            # A real photo, chosen and sent from the keyboard.
            await page.locator("input#photo").set_input_files(
                {"name": "灯罩.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")}
            )
            await page.locator(".upload button[type=submit]").focus()
            await page.keyboard.press("Enter")
            await expect(page.locator("[data-notice=sent_evidence]")).to_be_visible()
            await expect(page.locator("[data-evidence='灯罩.jpg'] img")).to_be_visible()
            assert await _loaded_images(page) == ["灯罩.jpg"]
            await expect(page.locator("li[data-kind=evidence_added]")).to_contain_text("灯罩.jpg")
            await check_page(page, "../customer/evidence-uploaded", checked)

            laptop = await browser.new_context(
                base_url=base_url, locale="en-GB", viewport=LAPTOP, bypass_csp=True
            )
            laptop.set_default_timeout(WAIT_MS)
            console = await laptop.new_page()
            await console.goto(f"/console/sign-in?next=/console/complaints/{complaint_id}")
            await console.fill("input[name=user_id]", "sup-photos")
            await console.fill("input[name=password]", PASSWORD)
            await console.keyboard.press("Enter")
            thumbnail = console.locator("[data-evidence='灯罩.jpg'] img")
            await expect(thumbnail).to_be_visible()
            assert await _loaded_images(console) == ["灯罩.jpg"]
            link = console.locator("[data-evidence='灯罩.jpg'] a")
            assert (await link.get_attribute("href") or "").startswith(
                f"/complaints/{complaint_id}/evidence/"
            )
            await check_page(console, "complaint-evidence", checked)
        finally:
            await browser.close()

    with api.sessions() as session:
        kept = case_evidence(session, case_kind="complaint", case_id=complaint_id)
    assert [(k.filename, k.source) for k in kept] == [("灯罩.jpg", "customer_page")]
    with capsys.disabled():
        print("\n" + "\n".join(checked))
