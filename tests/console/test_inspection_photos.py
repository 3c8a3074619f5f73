"""Photos on the warehouse's inspection form, on real return workflows (dev server, real
workers): the form uploads them as multipart, keeps them as the return's files and sends
the inspection naming them; the return's page then shows them inline beside the
customer's own files. A bad photo (not a picture, too large, too many) shows the page
again naming the field, with nothing stored and nothing sent to the workflow.
"""

import io
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from temporalio.testing import WorkflowEnvironment

from domain.access import Role
from domain.returns import MAX_INSPECTION_PHOTOS
from store.db import SessionFactory
from store.evidence import case_evidence
from tests.api.conftest import running_api
from tests.api.returns_support import wait_for_status
from tests.api.support import Api
from tests.console.conftest import console_settings
from tests.console.return_support import (
    accepted_updates,
    deliver_to_warehouse,
    form_of,
    two_pairs_request,
)
from tests.console.support import signed_in
from tests.store.test_evidence_sniffing import PROGRAM, image_bytes

WAREHOUSE = "wh-photos-form"
MAX_FILE_BYTES = 32 * 1024
Files = list[tuple[str, tuple[str, bytes, str]]]


@pytest.fixture
async def photo_api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    settings = console_settings(
        dev_server_env, database_url, tmp_path, evidence_max_file_bytes=MAX_FILE_BYTES
    )
    async with running_api(dev_server_env.client, sessions, settings) as api:
        yield api


def return_files(api: Api, return_id: str) -> list[tuple[str, str]]:
    with api.sessions() as session:
        rows = case_evidence(session, case_kind="return", case_id=return_id)
        return [(row.filename, row.source) for row in rows]


def noisy_png(side: int) -> bytes:
    """Returns a PNG of random pixels: one that compresses to no less than its pixels."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), random.randbytes(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def photos(*named: tuple[str, bytes]) -> Files:
    return [("photos", (name, data, "application/octet-stream")) for name, data in named]


@pytest.mark.both_stores
async def test_the_warehouse_sends_photos_with_the_inspection_and_the_page_shows_them(
    photo_api: Api,
) -> None:
    api = photo_api
    view = await deliver_to_warehouse(api, two_pairs_request())
    return_id = view["return_id"]
    page_url = f"/console/returns/{return_id}"
    action = f"{page_url}/inspection"
    partial: dict[str, Any] = {"verdict": "partial", "sku": "SHOE-42", "accepted": "1"}
    sole, heel = image_bytes("JPEG", (120, 90)), image_bytes("PNG", (80, 60))
    box = image_bytes("WEBP", (70, 50))
    platform = api.client_as("shop-backend-photos", Role.SERVICE)
    customer = await platform.post(
        f"/returns/{return_id}/evidence", files={"file": ("box.webp", box, "image/webp")}
    )
    assert customer.status_code == 201, customer.text

    async with signed_in(api, WAREHOUSE, Role.WAREHOUSE) as warehouse:
        page = await warehouse.get(page_url)
        assert 'enctype="multipart/form-data"' in page.text
        accept = "image/heic,image/heif,image/jpeg,image/png,image/webp"
        assert f'name="photos" multiple accept="{accept}"' in page.text
        types = "JPEG, PNG, WebP, HEIC, HEIF"
        assert f"Up to {MAX_INSPECTION_PHOTOS} photos, {types}, at most 0.03 MB each" in page.text
        assert 'data-files="customer"' in page.text and 'data-evidence="box.webp"' in page.text
        form = form_of(page.text, "inspection") | partial
        other_tab = form_of((await warehouse.get(page_url)).text, "inspection") | partial

        refused = {
            "program": await warehouse.post(
                action, data=form, files=photos(("sole.jpg", sole), ("setup.jpg", PROGRAM))
            ),
            "receipt": await warehouse.post(
                action, data=form, files=photos(("receipt.pdf", b"%PDF-1.4\n%%EOF\n"))
            ),
            "too large": await warehouse.post(
                action, data=form, files=photos(("huge.png", noisy_png(120)))
            ),
            "too many": await warehouse.post(
                action, data=form, files=photos(*[(f"p{i}.jpg", sole) for i in range(21)])
            ),
            "no verdict": await warehouse.post(
                action, data=form | {"verdict": ""}, files=photos(("sole.jpg", sole))
            ),
        }  # fmt: skip
        assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(refused, 422)
        program = refused["program"].text
        assert 'data-problem="inspection_photo_type_not_accepted"' in program
        assert f"“Photos of the parcel”: setup.jpg is not a photo ({types})." in program
        assert 'id="inspection-photos-input"' in program and 'aria-invalid="true"' in program
        assert "receipt.pdf is not a photo" in refused["receipt"].text
        assert "“Photos of the parcel”: huge.png is over 0.03 MB." in refused["too large"].text
        assert "takes at most 20 photos, not 21" in refused["too many"].text
        assert "Choose a verdict for the parcel." in refused["no verdict"].text
        assert return_files(api, return_id) == [("box.webp", "api")], "no photo was kept"
        # The customer's file was told (`evidence_added`); no refused inspection was.
        assert await accepted_updates(api, return_id) == 1

        sent = photos(("sole.jpg", sole), ("heel.png", heel), ("sole again.jpg", sole))
        inspected = await warehouse.post(action, data=form, files=sent)
        again = await warehouse.post(action, data=form, files=sent)
        assert inspected.status_code == again.status_code == 303, inspected.text
        done = await warehouse.get(inspected.headers["location"])
        assert 'data-files="inspection"' in done.text
        shown = done.text.split('data-files="inspection"')[1].split("</ul>")[0]
        assert shown.index('data-evidence="sole.jpg"') < shown.index('data-evidence="heel.png"')
        assert shown.count("<img ") == 2 and "sole again" not in shown
        thumbnail = shown.split('src="')[1].split('"')[0]
        assert thumbnail.startswith(f"/returns/{return_id}/evidence/")
        served = await warehouse.get(thumbnail)
        assert served.status_code == 200 and served.content == sole

        stale = await warehouse.post(
            action,
            data=other_tab,
            files=photos(("late.png", heel)),
        )
        assert stale.status_code == 409, stale.text
        assert 'data-problem="refused_inspection_not_waiting"' in stale.text

    assert return_files(api, return_id) == [
        ("box.webp", "api"),
        ("sole.jpg", "warehouse"),
        ("heel.png", "warehouse"),
    ]
    final = await wait_for_status(api, return_id, "completed")
    assert len(final["inspection"]["photos"]) == 2
    assert await accepted_updates(api, return_id) == 2
    # The inspection holds the warehouse's photos; only the customer's is a timeline step.
    added = [e["detail"] for e in final["timeline"] if e["kind"] == "evidence_added"]
    assert [detail.split(" (")[0] for detail in added] == ["box.webp"]
