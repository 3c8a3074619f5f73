"""An agent proposes a replacement of an order item in a real browser, on a laptop's screen
(1366x768): the resolution form lists the order's items; too many of one is refused on the
page in Chinese naming the item; with the keyboard alone the agent sets one blender to
send again, the policy's answer follows (a wrong quantity first, then within authority),
and once sent the saga ships it and the complaint closes, its page naming the replacement.
Every page fits the width and axe-core finds no serious or critical violation on it.

Screenshots land in test-artifacts/console/resolution-goods-*.png.
"""

import json

import pytest
from playwright.async_api import Page, expect

from domain.access import Role
from tests.api.support import Api
from tests.console.browser_support import (
    check_page,
    needs_chromium_and_axe,
    print_checked,
    signed_in_on_a_laptop,
    tab_to,
)
from tests.console.goods_support import ITEMS, replacement_orders, with_items
from tests.console.support import add_staff
from tests.console.workspace_support import open_complaint

WAIT_MS = 30_000

pytestmark = needs_chromium_and_axe


async def _open_proposal(page: Page) -> None:
    """Unfolds the resolution form."""
    details = page.locator("details#form-propose")
    if await details.get_attribute("open") is None:
        await details.locator("summary").click()
    await expect(details).to_have_attribute("open", "")


async def test_an_agent_proposes_a_replacement_of_an_order_item(
    served_api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    api = served_api
    complaint = await open_complaint(api, order=with_items(ITEMS))
    add_staff(api, complaint.agent, Role.AGENT, locale="en")
    checked: list[str] = []

    async with signed_in_on_a_laptop(
        str(api.http.base_url), complaint.agent, complaint.page, timeout_ms=WAIT_MS
    ) as agent:
        await _open_proposal(agent)
        form = agent.locator("form.resolution-form")
        items = form.locator("fieldset.replacement tr[data-sku]")
        await expect(items).to_have_count(2)
        await expect(items.nth(0)).to_contain_text("Blender")
        await expect(items.nth(1)).to_contain_text("Spare lid")
        await check_page(agent, "resolution-goods-01-form-en", checked)

        # Too many blenders, sent from the Chinese page: refused there, naming the item.
        await agent.click("a[hreflang=zh-CN]")
        await _open_proposal(agent)
        await form.locator("#replace-quantity-0").fill("5")
        await form.locator("#propose-message").fill("新的搅拌机马上寄出。")
        await form.locator("#propose-root-cause").select_option("supplier_defect")
        await form.locator("button[value=send]").click()
        problem = agent.locator("#propose-problem")
        await expect(problem).to_have_attribute("data-field", "replace-quantity-0")
        await expect(problem).to_contain_text("补发 BLEND-200：数量须为 1 到 2 的整数。")
        await expect(form.locator("#replace-quantity-0")).to_have_attribute("aria-invalid", "true")
        await expect(form.locator("#propose-message")).to_have_value("新的搅拌机马上寄出。")
        await check_page(agent, "resolution-goods-02-refused-zh-CN", checked)

        # Back in English, with the keyboard alone: the answer follows the quantity. (The
        # refused page is the form's POST: its language link would ask for the form.)
        await agent.goto(f"{complaint.page}?lang=en")
        await _open_proposal(agent)
        await form.locator("#amount-0").focus()
        await tab_to(agent, "#replace-quantity-0")
        await agent.keyboard.type("3")
        answer = form.locator(".policy-answer")
        await expect(answer.locator("[data-problem=replace_quantity_invalid]")).to_contain_text(
            "Replacement of BLEND-200: the quantity must be a whole number from 1 to 2."
        )
        await agent.keyboard.press("Backspace")
        await agent.keyboard.type("1")
        await expect(answer.locator(".policy")).to_have_attribute("data-needs-approval", "false")
        await expect(answer.locator(".policy")).to_contain_text("it gives no money")
        await tab_to(agent, "#propose-message")
        await agent.keyboard.type("A new blender is on its way.")
        await form.locator("#propose-root-cause").select_option("supplier_defect")
        await check_page(agent, "resolution-goods-03-checked-en", checked)
        await tab_to(agent, "button[value=send]")
        await agent.keyboard.press("Enter")
        await expect(agent.locator("[data-done=propose]")).to_be_visible()

        # The saga ships it; the page follows by itself to the close.
        await expect(agent.locator("[data-status]")).to_have_attribute("data-status", "closed")
        await expect(agent.locator("ul.compensations")).to_contain_text("Replacement RP-")
        await check_page(agent, "resolution-goods-04-shipped-en", checked)
        await agent.click("a[hreflang=zh-CN]")
        await expect(agent.locator("ul.compensations")).to_contain_text("换货 RP-")
        await check_page(agent, "resolution-goods-05-shipped-zh-CN", checked)

    [shipped] = replacement_orders(api, complaint.complaint_id)
    assert json.loads(shipped.items_json) == [{"sku": "BLEND-200", "quantity": 1}]
    print_checked(capsys, "the resolution form's goods at 1366x768", checked)
