"""A return's photo in a real browser: a customer on a phone-sized Chromium opens their
return's page, chooses a phone's HEIC photo of the crushed parcel from the keyboard and
sees it come back as a decoded thumbnail, its file name broken before the extension
rather than mid-word (a name too long for it stops at three lines, whole in its title),
in Chinese and in English, with no sideways scroll at 390 px; a supervisor finds the
photo among the customer's files on the console's return page. axe-core finds no serious
or critical violation on any of them.

Screenshots land in test-artifacts/customer/ (return-photo-*.png) and
test-artifacts/console/ (return-photo-console.png). Chromium and axe-core come as for the
other browser tests (REDRESS_TEST_CHROMIUM, REDRESS_TEST_AXE); without either, this test
skips and says why.
"""

from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page, async_playwright, expect

from domain.access import Role
from store.evidence import case_evidence
from tests.api.returns_support import return_request
from tests.api.support import Api
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
from tests.customer.test_photo_previews_in_browser import shown_thumbnail
from tests.photos import heic_photo

pytestmark = needs_chromium_and_axe

PHOTO = "IMG_0042.HEIC"
# A chat app's name for a forwarded photo: too long for three lines under a thumbnail.
LONG_NAME = "WhatsApp Image 2026-12-04 at 10.22.31 of the parcel as the courier left it.heic"


async def send_photo_from_the_keyboard(page: Page, name: str, photo: bytes) -> None:
    """Chooses `photo` as a phone's camera roll hands a HEIC over, then tabs to the
    upload button and presses Enter."""
    await page.locator("input#photo").set_input_files(
        {"name": name, "mimeType": "image/heic", "buffer": photo}
    )
    await tab_to(page, ".upload button[type=submit]")
    await page.keyboard.press("Enter")


async def name_pieces_unbroken(page: Page) -> list[int]:
    """Returns, for each piece of the photo's file name under its thumbnail (the text
    between its <wbr>s), on how many lines the browser laid it out."""
    lines: list[int] = await page.evaluate(
        """name => {
            const link = document.querySelector(`[data-evidence='${name}'] a.original`);
            return [...link.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
                .map(n => { const r = document.createRange(); r.selectNodeContents(n);
                            return new Set([...r.getClientRects()].map(b => b.top)).size; });
        }""",
        PHOTO,
    )
    return lines


async def clamped_lines(page: Page, name: str) -> dict[str, float]:
    """Returns how many lines the file name under `name`'s thumbnail shows, and whether
    more of it is hidden (cut with an ellipsis)."""
    shown: dict[str, float] = await page.evaluate(
        """name => {
            const link = document.querySelector(`[data-evidence="${name}"] a.original`);
            const line = parseFloat(getComputedStyle(link).lineHeight);
            return {lines: Math.round(link.clientHeight / line),
                    cut: link.scrollHeight > link.clientHeight ? 1 : 0};
        }""",
        name,
    )
    return shown


async def test_a_customer_adds_a_phone_photo_to_their_return_and_staff_see_it(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    body = return_request(description="快递盒被压扁了，鞋盒也破了。")
    body["customer"]["locale"] = "zh-CN"
    created = await api.http.post("/returns", json=body)
    assert created.status_code == 201, created.text
    return_id = created.json()["return_id"]
    page_path = urlsplit(created.json()["customer_url"]).path
    add_staff(api, "sup-return-photos", Role.SUPERVISOR)
    checked: list[str] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = await phone_page(browser, base_url)
            await page.goto(page_path)
            await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
            await expect(page.locator(".evidence")).to_contain_text("您还没有提交照片")
            await send_photo_from_the_keyboard(page, PHOTO, heic_photo(600, 400))
            await expect(page.locator("[data-notice=sent_evidence]")).to_contain_text("照片已添加")
            [item] = (await api.http.get(f"/returns/{return_id}/evidence")).json()["items"]
            customer_file = f"{page_path}/evidence/{item['sha256']}"
            shown = await shown_thumbnail(page)
            assert shown["src"] == f"{customer_file}/preview" and shown["width"] > 0
            assert (shown["original"], shown["originalText"]) == (customer_file, PHOTO)
            # "IMG_0042" and ".HEIC" each on one line: never "IMG_0042.HEI" / "C".
            assert await name_pieces_unbroken(page) == [1, 1, 1]
            original = page.locator(f"[data-evidence='{PHOTO}'] a.original")
            assert await original.get_attribute("title") == PHOTO
            # A name too long for the thumbnail's width stops at three lines, whole in its
            # title and in the link's text a screen reader reads.
            await send_photo_from_the_keyboard(page, LONG_NAME, heic_photo(500, 400))
            await expect(page.locator("[data-notice=sent_evidence]")).to_be_visible()
            long_link = page.locator(f'[data-evidence="{LONG_NAME}"] a.original')
            await expect(long_link).to_have_attribute("title", LONG_NAME)
            await expect(long_link).to_have_text(LONG_NAME)
            assert await clamped_lines(page, LONG_NAME) == {"lines": 3, "cut": 1}
            # Its preview is made on this first request: the screenshot waits for it.
            await page.wait_for_function(
                "[...document.querySelectorAll('[data-evidence] img')]"
                ".every(img => img.complete && img.naturalWidth > 0)"
            )
            await tab_to(page, f"[data-evidence='{PHOTO}'] a.original")
            await check_page(page, "../customer/return-photo-zh-CN", checked)

            await page.click("a[hreflang=en]")
            await expect(page.locator("html")).to_have_attribute("lang", "en")
            await expect(page.locator(".evidence h2")).to_have_text("Your photos and files")
            assert (await shown_thumbnail(page))["width"] > 0
            assert await name_pieces_unbroken(page) == [1, 1, 1]
            await check_page(page, "../customer/return-photo-en", checked)

            console = await sign_in_on_a_laptop(
                browser,
                base_url,
                "sup-return-photos",
                f"/console/returns/{return_id}",
                timeout_ms=WAIT_MS,
            )
            staff_file = f"/returns/{return_id}/evidence/{item['sha256']}"
            files = console.locator("[data-files=customer]")
            await expect(files.locator(f"[data-evidence='{PHOTO}'] img")).to_be_visible()
            staff_shown = await shown_thumbnail(console)
            assert staff_shown["src"] == f"{staff_file}/preview" and staff_shown["width"] > 0
            await check_page(console, "return-photo-console", checked)
        finally:
            await browser.close()

    with api.sessions() as session:
        kept = case_evidence(session, case_kind="return", case_id=return_id)
    assert [(k.filename, k.source) for k in kept] == [
        (PHOTO, "customer_page"),
        (LONG_NAME, "customer_page"),
    ]
    print_checked(capsys, "A return's photo", checked)
