"""Presence on a complaint page over the real app and store: each page's report shows the
others who have the complaint open and who is writing; a closing page drops off at once;
agents may see any complaint (so any agent is shown reading one), but only those who may
reply can be shown writing; the warehouse, a bad state or page key, or a missing CSRF
token are refused and nothing is kept. Without a script the page shows no presence."""

import re
from dataclasses import dataclass

import httpx

from domain.access import Role
from tests.api.support import Api
from tests.console.support import add_staff, browser, csrf_token, sign_in, signed_in
from tests.console.workspace_support import OpenComplaint, open_complaint


@dataclass
class OpenPage:
    """A complaint page as a browser holds it: what its script reports with."""

    client: httpx.AsyncClient
    url: str
    page_key: str
    csrf_token: str

    async def report(self, state: str, **changes: str) -> httpx.Response:
        fields = {"csrf_token": self.csrf_token, "page_key": self.page_key, "state": state}
        return await self.client.post(self.url, data=fields | changes)


def attribute(html: str, name: str) -> str:
    found = re.search(rf'{name}="([^"]*)"', html)
    assert found is not None, f"the page has no {name}"
    return found.group(1)


async def open_page(client: httpx.AsyncClient, complaint: OpenComplaint) -> OpenPage:
    shown = await client.get(complaint.page)
    assert shown.status_code == 200, shown.text
    return OpenPage(
        client,
        attribute(shown.text, "data-presence-url"),
        attribute(shown.text, "data-presence-key"),
        attribute(shown.text, "data-csrf-token"),
    )


def present(answer: httpx.Response) -> dict[str, str]:
    """Returns who the answer shows, each as reading or writing."""
    assert answer.status_code == 200, answer.text
    people = re.findall(r'data-present="([^"]+)" data-writing="(true|false)"', answer.text)
    return {user: "writing" if writing == "true" else "reading" for user, writing in people}


async def test_each_page_sees_the_others_and_who_is_writing(api: Api) -> None:
    complaint = await open_complaint(api)
    add_staff(api, complaint.agent, Role.AGENT)
    async with (
        browser(api) as agent_browser,
        signed_in(api, "sup-presence", Role.SUPERVISOR, locale="zh-CN") as supervisor,
    ):
        assert (await sign_in(agent_browser, complaint.agent)).status_code == 303
        agent = await open_page(agent_browser, complaint)
        alone = await agent.report("viewing")
        assert present(alone) == {} and "Nobody else has this complaint open." in alone.text

        watching = await open_page(supervisor, complaint)
        seen = await watching.report("viewing")
        assert present(seen) == {complaint.agent: "reading"}
        assert f"{complaint.agent} (test)" in seen.text and "正在查看" in seen.text

        assert present(await agent.report("writing")) == {"sup-presence": "reading"}
        writing = await watching.report("viewing")
        assert present(writing) == {complaint.agent: "writing"}
        assert "正在撰写回复" in writing.text

        # The agent's page closes: gone at once, not after the reports expire.
        assert (await agent.report("left")).status_code == 200
        assert present(await watching.report("viewing")) == {}


async def test_any_agent_may_be_seen_reading_but_only_one_who_may_reply_writing(
    api: Api,
) -> None:
    complaint = await open_complaint(api)
    async with (
        signed_in(api, "agent-elsewhere", Role.AGENT) as other,
        signed_in(api, "sup-watch", Role.SUPERVISOR) as supervisor,
    ):
        # Agents see every complaint (they act on their own): the page and its presence.
        reading = await open_page(other, complaint)
        assert present(await reading.report("viewing")) == {}
        refused = await reading.report("writing")
        watching = await open_page(supervisor, complaint)
        shown = await watching.report("viewing")

    assert refused.status_code == 403
    assert "assigned to another agent" in refused.text
    assert present(shown) == {"agent-elsewhere": "reading"}


async def test_refused_reports_keep_nothing(api: Api) -> None:
    complaint = await open_complaint(api)
    async with (
        signed_in(api, "sup-bad", Role.SUPERVISOR) as sender,
        signed_in(api, "sup-witness", Role.SUPERVISOR) as witness,
    ):
        page = await open_page(sender, complaint)
        bad_state = await page.report("typing")
        bad_key = await page.report("viewing", page_key="short")
        no_token = await page.report("viewing", csrf_token="")
        elsewhere = await sender.post(
            "/console/complaints/CAAAAAAAAAAAA/presence",
            data={"csrf_token": page.csrf_token, "page_key": page.page_key, "state": "viewing"},
        )
        shown = await (await open_page(witness, complaint)).report("viewing")

    assert bad_state.status_code == 422
    assert 'data-problem="presence_state_invalid"' in bad_state.text
    assert "“state”" in bad_state.text
    assert bad_key.status_code == 422 and "“page_key”" in bad_key.text
    assert no_token.status_code == 403 and 'data-problem="csrf_refused"' in no_token.text
    assert elsewhere.status_code == 404
    assert present(shown) == {}


async def test_the_warehouse_and_signed_out_browsers_are_refused(api: Api) -> None:
    complaint = await open_complaint(api)
    url = f"{complaint.page}/presence"
    async with signed_in(api, "wh-presence", Role.WAREHOUSE) as warehouse:
        token = csrf_token((await warehouse.get("/console/returns")).text)
        refused = await warehouse.post(
            url, data={"csrf_token": token, "page_key": "k" * 24, "state": "viewing"}
        )
    async with browser(api) as nobody:
        signed_out = await nobody.post(url, data={"state": "viewing"})

    assert refused.status_code == 403
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/console/sign-in")


async def test_without_a_script_the_page_shows_no_presence(api: Api) -> None:
    complaint = await open_complaint(api)
    add_staff(api, complaint.agent, Role.AGENT)
    async with signed_in(api, "sup-early", Role.SUPERVISOR) as early, browser(api) as agent:
        await (await open_page(early, complaint)).report("viewing")
        assert (await sign_in(agent, complaint.agent)).status_code == 303
        page = await agent.get(complaint.page)
        reloaded = await agent.get(complaint.page)

    panel = re.search(r'<section class="presence"[^>]*>', page.text)
    assert panel is not None and " hidden" in panel.group(0)
    assert "sup-early" not in page.text
    assert "data-presence-draft" in page.text, "the reply's text area reports writing"
    # Each load of the page is a page of its own, reporting under its own key.
    key = attribute(page.text, "data-presence-key")
    assert key != attribute(reloaded.text, "data-presence-key")
