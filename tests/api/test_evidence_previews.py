"""Previews of evidence photos through the API: an iPhone's HEIC photo (made here with
pillow-heif) uploaded to a complaint or a return comes back from `.../preview` as an
upright JPEG without its GPS position, the same bytes each time and made once, to those
who may fetch the photo itself; a file that is no photo and a photo that does not
decode are refused in JSON saying why, with nothing written."""

import io
import logging

import httpx
import pytest
from PIL import Image

from domain.access import Role
from store.evidence_files import EvidenceFiles
from tests.api.returns_support import open_return, return_request
from tests.api.support import Api
from tests.api.test_evidence import open_complaint
from tests.api.test_return_evidence import RECEIPT, customer_of
from tests.photos import gps_of, heic_photo, is_upright_bar, jpeg_photo


def previews_made(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Returns the evidence log's lines saying a preview was made."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "redress.evidence" and r.getMessage().startswith("made the")
    ]


def preview_dir(api: Api) -> list[str]:
    """Returns the names of the preview files kept (and of anything half-written)."""
    directory = api.settings.effective_evidence_dir / "previews"
    return sorted(p.name for p in directory.rglob("*") if p.is_file())


def assert_upright_jpeg_without_metadata(answer: httpx.Response) -> Image.Image:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/jpeg"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "private, max-age=31536000, immutable"
    image = Image.open(io.BytesIO(answer.content))
    image.load()
    assert image.format == "JPEG" and is_upright_bar(image)
    assert "exif" not in image.info and gps_of(answer.content) == {}
    return image


def browser(api: Api) -> httpx.AsyncClient:
    """Returns a client with no credentials but the link in the URL, as a customer's."""
    return httpx.AsyncClient(transport=api.transport, base_url=api.http.base_url)


async def upload(client: httpx.AsyncClient, url: str, name: str, data: bytes) -> str:
    """Returns the SHA-256 of a file uploaded to `url`."""
    answer = await client.post(url, files={"file": (name, data, "application/octet-stream")})
    assert answer.status_code == 201, answer.text
    sha256: str = answer.json()["sha256"]
    return sha256


