"""Evidence through the API, as a platform uploads it: multipart files kept once and put
on the timeline once, served back with safe headers to those who may read the complaint,
and refused in JSON that names the field (413, 415, 422) with nothing stored."""

from pathlib import Path

import pytest

from domain.access import Role
from tests.api.conftest import TEST_MAX_FILE_BYTES
from tests.api.support import Api, intake
from tests.store.test_evidence_sniffing import PROGRAM, image_bytes


async def open_complaint(api: Api) -> tuple[str, str]:
    """Returns a new open complaint's id and its customer's link token."""
    created = await api.create(intake(description="The lamp arrived with a cracked shade."))
    assert created.status_code == 201, created.text
    body = created.json()
    await api.wait_for_view(body["complaint_id"], lambda v: v["status"] == "open")
    return body["complaint_id"], body["customer_token"]


def kept_files(api: Api) -> list[Path]:
    return [p for p in api.settings.effective_evidence_dir.rglob("*") if p.is_file()]


@pytest.mark.both_stores
async def test_a_platform_uploads_a_photo_once_and_everyone_who_may_read_it_gets_it(
    evidence_api: Api,
) -> None:
    api = evidence_api
    complaint_id, customer_token = await open_complaint(api)
    photo = image_bytes("JPEG", (200, 150))
    url = f"/complaints/{complaint_id}/evidence"
    service = api.client_as("shop-backend", Role.SERVICE)

    async def upload() -> dict[str, object]:
        # Labelled as anything: the type is read from the bytes.
        files = {"file": ("IMG_0042.JPG", photo, "application/octet-stream")}
        answer = await service.post(url, files=files, headers={"Idempotency-Key": "up-1"})
        assert answer.status_code in (200, 201), answer.text
        return {"status": answer.status_code, **answer.json()}

    first, retried = await upload(), await upload()
    assert (first["status"], retried["status"]) == (201, 200)
    assert first["content_type"] == "image/jpeg" and first["source"] == "api"
    assert first["size"] == len(photo) and first["filename"] == "IMG_0042.JPG"
    assert {k: v for k, v in first.items() if k != "status"} == {
        k: v for k, v in retried.items() if k != "status"
    }

    # The customer's own link uploads too, and reads back what the complaint holds.
    customer = api.client_with_token(customer_token)
    png = image_bytes("PNG")
    answer = await customer.post(url, files={"file": ("label.png", png, "image/png")})
    assert answer.status_code == 201, answer.text
    listed = (await customer.get(url)).json()["items"]
    assert [i["filename"] for i in listed] == ["IMG_0042.JPG", "label.png"]
    served = await customer.get(str(first["url"]))
    assert served.content == photo
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"].startswith("inline;")

    agent = api.client_as("agent-lamp", Role.AGENT)
    assert (await agent.get(str(first["url"]))).status_code == 200
    refused = await agent.post(url, files={"file": ("x.png", png, "image/png")})
    assert refused.status_code == 403

    view = await api.wait_for_view(
        complaint_id,
        lambda v: [e["kind"] for e in v["timeline"]].count("evidence_added") == 2,
    )
    assert [e["detail"] for e in view["timeline"] if e["kind"] == "evidence_added"] == [
        f"IMG_0042.JPG (JPEG, {len(photo)} B)",
        f"label.png (PNG, {len(png)} B)",
    ]


async def test_bad_files_are_refused_naming_the_field_and_nothing_is_stored(
    evidence_api: Api,
) -> None:
    api = evidence_api
    complaint_id, _ = await open_complaint(api)
    url = f"/complaints/{complaint_id}/evidence"

    renamed = await api.http.post(url, files={"file": ("photo.jpg", PROGRAM, "image/jpeg")})
    assert renamed.status_code == 415, renamed.text
    assert renamed.json()["error"] == "evidence_type_not_accepted"
    [field] = renamed.json()["fields"]
    assert field["field"] == "file" and "JPEG, PNG, WebP, HEIC, HEIF, PDF, text" in field["problem"]

    large = ("x" * (TEST_MAX_FILE_BYTES + 1)).encode()
    over = await api.http.post(url, files={"file": ("notes.txt", large, "text/plain")})
    assert over.status_code == 413, over.text
    assert over.json()["error"] == "evidence_too_large"
    assert over.json()["fields"] == [{"field": "file", "problem": "notes.txt is over 0.03 MB"}]

    far_over = await api.http.post(url, files={"file": ("big.txt", large * 4, "text/plain")})
    assert (far_over.status_code, far_over.json()["error"]) == (413, "body_too_large")

    empty = await api.http.post(url, files={"file": ("empty.jpg", b"", "image/jpeg")})
    assert (empty.status_code, empty.json()["error"]) == (422, "evidence_empty")

    missing = await api.http.post(url, data={"note": "no file"})
    assert missing.status_code == 422
    assert [f["field"] for f in missing.json()["fields"]] == ["file"]

    assert (await api.http.get(url)).json()["items"] == []
    assert kept_files(api) == []

    ok = await api.http.post(
        url,
        files={"file": ("a.png", image_bytes("PNG"), "image/png")},
        headers={"Idempotency-Key": "k"},
    )
    assert ok.status_code == 201
    reused = await api.http.post(
        url,
        files={"file": ("b.webp", image_bytes("WEBP"), "image/webp")},
        headers={"Idempotency-Key": "k"},
    )
    assert (reused.status_code, reused.json()["error"]) == (422, "idempotency_key_reused")
    unknown = await api.http.get(f"{url}/{'0' * 64}")
    assert (unknown.status_code, unknown.json()["error"]) == (404, "evidence_not_found")
