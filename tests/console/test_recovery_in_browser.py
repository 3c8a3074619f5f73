"""A supervisor's recovery inbox in a real browser, on a laptop's screen (1366x768), in
English and in Chinese: two customers answered their surveys low on the survey page; the
supervisor reaches each task from the inbox, and its form, with the keyboard alone, types
what was done and sends it, and the task shows done with who did it. Every page fits the
width and axe-core finds no serious or critical violation on it.

Screenshots land in test-artifacts/console/recovery-*.png; Chromium and axe-core come
from the test scripts (tests/console/browser_support.py).
"""

import pytest
from playwright.async_api import Page, expect

from domain import policy
from domain.access import Role
from domain.surveys import RecoveryStatus
from tests.api.support import Api
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.support import add_staff, answer_low_after_closing
from tests.customer.support import SEND_AT_ONCE
from workflows.surveys import SurveyWorkflow

SUPERVISOR = "sup-recovery-browser"
WAIT_MS = 30_000

pytestmark = needs_chromium_and_axe


async def _complete_by_keyboard(page: Page, task_id: str, note: str, response: str) -> None:
    """From the inbox, reaches the task's link, its form's fields and its button by Tab
    alone, types the report and sends it."""
    await page.locator("body").focus()
    await tab_to(page, f"a.task-link[href='/console/recovery/{task_id}']")
    await page.keyboard.press("Enter")
    await expect(page.locator("[data-recovery-status]")).to_have_attribute(
        "data-recovery-status", "open"
    )
    await tab_to(page, "#recovery-note")
    await page.keyboard.type(note)
    await tab_to(page, "#recovery-response")
    await page.keyboard.type(response)
    await tab_to(page, ".recovery-form button[type=submit]")
    await page.keyboard.press("Enter")
    await expect(page.locator("[data-recovery-status]")).to_have_attribute(
        "data-recovery-status", "done"
    )


async def test_a_supervisor_completes_recovery_tasks_by_keyboard_in_both_languages(
    served_api: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    monkeypatch.setattr(policy, "SURVEY", SEND_AT_ONCE)
    add_staff(api, SUPERVISOR, Role.SUPERVISOR, locale="en")
    low = {"csat": "1", "resolved": "no", "nps": "0", "comment": "The kettle still leaks."}
    _, english_task = await answer_low_after_closing(api, low)
    chinese_low = low | {"csat": "2", "comment": "换了新的还是漏水，很失望。"}
    _, chinese_task = await answer_low_after_closing(api, chinese_low)
    checked: list[str] = []

    async with signed_in_on_a_laptop(
        base_url, SUPERVISOR, "/console/recovery", timeout_ms=WAIT_MS
    ) as page:
        await expect(page.locator("table.recovery tbody tr")).to_have_count(2)
        await expect(page.locator("nav.main-nav")).to_contain_text("Recovery 2")
        await expect(page.locator(f'tr[data-task="{english_task}"]')).to_contain_text(
            "The kettle still leaks."
        )
        await check_page(page, "recovery-01-inbox-en", checked)

        await _complete_by_keyboard(
            page, english_task, "Called and apologised; a new kettle is on its way.", "Fine."
        )
        await expect(page.locator(".notice")).to_contain_text("the task is done")
        await expect(page.locator(".recovery-done")).to_contain_text(f"Done by {SUPERVISOR}")
        await check_page(page, "recovery-02-task-done-en", checked)

        # In Chinese: the inbox, then the other task, by keyboard again.
        await page.goto("/console/recovery?lang=zh-CN")
        await expect(page.locator("h1")).to_have_text("服务补救收件箱")
        await expect(page.locator("table.recovery tbody tr")).to_have_count(1)
        await expect(page.locator("nav.main-nav")).to_contain_text("服务补救 1")
        await check_page(page, "recovery-03-inbox-zh-CN", checked)
        await page.locator(f"a.task-link[href='/console/recovery/{chinese_task}']").click()
        await expect(page.locator("h2#task-report")).to_have_text("记录处理结果")
        await check_page(page, "recovery-04-task-zh-CN", checked)
        await page.go_back()
        await _complete_by_keyboard(
            page, chinese_task, "已电话致歉，并补发新品。", "客户表示满意。"
        )
        await expect(page.locator(".notice")).to_contain_text("任务已完成")
        await check_page(page, "recovery-05-task-done-zh-CN", checked)
        await page.goto("/console/recovery?status=done")
        await expect(page.locator("table.recovery tbody tr")).to_have_count(2)
        await check_page(page, "recovery-06-done-zh-CN", checked)

    for task_id in (english_task, chinese_task):
        survey = await api.temporal.get_workflow_handle(task_id).query(SurveyWorkflow.view)
        assert survey.recovery is not None and survey.recovery.status is RecoveryStatus.DONE
        assert survey.recovery.completed_by == SUPERVISOR
    print_checked(capsys, "recovery pages at 1366x768", checked)
