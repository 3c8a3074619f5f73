"""The cast, the texts and the steps of the agent's journey in the browser
(tests/console/test_agent_journey_in_browser.py): the quality team's agent, supervisor and
an away colleague, the customer with two complaints, the canned reply the agent picks,
and the helpers that open pages, find mail and follow the workspace's live part."""

import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, expect

from store.team_members import set_agent_away
from tests.api.support import Api, eventually
from tests.console.browser_support import (
    LAPTOP,
    check_page,
)
from tests.console.workspace_support import OpenComplaint, open_complaint
from tests.mail import received

# The quality team's first agent and its supervisor (the one the policy names); the
# team's other agents are away, so routing gives this customer's complaints to AGENT.
AGENT = "agent-quality-1"
AWAY = ("agent-quality-2", "agent-quality-3")
COLLEAGUE = "agent-quality-2"
SUPERVISOR = "supervisor-quality"
CUSTOMER = {
    "id": "cust-journey",
    "tier": "regular",
    "locale": "en",
    "name": "Lin Wei",
    "email": "lin.wei@example.com",
}
EARLIER = "The kettle stopped working after a week: the switch no longer clicks on."
# Paid over the policy's serious amount: a serious complaint, due before the kettle's.
URGENT = (
    "The coffee machine stopped working after two days: the pump rattles and no coffee comes out."
)
URGENT_PRICE = "2499.00"
CANNED_TITLE = "Defect: we are on it"
CANNED_BODY = (
    "Dear {{ customer_name }}, I am sorry your order {{ order_id }} stopped working. "
    "I have your case in hand."
)
EDIT = " Please keep the machine unplugged until we are back to you today."
QUESTION = "Could you send a photo of the pump's serial number label?"
ANSWER = "Here it is: the label reads CM-2499-0815."
PROPOSAL = "We refund the machine in full; the money is on its way."
CLOSING = "The refund reached you; we have told the maker about the pump."
# Pages refresh their live part every 3 s and report presence every 12 s; the refund's
# saga fits well inside this.
WAIT_MS = 30_000


class Journey:
    """The pages checked so far, numbered in the order the journey reached them."""

    def __init__(self) -> None:
        self.checked: list[str] = []

    async def check(self, page: Page, step: str) -> None:
        """Checks `page` (width, axe-core) and screenshots it as journey-NN-`step`.png."""
        await check_page(page, f"journey-{len(self.checked) + 1:02d}-{step}", self.checked)


def order(name: str, price: str) -> dict[str, Any]:
    return {
        "order_id": f"ord-{uuid.uuid4().hex[:10]}",
        "items": [
            {"sku": name.upper().replace(" ", "-"), "name": name, "price": price, "quantity": 1}
        ],
        "paid_amount": price,
        "currency": "CNY",
        "payment_id": f"pay-{uuid.uuid4().hex[:10]}",
    }


async def two_complaints_for_one_agent(api: Api) -> tuple[OpenComplaint, OpenComplaint]:
    """Returns the customer's earlier complaint and their urgent one, both with AGENT."""
    with api.sessions() as session:
        for agent in AWAY:
            set_agent_away(session, agent_id=agent, away=True)
    earlier = await open_complaint(
        api, customer=CUSTOMER, description=EARLIER, order=order("Kettle", "59.00")
    )
    urgent = await open_complaint(
        api, customer=CUSTOMER, description=URGENT, order=order("Coffee machine", URGENT_PRICE)
    )
    assert earlier.agent == urgent.agent == AGENT
    return earlier, urgent


async def seed_canned_reply(api: Api, complaint: OpenComplaint) -> int:
    """Returns the id of an English template for the complaint's sub-category."""
    view = (await api.http.get(f"/complaints/{complaint.complaint_id}")).json()
    created = await api.http.post(
        "/canned-replies",
        json={
            "title": CANNED_TITLE,
            "language": "en",
            "sub_category": view["classification"]["sub_category"],
            "body": CANNED_BODY,
        },
    )
    assert created.status_code == 201, created.text
    canned_id: int = created.json()["canned_reply_id"]
    return canned_id


async def template_uses(api: Api, canned_id: int) -> int:
    uses: int = (await api.http.get(f"/canned-replies/{canned_id}")).json()["uses"]
    return uses


async def mail_saying(maildir: Path, text: str) -> EmailMessage:
    """Returns the message the mail server took whose plain text says `text`."""

    async def delivered() -> EmailMessage | None:
        for _, mail in received(maildir):
            plain = mail.get_body(preferencelist=("plain",))
            if plain is not None and text in plain.get_content():
                return mail
        return None

    return await eventually(delivered)


async def customer_on_a_laptop(browser: Browser, base_url: str, page_path: str) -> Page:
    """Returns the customer's page (their link) in a context of its own, in English."""
    # The customer's page allows no script; axe-core is injected.
    context = await browser.new_context(
        base_url=base_url, locale="en-GB", viewport=LAPTOP, bypass_csp=True
    )
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    await page.goto(page_path)
    return page


async def take_up_the_new_status(page: Page) -> None:
    """Follows the workspace's notice that the complaint moved on: the page reloads with
    the forms of the new status."""
    changed = page.locator(".workspace .status-changed")
    await expect(changed).to_be_visible(timeout=WAIT_MS)
    await changed.locator("button.reload").click()
    await expect(changed).to_be_hidden()


async def expect_status(page: Page, status: str) -> None:
    """Waits for the page's live part to show the complaint in `status`."""
    shown = page.locator("[data-status]")
    await expect(shown).to_have_attribute("data-status", status, timeout=WAIT_MS)


async def read_in_chinese(
    page: Page, journey: Journey, step: str, *, heading: str, says: str
) -> None:
    """Switches `page` to Chinese, sees `heading` (a selector) say `says` and checks the
    page, then switches back to English."""
    await page.click("a[hreflang=zh-CN]")
    await expect(page.locator(heading)).to_contain_text(says)
    await journey.check(page, f"{step}-zh-CN")
    await page.click("a[hreflang=en]")
