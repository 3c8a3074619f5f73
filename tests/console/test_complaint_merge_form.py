"""The complaint page's duplicates panel and merge form, over the app with real workers: a
supervisor merges a complaint into the duplicate linked at intake, once however often the
form is sent; both pages show the links, in English and Chinese; another agent's
complaint is the 403 page and no workflow hears anything; a refused merge is explained on
the page, naming the field."""

import re
from typing import Any

from domain.access import Role
from tests.api.support import Api, intake
from tests.console.support import add_staff, browser, csrf_token, sign_in, signed_in
from tests.console.workspace_support import OpenComplaint, heard, open_complaint, page_form


async def _pair(api: Api) -> tuple[OpenComplaint, OpenComplaint]:
    """Returns a complaint and a second one about the same order (linked at intake)."""
    body = intake()
    first = await open_complaint(api, **body)
    second = await open_complaint(api, **intake(body["customer"]["id"], order=body["order"]))
    await api.wait_for_view(
        first.complaint_id, lambda view: view["duplicates"] == [second.complaint_id]
    )
    return first, second


def _merge_action(complaint: OpenComplaint) -> str:
    return f"{complaint.page}/merge"


async def _assign(api: Api, complaint: OpenComplaint, agent: str) -> None:
    action = {"action": {"type": "assign", "agent_id": agent}}
    answer = await api.http.post(f"/complaints/{complaint.complaint_id}/actions", json=action)
    assert answer.status_code == 200, answer.text


def _count(view: dict[str, Any], kind: str) -> int:
    return [event["kind"] for event in view["timeline"]].count(kind)


async def test_a_supervisor_merges_a_complaint_into_its_linked_duplicate_once(api: Api) -> None:
    first, second = await _pair(api)

    async with signed_in(api, "sup-merge", Role.SUPERVISOR) as supervisor:
        shown = await supervisor.get(first.page)
        hidden = await page_form(supervisor, first.page, _merge_action(first))
        fields = hidden | {"into": second.complaint_id}
        merged = await supervisor.post(_merge_action(first), data=fields)
        again = await supervisor.post(_merge_action(first), data=fields)
        survivor_page = await supervisor.get(merged.headers["location"])
        old_page = await supervisor.get(first.page)
        in_chinese = await supervisor.get(f"{second.page}?lang=zh-CN")

    assert 'data-link="duplicates"' in shown.text
    assert f'<input type="radio" name="into" value="{second.complaint_id}"' in shown.text
    assert merged.status_code == 303, merged.text
    target = f"/console/complaints/{second.complaint_id}?merged={first.complaint_id}#duplicates"
    assert merged.headers["location"] == target
    assert again.status_code == 303, "the same form again answers as the first time"
    assert f'data-merged="{first.complaint_id}"' in survivor_page.text
    assert f"Complaint {first.complaint_id} was merged into this one" in survivor_page.text
    assert 'data-link="merged-from"' in survivor_page.text
    assert 'data-link="merged-into"' in old_page.text and "merge-form" not in old_page.text
    assert "并入自" in in_chinese.text and "重复投诉" in in_chinese.text
    survivor = await api.wait_for_view(
        second.complaint_id, lambda view: view["merged_from"] == [first.complaint_id]
    )
    assert _count(survivor, "merged_from") == 1
    closed = (await api.http.get(f"/complaints/{first.complaint_id}")).json()
    assert (closed["close_reason"], closed["merged_into"]) == ("merged", second.complaint_id)
    # The timeline records the close reason's code; the page names it in its language.
    async with signed_in(api, "sup-merge-zh", Role.SUPERVISOR) as supervisor:
        closed_page = await supervisor.get(f"{first.page}?lang=zh-CN")
    closed_event = re.search(
        r'data-kind="closed">.*?class="detail">(.*?)</p>', closed_page.text, re.S
    )
    assert closed_event is not None and closed_event.group(1) == "已合并"


async def test_another_agents_complaint_is_a_403_page_and_nothing_is_merged(api: Api) -> None:
    first, second = await _pair(api)
    await _assign(api, first, "agent-merge-a")
    await _assign(api, second, "agent-merge-b")
    add_staff(api, "agent-merge-a", Role.AGENT)
    async with browser(api) as owner:
        assert (await sign_in(owner, "agent-merge-a")).status_code == 303
        hidden = await page_form(owner, first.page, _merge_action(first))
        # The survivor is another agent's: refused before any workflow hears of it.
        not_both = await owner.post(
            _merge_action(first), data=hidden | {"into": second.complaint_id}
        )
    before = [await heard(api, c.complaint_id) for c in (first, second)]

    async with signed_in(api, "agent-elsewhere", Role.AGENT) as other:
        page = await other.get(first.page)
        token = csrf_token(page.text)
        foreign = await other.post(
            _merge_action(first),
            data=hidden | {"csrf_token": token, "into": second.complaint_id},
        )

    assert not_both.status_code == 403, not_both.text
    assert "Only the agent assigned to both complaints" in not_both.text
    assert 'data-why="merge_not_yours"' in page.text and "merge-form" not in page.text
    assert foreign.status_code == 403, foreign.text
    assert [await heard(api, c.complaint_id) for c in (first, second)] == before
    view = (await api.http.get(f"/complaints/{first.complaint_id}")).json()
    assert (view["status"], view["merged_into"]) == ("open", None)


async def test_a_refused_merge_is_explained_on_the_page(api: Api) -> None:
    first, second = await _pair(api)

    async with signed_in(api, "sup-merge", Role.SUPERVISOR, locale="zh-CN") as supervisor:
        # The form as shown before the other complaint closed, from a tab left open.
        hidden = await page_form(supervisor, first.page, _merge_action(first))
        apology = {"compensations": [], "message": "Sorry.", "root_cause": "supplier_defect"}
        close = {"action": {"type": "propose_resolution", "proposal": apology}}
        closing = await api.http.post(f"/complaints/{second.complaint_id}/actions", json=close)
        assert closing.status_code == 200, closing.text
        await api.wait_for_view(second.complaint_id, lambda view: view["status"] == "closed")
        before = await heard(api, first.complaint_id)
        closed = await supervisor.post(
            _merge_action(first), data=hidden | {"into": second.complaint_id}
        )
        nonsense = await supervisor.post(_merge_action(first), data=hidden | {"into": "x"})
        reloaded = await supervisor.get(first.page)

    assert closed.status_code == 409, closed.text
    assert 'data-problem="merge_refused_survivor_closed"' in closed.text
    assert 'data-field="into"' in closed.text
    assert f"投诉 {second.complaint_id} 已结案" in closed.text
    assert nonsense.status_code == 422 and 'data-problem="merge_choose"' in nonsense.text
    assert await heard(api, first.complaint_id) == before
    # Reloaded, the page offers no merge into a closed complaint, and says so.
    assert 'data-why="merge_none_open"' in reloaded.text and "merge-form" not in reloaded.text
