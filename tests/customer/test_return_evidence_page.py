"""Photos on the customer's return page: the return's link takes a photo as
`POST /returns/{id}/evidence` takes it (kept once however often it is sent, listed and
shown back as a thumbnail, and on the return's timeline once: the customer's page and
the console's return page show the step), explains a refused file in the customer's language with
nothing kept, refuses a post without the page's nonce, and takes nothing once the return
is over; a complaint's link takes photos as before. Over a real Temporal dev server and
real workers, with a small file limit so a file over it is cheap to make."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from api.customer.credentials import form_nonce
from domain.access import Role
from store.db import SessionFactory
from store.evidence import case_evidence
from tests.api.conftest import TEST_MAX_FILE_BYTES, running_api
from tests.api.returns_support import return_request, wait_for_status
from tests.api.support import Api, intake
from tests.api.test_evidence import kept_files
from tests.console.conftest import console_settings
from tests.console.support import browser, signed_in
from tests.customer.support import page_and_nonce, path_of
from tests.store.test_evidence_sniffing import PROGRAM, image_bytes

PHOTO = image_bytes("JPEG", (120, 90))


@pytest.fixture
async def api(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, database_url: str, tmp_path: Path
) -> AsyncIterator[Api]:
    settings = console_settings(
        dev_server_env, database_url, tmp_path, evidence_max_file_bytes=TEST_MAX_FILE_BYTES
    )
    async with running_api(dev_server_env.client, sessions, settings) as served:
        yield served


async def _return_page(api: Api, body: dict[str, Any] | None = None) -> tuple[str, str]:
    """Returns a new return's id and its page's path."""
    created = await api.http.post("/returns", json=body or return_request())
    assert created.status_code == 201, created.text
    return created.json()["return_id"], path_of(created.json()["customer_url"])


async def _send_photo(
    client: httpx.AsyncClient,
    page: str,
    nonce: str,
    photo: tuple[str, bytes, str] | None,
    *,
    lang: str = "",
) -> httpx.Response:
    files = {"photo": photo} if photo is not None else None
    action = f"{page}/evidence" + (f"?lang={lang}" if lang else "")
    return await client.post(action, data={"form_token": nonce}, files=files)


def _kept(api: Api, kind: str, case_id: str) -> list[tuple[str, str]]:
    with api.sessions() as session:
        rows = case_evidence(session, case_kind=kind, case_id=case_id)
    return [(row.filename, row.source) for row in rows]


@pytest.mark.both_stores
async def test_a_photo_sent_twice_from_the_return_page_is_kept_once_and_shown(
    api: Api,
) -> None:
    return_id, page = await _return_page(api)
    async with browser(api) as client:
        before, nonce = await page_and_nonce(client, page)
        # A double tap on "Upload": the same photo, twice, from the same page.
        first = await _send_photo(client, page, nonce, ("box.jpg", PHOTO, "image/jpeg"))
        again = await _send_photo(client, page, nonce, ("box.jpg", PHOTO, "image/jpeg"))
        after = await client.get(first.headers["location"])
        chinese = await client.get(f"{page}?lang=zh-CN")
        # Counted before the preview below adds its JPEG beside the file.
        files_kept = kept_files(api)
        listed = (await api.http.get(f"/returns/{return_id}/evidence")).json()["items"]
        sha256 = listed[0]["sha256"]
        served = await client.get(f"{page}/evidence/{sha256}")
        preview = await client.get(f"{page}/evidence/{sha256}/preview")

    assert f'action="{page}/evidence"' in before.text and 'accept="image/*"' in before.text
    assert "You have not sent us any photos yet." in before.text
    assert (first.status_code, again.status_code) == (303, 303), first.text
    assert first.headers["location"] == f"{page}?sent=evidence"
    assert _kept(api, "return", return_id) == [("box.jpg", "customer_page")]
    assert len(files_kept) == 1
    assert [(item["filename"], item["source"]) for item in listed] == [("box.jpg", "customer_page")]
    assert after.status_code == 200 and 'data-notice="sent_evidence"' in after.text
    assert 'data-evidence="box.jpg"' in after.text
    assert f'<img src="{page}/evidence/{sha256}"' in after.text
    assert served.content == PHOTO and served.headers["content-type"] == "image/jpeg"
    assert (preview.status_code, preview.headers["content-type"]) == (200, "image/jpeg")
    # The page still takes another photo while the return is open.
    assert f'action="{page}/evidence"' in after.text
    # On the timeline once, with the customer's own file described.
    described = f"box.jpg (JPEG, {len(PHOTO)} B)"
    for shown, name in ((after, "You sent a file"), (chinese, "您已提交文件")):
        assert shown.text.count('data-kind="evidence_added"') == 1
        assert name in shown.text and f'<p class="detail">{described}</p>' in shown.text
    async with signed_in(api, "sup-page-files", Role.SUPERVISOR) as supervisor:
        console = await supervisor.get(f"/console/returns/{return_id}")
    assert console.text.count('data-kind="evidence_added"') == 1
    assert "Customer sent a file" in console.text and described in console.text


async def test_a_refused_file_shows_the_page_with_the_reason_and_keeps_nothing(
    api: Api,
) -> None:
    return_id, page = await _return_page(api)
    too_large = b"\xff\xd8\xff" + bytes(TEST_MAX_FILE_BYTES)
    async with browser(api) as client:
        _, nonce = await page_and_nonce(client, page)
        program = await _send_photo(client, page, nonce, ("photo.jpg", PROGRAM, "image/jpeg"))
        large = await _send_photo(client, page, nonce, ("big.jpg", too_large, "image/jpeg"))
        empty = await _send_photo(client, page, nonce, ("empty.jpg", b"", "image/jpeg"))
        missing = await _send_photo(client, page, nonce, None)
        chinese = await _send_photo(
            client, page, nonce, ("photo.jpg", PROGRAM, "image/jpeg"), lang="zh-CN"
        )
        forged = await _send_photo(client, page, "1.deadbeef", ("box.jpg", PHOTO, "image/jpeg"))
        elsewhere = await client.post(
            f"{page}/evidence",
            data={"form_token": nonce},
            files={"photo": ("box.jpg", PHOTO, "image/jpeg")},
            headers={"Origin": "https://attacker.example"},
        )

    assert program.status_code == 415, program.text
    assert 'data-problem="evidence_type_not_accepted"' in program.text
    assert "We cannot take that file" in program.text and "Nothing was saved." in program.text
    assert large.status_code == 413 and 'data-problem="evidence_too_large"' in large.text
    assert "each photo may be up to 0.03 MB" in large.text
    assert empty.status_code == 422 and 'data-problem="evidence_empty"' in empty.text
    assert missing.status_code == 422 and 'data-problem="evidence_empty"' in missing.text
    assert chinese.status_code == 415 and "无法接收该文件" in chinese.text
    assert 'lang="zh-CN"' in chinese.text
    # The page is shown again, with the form to try another photo.
    for refused in (program, large, empty, chinese):
        assert return_id in refused.text
        assert 'name="photo"' in refused.text
    assert (forged.status_code, elsewhere.status_code) == (403, 403)
    assert 'data-problem="form_expired"' in forged.text
    assert _kept(api, "return", return_id) == []
    assert kept_files(api) == []


async def test_a_closed_return_shows_no_form_and_refuses_a_photo(api: Api) -> None:
    # Food bought for a change of mind is never returnable: the return closes at once.
    body = return_request()
    body["lines"][0]["product_category"] = "food"
    return_id, page = await _return_page(api, body)
    await wait_for_status(api, return_id, "rejected")
    async with browser(api) as client:
        shown = await client.get(page)
        # As a page loaded while it was still open would send it: its nonce is good.
        nonce = form_nonce(api.settings.secret_key, page.rsplit("/", 1)[1])
        refused = await _send_photo(client, page, nonce, ("late.jpg", PHOTO, "image/jpeg"))

    assert shown.status_code == 200, shown.text
    assert 'name="photo"' not in shown.text and f'action="{page}/evidence"' not in shown.text
    assert "This return has finished, so it takes no more photos." in shown.text
    assert refused.status_code == 409, refused.text
    assert 'data-problem="return_closed"' in refused.text
    assert "takes no more answers or photos" in refused.text
    assert _kept(api, "return", return_id) == []
    assert kept_files(api) == []


async def test_a_complaint_link_still_takes_a_photo_once(api: Api) -> None:
    created = (await api.create(intake(description="The lamp shade arrived cracked."))).json()
    complaint_id, page = created["complaint_id"], path_of(created["customer_url"])
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    async with browser(api) as client:
        _, nonce = await page_and_nonce(client, page)
        sent = [
            await _send_photo(client, page, nonce, ("shade.jpg", PHOTO, "image/jpeg"))
            for _ in range(2)
        ]
        shown = await client.get(page)
    view = await api.wait_for_view(
        complaint_id,
        lambda view: any(event["kind"] == "evidence_added" for event in view["timeline"]),
    )

    assert [answer.status_code for answer in sent] == [303, 303]
    assert _kept(api, "complaint", complaint_id) == [("shade.jpg", "customer_page")]
    assert 'data-evidence="shade.jpg"' in shown.text
    added = [event for event in view["timeline"] if event["kind"] == "evidence_added"]
    assert len(added) == 1 and "shade.jpg" in added[0]["detail"]


async def test_a_return_link_opens_no_other_case_s_files(api: Api) -> None:
    mine_id, mine = await _return_page(api)
    theirs_id, theirs = await _return_page(api)
    async with browser(api) as client:
        _, nonce = await page_and_nonce(client, theirs)
        await _send_photo(client, theirs, nonce, ("theirs.jpg", PHOTO, "image/jpeg"))
        listed = (await api.http.get(f"/returns/{theirs_id}/evidence")).json()["items"]
        through_mine = await client.get(f"{mine}/evidence/{listed[0]['sha256']}/preview")
        own_page = await client.get(mine)

    assert through_mine.status_code == 404
    assert "theirs.jpg" not in own_page.text and mine_id in own_page.text