@pytest.mark.both_stores
async def test_a_heic_photo_of_a_complaint_is_previewed_as_an_upright_jpeg_without_gps(
    evidence_api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    api = evidence_api
    caplog.set_level(logging.INFO, logger="redress.evidence")
    complaint_id, customer_token = await open_complaint(api)
    url = f"/complaints/{complaint_id}/evidence"
    customer = api.client_with_token(customer_token)
    photo = heic_photo(1200, 800)
    assert gps_of(photo), "the iPhone photo carries where it was taken"
    sha256 = await upload(customer, url, "IMG_0042.HEIC", photo)

    # The customer's own link, and any staff member who may read the complaint.
    first = await customer.get(f"{url}/{sha256}/preview")
    image = assert_upright_jpeg_without_metadata(first)
    assert image.size == (320, 480)
    assert first.headers["content-disposition"] == 'inline; filename="IMG_0042.jpg"'
    agent = api.client_as("agent-heic", Role.AGENT)
    again = await agent.get(f"{url}/{sha256}/preview")
    assert again.status_code == 200 and again.content == first.content
    # Made once and kept under the photo's hash and size; the second answer was the file.
    assert len(previews_made(caplog)) == 1
    assert preview_dir(api) == [f"{sha256}-480.jpg"]

    # The customer's page serves the same preview under its own link, made no more.
    page = await browser(api).get(f"/my/{customer_token}/evidence/{sha256}/preview")
    assert page.status_code == 200 and page.content == first.content
    assert len(previews_made(caplog)) == 1

    large = await agent.get(f"{url}/{sha256}/preview", params={"size": "large"})
    assert assert_upright_jpeg_without_metadata(large).size == (800, 1200)
    assert preview_dir(api) == [f"{sha256}-1600.jpg", f"{sha256}-480.jpg"]

    # A large JPEG is previewed too (its thumbnail), turned by its EXIF orientation.
    big = jpeg_photo(1200, 800)
    big_sha = await upload(customer, url, "IMG_0043.JPG", big)
    assert_upright_jpeg_without_metadata(await agent.get(f"{url}/{big_sha}/preview"))


async def test_previews_answer_as_their_files_do_and_refuse_what_is_no_photo(
    evidence_api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    api = evidence_api
    caplog.set_level(logging.INFO, logger="redress.evidence")
    complaint_id, customer_token = await open_complaint(api)
    other_id, other_token = await open_complaint(api)
    url = f"/complaints/{complaint_id}/evidence"
    sha256 = await upload(api.http, url, "IMG_0050.HEIC", heic_photo())
    receipt = await upload(api.http, url, "receipt.pdf", RECEIPT)
    preview = f"{url}/{sha256}/preview"

    # Who may not fetch the photo may not fetch its preview either.
    anonymous = api.client_with_token(None)
    assert (await anonymous.get(preview)).status_code == 401
    monitoring = api.client_as("monitor-heic", Role.MONITORING)
    assert (await monitoring.get(preview)).status_code == 403
    assert (await monitoring.get(f"{url}/{sha256}")).status_code == 403
    another_customer = api.client_with_token(other_token)
    assert (await another_customer.get(preview)).status_code == 403
    assert (await another_customer.get(f"{url}/{sha256}")).status_code == 403
    # A complaint that does not hold the photo has no preview of it, as it has no file.
    elsewhere = await api.http.get(f"/complaints/{other_id}/evidence/{sha256}/preview")
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (404, "evidence_not_found")
    unknown = await api.http.get(f"{url}/{'0' * 64}/preview")
    assert (unknown.status_code, unknown.json()["error"]) == (404, "evidence_not_found")
    wrong_page = await browser(api).get(
        f"/my/{other_token}/evidence/{sha256}/preview", headers={"Accept": "application/json"}
    )
    assert (wrong_page.status_code, wrong_page.json()["error"]) == (404, "evidence_not_found")
    assert preview_dir(api) == []

    # A PDF is no photo: a 404 that says so.
    not_photo = await api.http.get(f"{url}/{receipt}/preview")
    assert (not_photo.status_code, not_photo.json()["error"]) == (404, "evidence_not_a_photo")
    assert "receipt.pdf is a PDF file, not a photo" in not_photo.json()["message"]
    bad_size = await api.http.get(preview, params={"size": "huge"})
    assert bad_size.status_code == 422
    assert [f["field"] for f in bad_size.json()["fields"]] == ["size"]

    # A photo damaged on disk since it was taken: a 422 naming it, nothing written.
    damaged = await upload(api.http, url, "IMG_0051.HEIC", heic_photo(640, 480))
    path = EvidenceFiles(api.settings.effective_evidence_dir).path_of(damaged)
    path.write_bytes(path.read_bytes()[:400])
    failed = await api.http.get(f"{url}/{damaged}/preview")
    assert (failed.status_code, failed.json()["error"]) == (422, "evidence_preview_failed")
    assert "IMG_0051.HEIC could not be decoded" in failed.json()["message"]
    assert preview_dir(api) == [] and previews_made(caplog) == []
    # The photo that does decode still does.
    customer = api.client_with_token(customer_token)
    assert_upright_jpeg_without_metadata(await customer.get(preview))


@pytest.mark.both_stores
async def test_a_returns_heic_photo_is_previewed_for_whoever_may_read_the_return(
    evidence_api: Api,
) -> None:
    api = evidence_api
    return_id = await open_return(api, return_request())
    url = f"/returns/{return_id}/evidence"
    customer = api.client_with_token(customer_of(return_id))
    sha256 = await upload(customer, url, "IMG_0100.HEIC", heic_photo(1200, 800))
    receipt = await upload(customer, url, "receipt.pdf", RECEIPT)

    for reader in (
        customer,
        api.client_as("wh-heic", Role.WAREHOUSE),
        api.client_as("agent-return-heic", Role.AGENT),
    ):
        assert_upright_jpeg_without_metadata(await reader.get(f"{url}/{sha256}/preview"))
    monitoring = api.client_as("monitor-return-heic", Role.MONITORING)
    assert (await monitoring.get(f"{url}/{sha256}/preview")).status_code == 403
    not_photo = await customer.get(f"{url}/{receipt}/preview")
    assert (not_photo.status_code, not_photo.json()["error"]) == (404, "evidence_not_a_photo")
    nobody = await customer.get(f"/returns/{return_id}/evidence/{'0' * 64}/preview")
    assert (nobody.status_code, nobody.json()["error"]) == (404, "evidence_not_found")
