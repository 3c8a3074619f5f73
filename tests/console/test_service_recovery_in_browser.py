"""A failure's recovery task in a real browser, on a laptop's screen (1366x768): a
resolution undone by a declined step opens it; a supervisor finds it in the inbox beside
what failed, reaches its page and form with the keyboard alone, records what was done,
and reads the same in Chinese. Every page fits the width and axe-core finds no serious or
critical violation on it.

Screenshots land in test-artifacts/console/failure-recovery-*.png; Chromium and axe-core
come from the test scripts (tests/console/browser_support.py).
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import expect
from temporalio.testing import WorkflowEnvironment

from domain.access import Role
from store.db import SessionFactory
from tests.api.conftest import serving_api
from tests.api.service_recovery_support import DECLINED, undo_a_resolution
from tests.api.support import Api, eventually
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff

SUPERVISOR = "sup-failures-browser"
WAIT_MS = 30_000

pytestmark = needs_chromium_and_axe


@pytest.fixture
async def served_api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    client = dev_server_env.client
    async with serving_api(client, sessions, database_url, tmp_path, **DECLINED) as api:
        yield api


async def test_a_supervisor_completes_a_failures_task_by_keyboard(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    add_staff(api, SUPERVISOR, Role.SUPERVISOR, locale="en")
    complaint_id, task_id = await undo_a_resolution(api)

    async def listed() -> bool | None:
        page = await api.http.get("/recovery-tasks", params={"status": "open"})
        return True if task_id in page.text else None

    await eventually(listed)
    checked: list[str] = []

    async with signed_in_on_a_laptop(
        str(api.http.base_url), SUPERVISOR, "/console/recovery", timeout_ms=WAIT_MS
    ) as page:
        row = page.locator(f'tr[data-task="{task_id}"]')
        await expect(row.locator("[data-failure]")).to_have_text("Compensation undone")
        await expect(row).to_contain_text("What happened: refund")
        await check_page(page, "failure-recovery-01-inbox-en", checked)

        await page.locator("body").focus()
        await tab_to(page, f"a.task-link[href='/console/recovery/{task_id}']")
        await page.keyboard.press("Enter")
        await expect(page.locator("h2#task-failure")).to_have_text("What went wrong")
        await check_page(page, "failure-recovery-02-task-en", checked)
        await tab_to(page, "#recovery-note")
        await page.keyboard.type("Called and apologised; refunded the 20.00 by hand.")
        await tab_to(page, "#recovery-response")
        await page.keyboard.type("Relieved.")
        await tab_to(page, ".recovery-form button[type=submit]")
        await page.keyboard.press("Enter")
        await expect(page.locator("[data-recovery-status]")).to_have_attribute(
            "data-recovery-status", "done"
        )
        await expect(page.locator(".recovery-done")).to_contain_text(f"Done by {SUPERVISOR}")
        await check_page(page, "failure-recovery-03-task-done-en", checked)

        await page.goto(f"/console/recovery/{task_id}?lang=zh-CN")
        await expect(page.locator("h2#task-failure")).to_have_text("出了什么问题")
        await expect(page.locator("[data-failure]")).to_have_text("补偿被撤销")
        await check_page(page, "failure-recovery-04-task-done-zh-CN", checked)
        await page.goto("/console/recovery?status=done&lang=zh-CN")
        await expect(page.locator(f'tr[data-task="{task_id}"]')).to_contain_text("补偿被撤销")
        await check_page(page, "failure-recovery-05-done-zh-CN", checked)
        await page.goto(f"/console/complaints/{complaint_id}?lang=en")
        await expect(page.locator('[data-kind="recovery_done"]')).to_have_count(1)

    print_checked(capsys, "failure recovery pages at 1366x768", checked)
