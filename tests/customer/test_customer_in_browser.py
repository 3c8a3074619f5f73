"""A customer's phone, in a real browser: Chromium (headless, driven by Playwright, with a
phone's screen and touch) opens the link from a complaint, answers the agent's question,
accepts a return's plan and finds its label, then answers a survey in Chinese, on the API
served over HTTP with real workers on the dev server.

Screenshots of every page land in test-artifacts/customer/ for review. Chromium comes from
Debian (`scripts/chromium-for-tests`, passed on as REDRESS_TEST_CHROMIUM); without it this
test is skipped and says why.
"""

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.api.returns_support import return_request, wait_for_return, wait_for_status
from tests.api.support import Api, intake
from tests.console.browser_support import CHROMIUM, CHROMIUM_ARGS
from tests.console.test_console_in_browser import LIVE_TIMEOUT_MS
from tests.customer.support import path_of, send_survey
from workflows.surveys import SurveyWorkflow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "customer"
# A mid-sized phone, held upright.
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(
    not CHROMIUM,
    reason="no Chromium: REDRESS_TEST_CHROMIUM is empty (`make test` sets it from "
    "scripts/chromium-for-tests, which installs Debian's chromium when run as root)",
)


async def _screenshot(page: Page, name: str) -> None:
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def _phone(browser: Browser, base_url: str, locale: str) -> Page:
    context = await browser.new_context(
        base_url=base_url,
        locale=locale,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(LIVE_TIMEOUT_MS)
    return await context.new_page()


async def _no_sideways_scrolling(page: Page) -> None:
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"


async def test_a_customer_follows_and_answers_on_a_phone(served_api: Api) -> None:
    api = served_api
    base_url = str(api.http.base_url)
    created = (await api.create(intake(description="The blender arrived broken."))).json()
    complaint_id = created["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    question = "Could you send a photo of the motor's label?"
    asked = await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json={"action": {"type": "request_info", "question": question}},
    )
    assert asked.status_code == 200, asked.text
    returned = await api.http.post(
        "/returns",
        json=return_request(reason="wrong_item", evidence_urls=["https://img.example.com/w.jpg"]),
    )
    return_id = returned.json()["return_id"]
    await wait_for_status(api, return_id, "awaiting_consent")
    survey, survey_token = await send_survey(api, locale="zh-CN")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = await _phone(browser, base_url, "en-GB")

            # The complaint: the agent's question, answered from the page.
            await page.goto(path_of(created["customer_url"]))
            await expect(page.locator("[data-asked]")).to_contain_text(question)
            await _no_sideways_scrolling(page)
            await _screenshot(page, "01-complaint-question-en")
            await page.fill("textarea[name=message]", "Here it is: the label reads M-200.")
            await page.fill("textarea[name=evidence_urls]", "https://img.example.com/label.jpg")
            await page.tap("form.reply button[type=submit]")
            await expect(page.locator("[data-notice=sent_reply]")).to_be_visible()
            await expect(page.locator('[data-kind="customer_replied"]').first).to_contain_text(
                "M-200"
            )
            await _screenshot(page, "02-complaint-replied-en")
            await page.tap("a[hreflang=zh-CN]")
            await expect(page.locator("h1")).to_have_text(f"您的投诉 {complaint_id}")
            await _screenshot(page, "03-complaint-zh-CN")

            # The return: its plan accepted, then its label and ship-by date.
            await page.goto(path_of(returned.json()["customer_url"]))
            await expect(page.locator("form.plan")).to_be_visible()
            await _no_sideways_scrolling(page)
            await _screenshot(page, "04-return-plan-en")
            await page.tap("button[value=accept]")
            await expect(page.locator("[data-notice=sent_consent]")).to_be_visible()
            await wait_for_return(api, return_id, lambda v: v["return_parcel"] is not None)
            await page.reload()
            await expect(page.locator(".ship-by")).to_be_visible()
            await _screenshot(page, "05-return-label-en")

            # The survey, in the customer's Chinese.
            page = await _phone(browser, base_url, "zh-CN")
            await page.goto(f"/surveys/{survey_token}")
            await expect(page.locator("h1")).to_have_text("请评价我们的服务")
            await _no_sideways_scrolling(page)
            await _screenshot(page, "06-survey-zh-CN")
            await page.check("input[name=csat][value='5']")
            await page.check("input[name=resolved][value=yes]")
            await page.check("input[name=nps][value='9']")
            await page.fill("textarea[name=comment]", "处理得很快，谢谢！")
            await page.tap("button[type=submit]")
            await expect(page.locator("[data-recorded]")).to_contain_text("感谢您的反馈")
            await _screenshot(page, "07-survey-thanks-zh-CN")
        finally:
            await browser.close()

    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    said = [e["detail"] for e in view["timeline"] if e["kind"] == "customer_replied"]
    assert said == ["Here it is: the label reads M-200.\nhttps://img.example.com/label.jpg"]
    assert view["status"] == "open"
    assert (await api.http.get(f"/returns/{return_id}")).json()["consent"]["accepted"] is True
    answer = (await survey.query(SurveyWorkflow.view)).answer
    assert answer is not None and (answer.csat, answer.resolved, answer.nps) == (5, True, 9)
    assert answer.comment == "处理得很快，谢谢！"
