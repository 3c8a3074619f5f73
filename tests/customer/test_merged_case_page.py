"""A merged complaint's link opens the complaint it was merged into, in the customer's
language; the survivor's page says what was joined to it and shows the messages carried
over; a reply sent on the old page says where to go instead."""

from typing import Any

import pytest

from core.links import read_link_token
from tests.api.support import Api, intake
from tests.console.support import browser
from tests.customer.support import page_and_nonce, path_of


async def _open(api: Api, body: dict[str, Any]) -> tuple[str, str]:
    created = await api.create(body)
    assert created.status_code == 201, created.text
    opened = created.json()
    await api.wait_for_view(opened["complaint_id"], lambda view: view["status"] == "open")
    return opened["complaint_id"], path_of(opened["customer_url"])


async def _merged_pair(api: Api, locale: str = "en") -> tuple[str, str, str]:
    """Returns the merged complaint's id and page, and the survivor's id."""
    body = intake()
    body["customer"]["locale"] = locale
    merged, page = await _open(api, body)
    survivor, _ = await _open(api, intake(body["customer"]["id"], order=body["order"]))
    answer = await api.http.post(f"/complaints/{merged}/merge", json={"into": survivor})
    assert answer.status_code == 200, answer.text
    await api.wait_for_view(survivor, lambda view: view["merged_from"] == [merged])
    return merged, page, survivor


@pytest.mark.both_stores
async def test_a_merged_complaints_link_opens_the_survivor(api: Api) -> None:
    merged, page, survivor = await _merged_pair(api)

    async with browser(api) as client:
        opened = await client.get(page)
        assert opened.status_code == 303
        target = opened.headers["location"]
        shown = await client.get(target)

    link = read_link_token(api.settings.secret_key, target.removeprefix("/my/"))
    assert (link.kind.value, link.case_id) == ("complaint", survivor)
    old = read_link_token(api.settings.secret_key, page.removeprefix("/my/"))
    assert link.expires_at == old.expires_at, "the new link lives no longer than the old"
    assert shown.status_code == 200, shown.text
    assert f"Your complaint {survivor}" in shown.text
    assert f'data-merged-from="{merged}"' in shown.text
    assert f"We joined your complaint {merged} to this one." in shown.text
    # The customer's first words, carried over and marked with where they came from.
    assert f"[{merged} " in shown.text and "the motor does not turn on" in shown.text


async def test_the_redirect_keeps_the_chosen_language_and_speaks_chinese(api: Api) -> None:
    merged, page, survivor = await _merged_pair(api, locale="zh-CN")

    async with browser(api, accept_language="zh-CN,zh;q=0.9") as client:
        opened = await client.get(f"{page}?lang=zh-CN")
        assert opened.status_code == 303 and opened.headers["location"].endswith("?lang=zh-CN")
        shown = await client.get(opened.headers["location"])

    assert shown.status_code == 200
    assert f"我们已将您的投诉 {merged} 并入本投诉。" in shown.text


async def test_a_reply_sent_from_the_old_page_says_where_the_complaint_went(api: Api) -> None:
    body = intake()
    merged, page = await _open(api, body)
    survivor, _ = await _open(api, intake(body["customer"]["id"], order=body["order"]))

    async with browser(api) as client:
        _, nonce = await page_and_nonce(client, page)  # the page loaded before the merge
        answer = await api.http.post(f"/complaints/{merged}/merge", json={"into": survivor})
        assert answer.status_code == 200, answer.text
        refused = await client.post(
            f"{page}/messages", data={"form_token": nonce, "message": "Any news?"}
        )

    assert refused.status_code == 409, refused.text
    assert f'data-merged-into="{survivor}"' in refused.text
    assert f"We joined this complaint to your complaint {survivor}" in refused.text
    [href] = [
        part.split('"')[0]
        for part in refused.text.split('href="')[1:]
        if part.startswith("/my/") and "Open complaint" in part.split("</a>")[0]
    ]
    assert read_link_token(api.settings.secret_key, href.removeprefix("/my/")).case_id == survivor
    # The message reached neither complaint.
    for complaint_id in (merged, survivor):
        view = (await api.http.get(f"/complaints/{complaint_id}")).json()
        assert "Any news?" not in [event["detail"] for event in view["timeline"]]
