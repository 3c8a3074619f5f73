"""Photos from the customer's own page: `POST /my/{token}/evidence` takes one file from
the page's upload form (a phone offers its camera), `GET /my/{token}/evidence/{sha256}`
serves a file of the link's case, for its thumbnails and links, and
`GET /my/{token}/evidence/{sha256}/preview` a photo as a JPEG any browser shows (the
customer's iPhone photo is a HEIC).

The upload goes the way every evidence file goes (`api.evidence_calls`): its bytes are
sniffed and checked against the limits, kept once per hash, and the complaint hears of
it. A refused file shows the page again with the reason and the limit (413 too large,
415 not a photo or other accepted type, 422 empty), nothing stored.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from starlette.datastructures import UploadFile

from api.customer.case_page import back_to_page, case_page_again, complaint_link
from api.customer.credentials import LinkToken, check_form_post, open_link
from api.customer.routing import UPDATE_ERRORS, CustomerRoute, as_refusal
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ApiError
from api.evidence_calls import add_complaint_evidence, evidence_files
from api.evidence_previews import PreviewSizeQuery, served_preview
from api.evidence_views import case_file, file_response
from core.links import CASE_PAGE_PATH, LinkPurpose
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
    """Keeps the photo the customer chose as their complaint's evidence."""
    link = complaint_link(settings, token)
    form = await request.form(max_files=1, max_fields=8)
    check_form_post(request, settings, token, {k: v for k, v in form.items() if isinstance(v, str)})
    show = case_page_again(request, settings, session, temporal, token, link, {})
    photo = form.get(PHOTO_FIELD)
    if not isinstance(photo, UploadFile):
        return await show(ApiError(422, "evidence_empty", "choose a photo to upload"))
    # One byte over the limit is enough to refuse it; the rest is never read.
    data = await photo.read(settings.evidence_max_file_bytes + 1)
    try:
        await add_complaint_evidence(
            temporal,
            session,
            settings,
            link.case_id,
            filename=photo.filename or "",
            data=data,
            source=EvidenceSource.CUSTOMER_PAGE,
            field=PHOTO_FIELD,
        )
    except UPDATE_ERRORS as error:
        return await show(as_refusal(error))
    return back_to_page(request, token, sent="evidence")


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
