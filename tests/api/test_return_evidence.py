"""A return's evidence through the API: the customer's files (from the platform or the
customer's own link) and the warehouse's photos of the parcel, uploaded as multipart like
a complaint's, then named by the inspection. The customer's files are on the return's
timeline once each (the warehouse's photos are the inspection's). Bad files and photos
the return does not hold are refused in JSON naming the field, with nothing stored and
nothing sent to the workflow; a closed return takes no more files."""

from typing import Any

import pytest

from core.links import CaseKind, case_link_token
from domain.access import Role
from tests.api.conftest import TEST_MAX_FILE_BYTES
from tests.api.returns_support import open_return, return_request, wait_for_status
from tests.api.support import TEST_SECRET_KEY, Api
from tests.api.test_evidence import kept_files
from tests.console.return_support import accepted_updates, deliver_to_warehouse
from tests.console.support import signed_in
from tests.store.test_evidence_sniffing import PROGRAM, image_bytes


def customer_of(return_id: str) -> str:
    """Returns the customer's link token of the return (as its creation answer gives it)."""
    return case_link_token(TEST_SECRET_KEY, kind=CaseKind.RETURN, case_id=return_id, days=30)


def files_on_timeline(view: dict[str, Any]) -> list[str]:
    """Returns the name of each file on the return's timeline, oldest first."""
    events = [e for e in view["timeline"] if e["kind"] == "evidence_added"]
    return [e["detail"].split(" (")[0] for e in events]


