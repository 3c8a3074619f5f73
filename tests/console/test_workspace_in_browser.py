"""An agent works a complaint from the queue to its close in a real browser, on a laptop's
screen (1366x768): opens it from their queue, replies, asks the customer for information,
reads the customer's answer, proposes a refund above their authority (the page says who
must approve it before it is sent, as the rows change), a supervisor approves it in a
second browser context, and the agent sees the complaint resolved. Every page fits the
width and axe-core finds no serious or critical violation on it, in English and Chinese.

Screenshots land in test-artifacts/console/workspace-*.png; Chromium and axe-core come
from the test scripts (tests/console/browser_support.py).
"""

import pytest
from playwright.async_api import async_playwright, expect

from domain.access import Role
from tests.api.support import Api
from tests.console.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    check_page,
    needs_chromium_and_axe,
    print_checked,
    sign_in_on_a_laptop,
    unfold_form,
)
from tests.console.support import add_staff
from tests.console.workspace_support import open_complaint

SUPERVISOR = "sup-workspace"
# The complaint page refreshes itself every 3 s; the refund's saga fits well inside this.
WAIT_MS = 30_000

pytestmark = needs_chromium_and_axe


async def test_an_agent_works_a_complaint_to_its_close(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    complaint = await open_complaint(api)
    add_staff(api, complaint.agent, Role.AGENT, locale="en")
    add_staff(api, SUPERVISOR, Role.SUPERVISOR, locale="en")
    status = "[data-status]"
    checked: list[str] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            agent = await sign_in_on_a_laptop(
                browser, base_url, complaint.agent, "/console/queue", timeout_ms=WAIT_MS
            )
            await check_page(agent, "workspace-01-queue-en", checked)
            await agent.click(f"a[href='{complaint.page}']")
            await expect(agent.locator("h2#workspace-title")).to_have_text("Work on this complaint")
            await check_page(agent, "workspace-02-complaint-en", checked)

            # The same page in Chinese, then back.
            await agent.click("a[hreflang=zh-CN]")
            await expect(agent.locator("h2#workspace-title")).to_have_text("处理此投诉")
            await expect(agent.locator("#form-reply summary")).to_have_text("回复客户")
            await check_page(agent, "workspace-03-complaint-zh-CN", checked)
            await agent.click("a[hreflang=en]")

            # Reply (the reply form is open from the start).
            await agent.fill("#reply-message", "Sorry about the blender: we are on it.")
            await agent.click(".reply-form button[type=submit]")
            await expect(agent.locator("[data-done=reply]")).to_be_visible()
            await expect(agent.locator('.timeline [data-kind="replied"]')).to_contain_text(
                "Sorry about the blender"
            )
            await check_page(agent, "workspace-04-replied-en", checked)

            # Ask for information: the complaint waits, and asking again is not offered.
            await unfold_form(agent, "request_info")
            await agent.fill("#request-question", "Could you send a photo of the motor base?")
            await agent.click(".request-form button[type=submit]")
            await expect(agent.locator(status)).to_have_attribute(
                "data-status", "waiting_on_customer"
            )
            await expect(agent.locator("[data-hidden=request_info]")).to_contain_text(
                "already waits for the customer's answer"
            )
            await check_page(agent, "workspace-05-waiting-en", checked)

            # The customer answers (through the platform); the page shows it by itself.
            customer = api.client_with_token(complaint.customer_token)
            answered = await customer.post(
                f"/complaints/{complaint.complaint_id}/messages",
                json={"message": "Here it is: the base is cracked."},
            )
            assert answered.status_code == 200, answered.text
            await expect(agent.locator(status)).to_have_attribute("data-status", "open")
            await expect(agent.locator('.timeline [data-kind="customer_replied"]')).to_contain_text(
                "the base is cracked"
            )
            # The forms were chosen for the status the page was loaded with: it says so.
            changed = agent.locator(".workspace .status-changed")
            await expect(changed).to_be_visible()
            await changed.locator("button.reload").click()
            await expect(changed).to_be_hidden()
            await expect(agent.locator("#form-request_info")).to_be_visible()

            # Propose a refund and a coupon above the agent's authority: the page says who
            # must approve before anything is sent, and again as a row is added.
            await unfold_form(agent, "propose")
            form = agent.locator("form.resolution-form")
            await form.locator("#kind-0").select_option("refund")
            await form.locator("#amount-0").fill("99.00")
            answer = form.locator(".policy-answer .policy")
            await expect(answer).to_have_attribute("data-needs-approval", "false")
            await expect(answer).to_contain_text("Within your authority")
            await form.locator("button.add-row").click()
            await expect(form.locator(".compensation-row")).to_have_count(2)
            await form.locator("#kind-1").select_option("coupon")
            await form.locator("#amount-1").fill("150")
            await expect(answer).to_have_attribute("data-needs-approval", "true")
            await expect(answer).to_contain_text("Needs approval by supervisor-")
            await form.locator("#propose-message").fill("A full refund and a coupon, sorry.")
            await form.locator("#propose-root-cause").select_option("supplier_defect")
            await check_page(agent, "workspace-06-proposal-checked-en", checked)
            await form.locator("button[value=send]").click()
            await expect(agent.locator("[data-done=propose]")).to_contain_text("Sent for approval")
            await expect(agent.locator(status)).to_have_attribute(
                "data-status", "awaiting_approval"
            )
            await expect(agent.locator("[data-hidden=propose]")).to_contain_text(
                "no second proposal"
            )
            await check_page(agent, "workspace-07-awaiting-approval-en", checked)

            # A supervisor approves it from the approvals inbox, in a context of their own.
            supervisor = await sign_in_on_a_laptop(
                browser, base_url, SUPERVISOR, "/console/approvals", timeout_ms=WAIT_MS
            )
            card = supervisor.locator(f"#approval-{complaint.complaint_id}")
            await expect(card).to_contain_text("A full refund and a coupon, sorry.")
            await check_page(supervisor, "workspace-08-approvals-en", checked)
            await card.locator("form.approve button").click()
            await expect(supervisor.locator(".notice")).to_contain_text("Approved")

            # The agent's page follows by itself to the close.
            await expect(agent.locator(status)).to_have_attribute("data-status", "closed")
            await expect(agent.locator('.timeline [data-kind="approved"]')).to_contain_text(
                SUPERVISOR
            )
            await agent.reload()
            await expect(agent.locator("[data-why=workspace_closed]")).to_be_visible()
            await check_page(agent, "workspace-09-resolved-en", checked)
            await agent.click("a[hreflang=zh-CN]")
            await expect(agent.locator("[data-why=workspace_closed]")).to_contain_text(
                "此投诉已结案"
            )
            await check_page(agent, "workspace-10-resolved-zh-CN", checked)
        finally:
            await browser.close()

    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    assert view["close_reason"] == "resolved" and view["root_cause"] == "supplier_defect"
    assert sorted(step["kind"] for step in view["compensations"]) == ["coupon", "refund"]
    print_checked(capsys, "workspace pages at 1366x768", checked)
