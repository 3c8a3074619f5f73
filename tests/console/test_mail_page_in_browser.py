"""The Mail page in a real browser, on a laptop's screen (1366x768), in English and in
Chinese: an admin reaches it from the navigation by the keyboard alone, filters the
outbound mail to the failed messages with the status list and the Apply button, and opens
the complaint a message was about from its link. Every page fits the width (long
Message-IDs and error lines included) and axe-core finds no serious or critical violation.

Screenshots land in test-artifacts/console/mail-*.png; Chromium and axe-core come from
the test scripts (tests/console/browser_support.py).
"""

import pytest
from playwright.async_api import expect

from domain.access import Role
from store.tables.outbox import DeliveryStatus
from tests.api.support import Api, intake
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.mail_support import a_mail_log, outbox_row, store_rows
from tests.console.support import add_staff

ADMIN = "ops-mail-browser"
WAIT_MS = 30_000

pytestmark = needs_chromium_and_axe


async def test_an_admin_reads_and_filters_the_mail_log_by_keyboard_in_both_languages(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    add_staff(api, ADMIN, Role.ADMIN, locale="en")
    created = await api.create(intake())
    assert created.status_code == 201, created.text
    complaint_id = created.json()["complaint_id"]
    a_mail_log(api.sessions, complaint_id)
    # The longest lines a row can hold: a server's full answer, a long address.
    store_rows(
        api.sessions,
        outbox_row(
            5,
            DeliveryStatus.FAILED,
            case_ref=complaint_id,
            address="a.very.long.mailbox.name.for.testing.widths@subdomain.of.a.long.example.com",
            last_delivery_error="550 5.7.1 " + "RecipientRejectedBecauseOfPolicy" * 6,
        ),
    )
    checked: list[str] = []

    async with signed_in_on_a_laptop(base_url, ADMIN, "/console/queue", timeout_ms=WAIT_MS) as page:
        await page.locator("body").focus()
        await tab_to(page, "nav.main-nav a[href='/console/mail']")
        await page.keyboard.press("Enter")
        await expect(page.locator("h1")).to_have_text("Mail")
        await expect(page.locator("tr[data-outbox]")).to_have_count(6)
        await expect(page.locator("tr[data-inbound]")).to_have_count(3)
        await check_page(page, "mail-01-log-en", checked)

        await tab_to(page, "select[name=status]")
        # Closed lists move on arrow keys: All statuses, Sent, then Failed.
        await page.keyboard.press("ArrowDown")
        await page.keyboard.press("ArrowDown")
        await expect(page.locator("select[name=status]")).to_have_value("failed")
        await tab_to(page, ".queue-filters button[type=submit]")
        await page.keyboard.press("Enter")
        await expect(page).to_have_url(f"{base_url}/console/mail?status=failed")
        await expect(page.locator("tr[data-outbox]")).to_have_count(2)
        await expect(page.locator("tr[data-outbox]").first).to_contain_text("Failed")
        await check_page(page, "mail-02-failed-en", checked)

        await tab_to(page, f"tr[data-outbox] a[href='/console/complaints/{complaint_id}']")
        await page.keyboard.press("Enter")
        await expect(page).to_have_url(f"{base_url}/console/complaints/{complaint_id}")

        await page.goto("/console/mail?lang=zh-CN")
        await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        await expect(page.locator("h2#outbound")).to_have_text("Redress 发出的邮件")
        await expect(page.locator("tr[data-outbox][data-status=outbox_only]")).to_contain_text(
            "仅保存在发件箱"
        )
        await check_page(page, "mail-03-log-zh", checked)

    print_checked(capsys, "Mail page", checked)
