"""The Temporal UI of `make run`, in a real browser, with nothing set in the browser first.

A supervisor signed in to the console opens a complaint's workflow in the UI and reads
the customer's data decoded (the UI sends the console's session cookie to the API's
codec endpoint). Signed out, or signed in as an agent, the codec refuses (401, 403): the
payload stays ciphertext and the page says who may read it and where to sign in. The
workflow list shows each complaint's status, category and tier, and the stack's "Open
cases" link opens it filtered to open complaints.

It runs `python -m core.stack` for real (dev server, the UI's front, worker, API) on free
ports. Screenshots land in test-artifacts/temporal-ui/ for review. Chromium comes from
Debian (`scripts/chromium-for-tests`, passed on as REDRESS_TEST_CHROMIUM); without it
this test is skipped and says why.
"""

import asyncio
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from core.temporal_ui import open_cases_url
from domain.access import Role
from tests.console.browser_support import CHROMIUM, CHROMIUM_ARGS
from tests.console.support import PASSWORD
from tests.console.test_console_in_browser import LIVE_TIMEOUT_MS
from tests.running_stack import READY_TIMEOUT_SECONDS, ROOT, admin_headers, running_stack, stack_env

SCREENSHOTS = ROOT / "test-artifacts" / "temporal-ui"
CUSTOMER_NAME = "Mei Lin Decodable"
DESCRIPTION = "The kettle arrived with a cracked base and leaks onto the counter."
REFUSED = "Customer data is encrypted"

pytestmark = pytest.mark.skipif(
    not CHROMIUM,
    reason="no Chromium: REDRESS_TEST_CHROMIUM is empty (`make test` sets it from "
    "scripts/chromium-for-tests, which installs Debian's chromium when run as root)",
)


def _demo_password(env: dict[str, str], user: str) -> str:
    """Returns the password the stack wrote for its demo `user` on first start."""
    for line in (Path(env["REDRESS_DATA_DIR"]) / "demo-credentials").read_text().splitlines():
        if line.startswith(f"{user}:"):
            return line.split("password ")[1].split()[0]
    raise AssertionError(f"no {user} in demo-credentials")


