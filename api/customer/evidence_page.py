"""Photos from the customer's own page: `POST /my/{token}/evidence` takes one file from
the page's upload form (a phone offers its camera), `GET /my/{token}/evidence/{sha256}`
serves a file of the link's case, for its thumbnails and links, and
`GET /my/{token}/evidence/{sha256}/preview` a photo as a JPEG any browser shows (the
customer's iPhone photo is a HEIC).

The upload goes the way the API's upload of the link's case goes: a complaint's through
`api.evidence_calls` (its bytes sniffed and checked against the limits, kept once per
hash, and the complaint hears of it once, by an update id made of the case and the hash),
a return's through `api.return_evidence_calls` (the same checks, kept once per hash under
the return, and the return hears of it once, by an update id made of the return and the
hash, as with `POST /returns/{id}/evidence`). A photo sent twice is therefore kept, and
on the timeline, once. A refused file shows the page again with the
reason and the limit (413 too large, 415 not a photo or other accepted type, 422 empty),
and a case that is over (a closed complaint, a finished return) refuses it with its 409;
nothing is stored on a refusal.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from sqlmodel import Session
from starlette.datastructures import UploadFile
from temporalio.client import Client

from api.customer.case_page import back_to_page, case_page_again
from api.customer.credentials import LinkToken, check_form_post, open_link
from api.customer.routing import UPDATE_ERRORS, CustomerRoute, as_refusal
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ApiError
from api.evidence_calls import TakenEvidence, add_complaint_evidence, evidence_files
from api.evidence_previews import PreviewSizeQuery, served_preview
from api.evidence_views import case_file, file_response
from api.return_evidence_calls import OfferedFile, add_return_evidence
from core.links import CASE_PAGE_PATH, CaseKind, CaseLink, LinkPurpose
from core.settings import Settings
from domain.evidence import SHA256_PATTERN, EvidenceSource, PreviewSize

router = APIRouter(route_class=CustomerRoute)

# The form's file field.
PHOTO_FIELD = "photo"
Sha256 = Annotated[str, Path(pattern=SHA256_PATTERN)]


@router.post(f"{CASE_PAGE_PATH}/{{token}}/evidence")
async def upload_from_page(
    request: Request,
    token: LinkToken,
    settings: SettingsDep,
    session: SessionDep,
    temporal: TemporalDep,
) -> Response:
    """Keeps the photo the customer chose as their complaint's or return's evidence."""
    link = open_link(settings, token, LinkPurpose.CASE)
    form = await request.form(max_files=1, max_fields=8)
    check_form_post(request, settings, token, {k: v for k, v in form.items() if isinstance(v, str)})
    show = case_page_again(request, settings, session, temporal, token, link, {})
    photo = form.get(PHOTO_FIELD)
    if not isinstance(photo, UploadFile):
        return await show(ApiError(422, "evidence_empty", "choose a photo to upload"))
    # One byte over the limit is enough to refuse it; the rest is never read.
    data = await photo.read(settings.evidence_max_file_bytes + 1)
    try:
        await _keep_photo(
            temporal, session, settings, link, OfferedFile(filename=photo.filename or "", data=data)
        )
    except UPDATE_ERRORS as error:
        return await show(as_refusal(error))
    return back_to_page(request, token, sent="evidence")


async def _keep_photo(
    temporal: Client, session: Session, settings: Settings, link: CaseLink, photo: OfferedFile
) -> TakenEvidence:
    """Keeps `photo` as the evidence of the case `link` opens, as the API's upload of that
    kind of case keeps it; raises its 404, 409, 413, 415 or 422, nothing stored."""
    if link.kind is CaseKind.RETURN:
        return await add_return_evidence(
            temporal, session, settings, link.case_id, photo, source=EvidenceSource.CUSTOMER_PAGE
        )
    return await add_complaint_evidence(
        temporal,
        session,
        settings,
        link.case_id,
        filename=photo.filename,
        data=photo.data,
        source=EvidenceSource.CUSTOMER_PAGE,
        field=PHOTO_FIELD,
    )


@router.get(f"{CASE_PAGE_PATH}/{{token}}/evidence/{{sha256}}")
async def evidence_file(
    token: LinkToken, sha256: Sha256, settings: SettingsDep, session: SessionDep
) -> Response:
    """Serves one file of the case the link opens (a photo inline, others as downloads)."""
    link = open_link(settings, token, LinkPurpose.CASE)
    row = await case_file(session, case_kind=link.kind.value, case_id=link.case_id, sha256=sha256)
    return file_response(evidence_files(settings), row)


@router.get(f"{CASE_PAGE_PATH}/{{token}}/evidence/{{sha256}}/preview")
async def evidence_preview(
    token: LinkToken,
    sha256: Sha256,
    settings: SettingsDep,
    session: SessionDep,
    size: PreviewSizeQuery = PreviewSize.THUMBNAIL,
) -> Response:
    """Serves a photo of the case the link opens as a JPEG preview, for its thumbnail."""
    link = open_link(settings, token, LinkPurpose.CASE)
    return await served_preview(
        session,
        settings,
        case_kind=link.kind.value,
        case_id=link.case_id,
        sha256=sha256,
        size=size,
    )