RECEIPT = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.mark.both_stores
async def test_the_warehouse_photographs_the_parcel_and_the_inspection_names_the_photos(
    evidence_api: Api,
) -> None:
    api = evidence_api
    view = await deliver_to_warehouse(api, return_request())
    return_id = view["return_id"]
    url = f"/returns/{return_id}/evidence"

    # The customer's own link sends a photo of the box; the platform a receipt for them.
    customer = api.client_with_token(customer_of(return_id))
    box = image_bytes("PNG", (90, 60))
    sent = await customer.post(url, files={"file": ("box.png", box, "image/png")})
    assert sent.status_code == 201, sent.text
    assert (sent.json()["source"], sent.json()["content_type"]) == ("api", "image/png")
    platform = api.client_as("shop-backend-returns", Role.SERVICE)
    pdf = await platform.post(url, files={"file": ("receipt.pdf", RECEIPT, "application/pdf")})
    assert (pdf.status_code, pdf.json()["content_type"]) == (201, "application/pdf")

    # The warehouse photographs the sole; a retry under the same key stores nothing new.
    warehouse = api.client_as("wh-photos", Role.WAREHOUSE)
    sole = image_bytes("JPEG", (200, 150))

    async def photograph() -> dict[str, object]:
        files = {"file": ("IMG_7.jpg", sole, "application/octet-stream")}
        answer = await warehouse.post(url, files=files, headers={"Idempotency-Key": "sole-1"})
        assert answer.status_code in (200, 201), answer.text
        return {"status": answer.status_code, **answer.json()}

    first, retried = await photograph(), await photograph()
    assert (first["status"], retried["status"]) == (201, 200)
    assert first["source"] == "warehouse" and first["sha256"] == retried["sha256"]

    agent = api.client_as("agent-returns", Role.AGENT)
    forbidden = await agent.post(url, files={"file": ("a.png", box, "image/png")})
    assert forbidden.status_code == 403, forbidden.text
    listed = (await agent.get(url)).json()["items"]
    assert [(i["filename"], i["source"]) for i in listed] == [
        ("box.png", "api"),
        ("receipt.pdf", "api"),
        ("IMG_7.jpg", "warehouse"),
    ]
    served = await agent.get(str(first["url"]))
    assert served.content == sole and served.headers["x-content-type-options"] == "nosniff"

    # An inspection naming a photo the return does not hold is refused; nothing is sent.
    inspection = f"/returns/{return_id}/inspection"
    unknown = "0" * 64
    refused = await warehouse.post(
        inspection, json={"verdict": "accepted", "photos": [first["sha256"], unknown]}
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"] == "photo_not_uploaded"
    [field] = refused.json()["fields"]
    assert field["field"] == "photos.1" and f"/returns/{return_id}/evidence" in field["problem"]
    twice = await warehouse.post(
        inspection, json={"verdict": "accepted", "photos": [first["sha256"]] * 2}
    )
    assert twice.status_code == 422 and twice.json()["fields"][0]["field"] == "photos"
    # The customer's two files were told (`evidence_added`); the inspections were not.
    assert await accepted_updates(api, return_id) == 2

    inspected = await warehouse.post(
        inspection, json={"verdict": "accepted", "photos": [first["sha256"], sent.json()["sha256"]]}
    )
    assert inspected.status_code == 200, inspected.text
    assert inspected.json()["inspection"]["photos"] == [first["sha256"], sent.json()["sha256"]]

    final = await wait_for_status(api, return_id, "completed")
    assert final["inspection"]["photos"] == [first["sha256"], sent.json()["sha256"]]
    assert files_on_timeline(final) == ["box.png", "receipt.pdf"], "no warehouse photo"
    closed = await customer.post(url, files={"file": ("late.png", box, "image/png")})
    assert (closed.status_code, closed.json()["error"]) == (409, "return_closed")


async def test_bad_files_are_refused_naming_the_field_and_nothing_is_stored(
    evidence_api: Api,
) -> None:
    api = evidence_api
    view = await deliver_to_warehouse(api, return_request())
    url = f"/returns/{view['return_id']}/evidence"
    warehouse = api.client_as("wh-bad-files", Role.WAREHOUSE)

    renamed = await warehouse.post(url, files={"file": ("photo.jpg", PROGRAM, "image/jpeg")})
    assert renamed.status_code == 415, renamed.text
    assert renamed.json()["error"] == "evidence_type_not_accepted"
    [field] = renamed.json()["fields"]
    assert field["field"] == "file" and "JPEG, PNG, WebP, HEIC, HEIF, PDF, text" in field["problem"]

    large = ("x" * (TEST_MAX_FILE_BYTES + 1)).encode()
    over = await warehouse.post(url, files={"file": ("notes.txt", large, "text/plain")})
    assert over.status_code == 413, over.text
    assert over.json()["fields"] == [{"field": "file", "problem": "notes.txt is over 0.03 MB"}]
    far_over = await warehouse.post(url, files={"file": ("big.txt", large * 4, "text/plain")})
    assert (far_over.status_code, far_over.json()["error"]) == (413, "body_too_large")
    empty = await warehouse.post(url, files={"file": ("empty.jpg", b"", "image/jpeg")})
    assert (empty.status_code, empty.json()["error"]) == (422, "evidence_empty")
    missing = await warehouse.post(url, data={"note": "no file"})
    assert missing.status_code == 422
    assert [f["field"] for f in missing.json()["fields"]] == ["file"]

    assert (await warehouse.get(url)).json()["items"] == []
    assert kept_files(api) == []
    nobody = await warehouse.post(
        "/returns/RNOSUCHRETURN/evidence", files={"file": ("a.png", image_bytes("PNG"), "x")}
    )
    assert (nobody.status_code, nobody.json()["error"]) == (404, "return_not_found")


async def test_a_customers_file_is_on_the_return_timeline_once_however_often_sent(
    evidence_api: Api,
) -> None:
    api = evidence_api
    # A defective item without photos is held for a supervisor (evidence missing).
    return_id = await open_return(api, return_request(reason="defective"))
    await wait_for_status(api, return_id, "under_review")
    url = f"/returns/{return_id}/evidence"
    platform = api.client_as("shop-backend-photos", Role.SERVICE)
    photo = image_bytes("JPEG", (160, 120))

    async def send(key: str) -> int:
        files = {"file": ("crack.jpg", photo, "image/jpeg")}
        answer = await platform.post(url, files=files, headers={"Idempotency-Key": key})
        assert answer.status_code in (200, 201), answer.text
        return answer.status_code

    # A double submit, then a retry under the first key: stored once, told once.
    statuses = [await send("crack-1"), await send("crack-2"), await send("crack-1")]

    assert statuses == [201, 200, 200]
    view = (await api.http.get(f"/returns/{return_id}")).json()
    [added] = [e for e in view["timeline"] if e["kind"] == "evidence_added"]
    assert added["detail"] == f"crack.jpg (JPEG, {len(photo)} B)"
    assert added["actor"] == f"customer:{view['request']['customer']['id']}"
    assert view["status"] == "under_review", "a file decides nothing by itself"
    assert await accepted_updates(api, return_id) == 1
    for role, locale, name in (
        (Role.SUPERVISOR, "en", "Customer sent a file"),
        (Role.SUPERVISOR, "zh-CN", "客户已提交文件"),
    ):
        async with signed_in(api, f"sup-files-{locale}", role, locale=locale) as staff:
            page = await staff.get(f"/console/returns/{return_id}")
        assert page.status_code == 200, page.text
        assert page.text.count('data-kind="evidence_added"') == 1
        assert name in page.text and added["detail"] in page.text
