"""An agent's whole journey with a complaint, in a real browser on a laptop's screen
(1366x768), on the API served over HTTP with real workers on the dev server, the
notifications provider mailing the customer over SMTP to a real server (aiosmtpd):

1. the agent signs in; their queue holds two complaints of one customer and they open
   the most urgent (the top one);
2. the customer panel lists the customer's other complaint: the agent reads it and
   comes back;
3. they pick the sub-category's canned reply by keyboard, edit it and send it: the
   customer receives the edited text by e-mail, threaded under the case, and sees it on
   their page; the template counts one use;
4. they ask for information; the customer answers on their page; the agent sees it;
5. they propose a refund above their authority: the page names the supervisor who must
   approve before anything is sent; the supervisor approves it from the approvals inbox
   in a second browser context, and the refund is paid;
6. a colleague opening the complaint in a third context sees the agent there;
7. the agent closes the complaint with a root cause, and the page shows it closed.

Every step's page fits the width and axe-core finds no serious or critical violation on
it; the complaint page, the approvals inbox and the closed complaint are read in Chinese
too. Screenshots land in test-artifacts/console/journey-NN-*.png; Chromium and axe-core
come from the test scripts (tests/console/browser_support.py).
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect
from temporalio.testing import WorkflowEnvironment

from activities.notifications.smtp import case_thread_id
from domain.access import Role
from store.db import SessionFactory
from tests.api.conftest import serving_api
from tests.api.support import Api
from tests.console.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    needs_chromium_and_axe,
    print_checked,
    sign_in_on_a_laptop,
    tab_to,
    unfold_form,
)
from tests.console.journey_support import (
    AGENT,
    ANSWER,
    CANNED_TITLE,
    CLOSING,
    COLLEAGUE,
    CUSTOMER,
    EARLIER,
    EDIT,
    PROPOSAL,
    QUESTION,
    SUPERVISOR,
    URGENT_PRICE,
    WAIT_MS,
    Journey,
    customer_on_a_laptop,
    expect_status,
    mail_saying,
    read_in_chinese,
    seed_canned_reply,
    take_up_the_new_status,
    template_uses,
    two_complaints_for_one_agent,
)
from tests.console.support import add_staff
from tests.mail import mail_catcher

pytestmark = needs_chromium_and_axe


@pytest.fixture
async def mailing_api(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[Api, Path]]:
    """Yields the API served over HTTP with real workers mailing customers over SMTP to an
    aiosmtpd server, and the Maildir that server writes each message it takes to."""
    maildir = tmp_path / "mail"
    with mail_catcher(maildir) as smtp_url:
        async with serving_api(
            dev_server_env.client,
            sessions,
            database_url,
            tmp_path,
            notifications_provider="smtp",
            customer_channel="email",
            smtp_url=smtp_url,
        ) as api:
            yield api, maildir


async def test_an_agent_takes_a_complaint_from_the_queue_to_its_close(
    mailing_api: tuple[Api, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    api, maildir = mailing_api
    base_url = str(api.http.base_url)
    earlier, urgent = await two_complaints_for_one_agent(api)
    canned_id = await seed_canned_reply(api, urgent)
    urgent_view = (await api.http.get(f"/complaints/{urgent.complaint_id}")).json()
    order_id = urgent_view["intake"]["order"]["order_id"]
    for user_id, role in (
        (AGENT, Role.AGENT),
        (COLLEAGUE, Role.AGENT),
        (SUPERVISOR, Role.SUPERVISOR),
    ):
        add_staff(api, user_id, role, locale="en")
    journey = Journey()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            agent = await sign_in_on_a_laptop(
                browser, base_url, AGENT, "/console/queue", timeout_ms=WAIT_MS
            )

            # 1. The queue: both complaints, the urgent one on top; opened by keyboard.
            rows = agent.locator("table.queue tbody tr")
            await expect(rows).to_have_count(2)
            await expect(rows.first).to_have_attribute("data-complaint", urgent.complaint_id)
            await expect(rows.nth(1)).to_have_attribute("data-complaint", earlier.complaint_id)
            await journey.check(agent, "queue-en")
            await agent.locator("body").focus()
            await tab_to(agent, "table.queue tbody tr:first-child td.what a")
            await agent.keyboard.press("Enter")
            await expect(agent).to_have_url(f"{base_url}{urgent.page}")
            await expect(agent.locator("h2#workspace-title")).to_have_text("Work on this complaint")
            await journey.check(agent, "complaint-en")
            await read_in_chinese(
                agent, journey, "complaint", heading="h2#workspace-title", says="处理此投诉"
            )

            # 2. The customer's history: their other complaint, read.
            history = agent.locator(".customer-history")
            await expect(history).to_contain_text("Other complaints (1)")
            await history.locator(f'li[data-case="{earlier.complaint_id}"] a').click()
            await expect(agent).to_have_url(f"{base_url}{earlier.page}")
            await expect(agent.locator("body")).to_contain_text(EARLIER)
            await journey.check(agent, "history-earlier-complaint-en")
            # Back through that complaint's own panel, which lists the urgent one.
            await history.locator(f'li[data-case="{urgent.complaint_id}"] a').click()
            await expect(agent).to_have_url(f"{base_url}{urgent.page}")

            # 3. A canned reply, picked and edited by keyboard, sent.
            await agent.locator("body").focus()
            await tab_to(agent, "#reply-template")
            await agent.keyboard.press("ArrowDown")
            await expect(agent.locator(".canned-picker .picked")).to_contain_text(CANNED_TITLE)
            reply = agent.locator("#reply-message")
            filled = f"Dear Lin Wei, I am sorry your order {order_id} stopped working. "
            filled += "I have your case in hand."
            await expect(reply).to_have_value(filled)
            await tab_to(agent, "#reply-message")
            await agent.keyboard.press("Control+End")
            await agent.keyboard.type(EDIT)
            sent = filled + EDIT
            await expect(reply).to_have_value(sent)
            assert await template_uses(api, canned_id) == 0
            await journey.check(agent, "canned-reply-edited-en")
            await tab_to(agent, ".reply-form button[type=submit]")
            await agent.keyboard.press("Enter")
            await expect(agent.locator("[data-done=reply]")).to_be_visible()
            await expect(agent.locator('.timeline [data-kind="replied"]')).to_contain_text(sent)
            await journey.check(agent, "replied-en")

            mail = await mail_saying(maildir, sent)
            thread = case_thread_id(urgent.complaint_id, api.settings.mail_domain)
            assert mail["To"].addresses[0].addr_spec == CUSTOMER["email"]
            assert mail["In-Reply-To"] == thread
            assert str(mail["References"]).split()[0] == thread
            assert await template_uses(api, canned_id) == 1

            customer = await customer_on_a_laptop(browser, base_url, urgent.customer_page)
            await expect(customer.locator('[data-kind="replied"]')).to_contain_text(sent)
            await journey.check(customer, "customer-sees-reply-en")

            # 4. A question; the customer answers on their page; the agent sees it.
            await unfold_form(agent, "request_info")
            await agent.fill("#request-question", QUESTION)
            await agent.click(".request-form button[type=submit]")
            await expect_status(agent, "waiting_on_customer")
            await journey.check(agent, "asked-en")

            await customer.reload()
            await expect(customer.locator("[data-asked]")).to_contain_text(QUESTION)
            await customer.fill("textarea[name=message]", ANSWER)
            await customer.click("form.reply button[type=submit]")
            await expect(customer.locator("[data-notice=sent_reply]")).to_be_visible()
            await journey.check(customer, "customer-answered-en")

            await expect_status(agent, "open")
            answered = agent.locator('.timeline [data-kind="customer_replied"]')
            await expect(answered).to_contain_text(ANSWER, timeout=WAIT_MS)
            await take_up_the_new_status(agent)
            await journey.check(agent, "answer-seen-en")

            # 5. A refund above the agent's authority: the page names who must approve.
            await unfold_form(agent, "propose")
            form = agent.locator("form.resolution-form")
            answer = form.locator(".policy-answer .policy")
            await form.locator("#kind-0").select_option("refund")
            await form.locator("#amount-0").fill("150.00")
            await expect(answer).to_have_attribute("data-needs-approval", "false")
            await form.locator("#amount-0").fill(URGENT_PRICE)
            await expect(answer).to_have_attribute("data-needs-approval", "true")
            await expect(answer).to_contain_text(f"Needs approval by {SUPERVISOR}")
            # The agent closes it with the root cause once the refund is paid.
            await form.locator("#propose-final").uncheck()
            await form.locator("#propose-message").fill(PROPOSAL)
            await journey.check(agent, "refund-needs-approval-en")
            await form.locator("button[value=send]").click()
            await expect(agent.locator("[data-done=propose]")).to_contain_text("Sent for approval")
            await expect_status(agent, "awaiting_approval")
            await journey.check(agent, "awaiting-approval-en")

            supervisor = await sign_in_on_a_laptop(
                browser, base_url, SUPERVISOR, "/console/approvals", timeout_ms=WAIT_MS
            )
            card = supervisor.locator(f"#approval-{urgent.complaint_id}")
            await expect(card).to_contain_text(PROPOSAL)
            await journey.check(supervisor, "approvals-en")
            await read_in_chinese(supervisor, journey, "approvals", heading="h1", says="审批收件箱")
            await supervisor.locator("body").focus()
            await tab_to(supervisor, f"#approval-{urgent.complaint_id} form.approve button")
            await supervisor.keyboard.press("Enter")
            await expect(supervisor.locator(".notice")).to_contain_text("Approved")
            await journey.check(supervisor, "approved-en")

            approved = agent.locator('.timeline [data-kind="approved"]')
            await expect(approved).to_contain_text(SUPERVISOR, timeout=WAIT_MS)
            paid = agent.locator('.timeline [data-kind="compensation_done"]')
            await expect(paid).to_contain_text("Refund CN¥2,499.00", timeout=WAIT_MS)
            await expect_status(agent, "open")
            await take_up_the_new_status(agent)
            await journey.check(agent, "refund-paid-en")

            # 6. A colleague opening the complaint sees the agent there.
            colleague = await sign_in_on_a_laptop(
                browser, base_url, COLLEAGUE, urgent.page, timeout_ms=WAIT_MS
            )
            present = colleague.locator(f'#presence [data-present="{AGENT}"]')
            await expect(present).to_contain_text(f"{AGENT} (test): reading", timeout=WAIT_MS)
            await journey.check(colleague, "colleague-sees-agent-en")

            # 7. Closed with a root cause.
            await unfold_form(agent, "close")
            await agent.fill("#close-message", CLOSING)
            await agent.locator("#close-root-cause").select_option("supplier_defect")
            await agent.click(".close-form button[type=submit]")
            await expect_status(agent, "closed")
            await expect(agent.locator("[data-why=workspace_closed]")).to_be_visible()
            closed = agent.locator('.timeline [data-kind="resolved"]', has_text=CLOSING)
            await expect(closed).to_be_visible()
            await journey.check(agent, "closed-en")
            await agent.click("a[hreflang=zh-CN]")
            await expect(agent.locator("[data-why=workspace_closed]")).to_contain_text(
                "此投诉已结案"
            )
            await journey.check(agent, "closed-zh-CN")
        finally:
            await browser.close()

    view = (await api.http.get(f"/complaints/{urgent.complaint_id}")).json()
    assert (view["close_reason"], view["root_cause"]) == ("resolved", "supplier_defect")
    assert [(step["kind"], step["amount"]) for step in view["compensations"]] == [
        ("refund", URGENT_PRICE)
    ]
    assert await template_uses(api, canned_id) == 1
    print_checked(capsys, "the agent's journey at 1366x768", journey.checked)