def _add_agent(env: dict[str, str], user: str) -> None:
    """Creates an agent who signs in to the console with PASSWORD, as an operator would."""
    command = ["users", "create", user, "--role", Role.AGENT.value, "--password-stdin"]
    created = subprocess.run(
        [sys.executable, "-m", "core.cli", *command],
        cwd=ROOT,
        env=env,
        input=f"{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr


async def _open_classified_complaint(api: httpx.AsyncClient) -> dict[str, str]:
    """Opens a complaint that waits for an agent; returns its read model once classified."""
    body = {
        "channel": "web",
        "customer": {
            "id": f"cust-{uuid.uuid4().hex[:8]}",
            "locale": "en",
            "name": CUSTOMER_NAME,
        },
        "description": DESCRIPTION,
        "desired_outcome": "refund",
    }
    created = await api.post(
        "/complaints", json=body, headers={"Idempotency-Key": f"ui-{uuid.uuid4()}"}
    )
    assert created.status_code == 201, created.text
    complaint_id = created.json()["complaint_id"]
    for _ in range(int(READY_TIMEOUT_SECONDS / 0.25)):
        view = (await api.get(f"/complaints/{complaint_id}")).json()
        if view.get("classification") and view["status"] == "open":
            classification = view["classification"]
            return {
                "workflow_id": f"complaint-{complaint_id}",
                "status": view["status"],
                "category": classification["category"],
                "tier": classification["tier"],
            }
        await asyncio.sleep(0.25)
    raise AssertionError(f"complaint {complaint_id} was never classified")


async def _browser_page(
    browser: Browser, api_url: str, *, user: str | None, password: str = PASSWORD
) -> tuple[Page, list[int]]:
    """Returns a page in a fresh browser context (signed in to the console as `user`, or
    signed out) and the statuses the codec endpoint answers it with, as they come."""
    context = await browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(LIVE_TIMEOUT_MS)
    page = await context.new_page()
    codec_statuses: list[int] = []
    page.on(
        "response",
        lambda response: (
            codec_statuses.append(response.status)
            if response.url.startswith(f"{api_url}/codec/")
            else None
        ),
    )
    if user is not None:
        await page.goto(f"{api_url}/console/sign-in")
        await page.fill("input[name=user_id]", user)
        await page.fill("input[name=password]", password)
        await page.click("button[type=submit].primary")
        await expect(page).not_to_have_url(f"{api_url}/console/sign-in", timeout=LIVE_TIMEOUT_MS)
    return page, codec_statuses


async def test_the_ui_decodes_for_a_supervisor_and_for_nobody_else(tmp_path: Path) -> None:
    env = stack_env(tmp_path)
    api_url = f"http://127.0.0.1:{env['REDRESS_API_PORT']}"
    ui_url = f"http://127.0.0.1:{env['REDRESS_TEMPORAL_UI_PORT']}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    with running_stack(env, tmp_path / "stack.log"):
        _add_agent(env, "agent-ui")
        async with httpx.AsyncClient(
            base_url=api_url, headers=admin_headers(env), timeout=15
        ) as api:
            case = await _open_classified_complaint(api)
        workflow_page = f"{ui_url}/namespaces/default/workflows/{case['workflow_id']}"
        # The stack's UI is told to send credentials: no browser needs the setting.
        settings = httpx.get(f"{ui_url}/api/v1/settings", timeout=10).json()
        assert settings["Codec"]["IncludeCredentials"] is True, settings

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                supervisor = _demo_password(env, "supervisor")
                page, codec = await _browser_page(
                    browser, api_url, user="supervisor", password=supervisor
                )
                await page.goto(workflow_page)
                body = page.locator("body")
                await expect(body).to_contain_text(DESCRIPTION, timeout=LIVE_TIMEOUT_MS)
                await expect(body).to_contain_text(CUSTOMER_NAME, timeout=LIVE_TIMEOUT_MS)
                await expect(body).not_to_contain_text(REFUSED, timeout=LIVE_TIMEOUT_MS)
                await page.screenshot(path=str(SCREENSHOTS / "01-supervisor-decoded.png"))
                assert codec and set(codec) == {200}, codec

                # The list: each complaint's status, category and tier, not only its id.
                await page.goto(f"{ui_url}/namespaces/default/workflows")
                for column in ("ComplaintStatus", "ComplaintCategory", "ComplaintTier"):
                    await expect(page.locator("th", has_text=column)).to_be_visible(
                        timeout=LIVE_TIMEOUT_MS
                    )
                row = page.locator("tr", has_text=case["workflow_id"])
                for value in (case["status"], case["category"], case["tier"]):
                    await expect(row).to_contain_text(value, timeout=LIVE_TIMEOUT_MS)
                await page.screenshot(path=str(SCREENSHOTS / "02-workflow-list.png"))
                await page.goto(open_cases_url(ui_url, "default"))
                await expect(page.locator("tr", has_text=case["workflow_id"])).to_be_visible(
                    timeout=LIVE_TIMEOUT_MS
                )
                await page.screenshot(path=str(SCREENSHOTS / "03-open-cases-link.png"))

                for user, refusal in ((None, 401), ("agent-ui", 403)):
                    page, codec = await _browser_page(browser, api_url, user=user)
                    await page.goto(workflow_page)
                    await expect(page.get_by_text(REFUSED)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
                    await expect(page.locator("body")).not_to_contain_text(
                        DESCRIPTION, timeout=LIVE_TIMEOUT_MS
                    )
                    await expect(page.locator("body")).not_to_contain_text(
                        CUSTOMER_NAME, timeout=LIVE_TIMEOUT_MS
                    )
                    name = "04-signed-out-refused" if user is None else "05-agent-refused"
                    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
                    assert codec and set(codec) == {refusal}, (user, codec)
            finally:
                await browser.close()
