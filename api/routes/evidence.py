"""Evidence routes for platforms: upload a file for the customer, list a complaint's
files, and fetch one.

`POST /complaints/{id}/evidence` takes one file as multipart form data (field `file`),
from a service key speaking for the customer or from the customer's own link token; it
answers the stored item, 201 when this request stored it and 200 when the case held it
already (a retry, or the same photo again). `GET .../evidence` lists the files and
`GET .../evidence/{sha256}` serves one, to whoever may read the complaint;
`GET .../evidence/{sha256}/preview` serves a photo as a JPEG any browser shows (a HEIC
from an iPhone included), made on first request.
"""

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile

from api.auth import MayReadCases, MaySpeakForCustomer
from api.complaint_calls import current_complaint_view
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import AUTH_RESPONSES, UPDATE_RESPONSES
from api.evidence_calls import add_complaint_evidence
from api.evidence_items import (
    EvidenceItem,
    EvidenceList,
    Sha256,
    check_key_unused,
    evidence_item,
    file_responses,
    listed,
    read_upload,
    served,
    upload_responses,
)
from api.evidence_previews import PreviewSizeQuery, preview_responses, served_preview
from api.routes.complaints import ComplaintId
from api.updates import UpdateKeyHeader
from core.links import CaseKind
from domain.evidence import EvidenceSource, PreviewSize

router = APIRouter(prefix="/complaints", tags=["evidence"], responses=AUTH_RESPONSES)

_COMPLAINT = CaseKind.COMPLAINT.value


@router.post(
    "/{complaint_id}/evidence",
    status_code=201,
    response_model=EvidenceItem,
    responses=upload_responses("complaint", "The complaint refuses this now (or is closed)"),
)
async def upload_evidence(
    complaint_id: ComplaintId,
    file: Annotated[UploadFile, File(description="The photo or document")],
    response: Response,
    temporal: TemporalDep,
    session: SessionDep,
    settings: SettingsDep,
    caller: MaySpeakForCustomer,
    idempotency_key: UpdateKeyHeader = None,
) -> EvidenceItem:
    """Keeps a file the customer sent as the complaint's evidence and puts it on the
    timeline; its type is read from its bytes (JPEG, PNG, WebP, HEIC/HEIF, PDF, text)."""
    data = await read_upload(file, settings)
    if idempotency_key is not None:
        await check_key_unused(
            session, case_kind=_COMPLAINT, case_id=complaint_id, key=idempotency_key, data=data
        )
    taken = await add_complaint_evidence(
        temporal,
        session,
        settings,
        complaint_id,
        filename=file.filename or "",
        data=data,
        source=EvidenceSource.API,
        source_ref=idempotency_key or "",
    )
    if not taken.added:
        response.status_code = 200
    return evidence_item(taken.row, router.prefix)


@router.get("/{complaint_id}/evidence", response_model=EvidenceList, responses=UPDATE_RESPONSES)
async def list_evidence(
    complaint_id: ComplaintId,
    temporal: TemporalDep,
    session: SessionDep,
    caller: MayReadCases,
) -> EvidenceList:
    """Lists the files the complaint holds, oldest first."""
    # The 404 for a complaint nobody knows, rather than an empty list.
    await current_complaint_view(temporal, session, complaint_id)
    return await listed(
        session, case_kind=_COMPLAINT, case_id=complaint_id, cases_path=router.prefix
    )


@router.get(
    "/{complaint_id}/evidence/{sha256}",
    response_class=Response,
    responses=file_responses("complaint"),
)
async def get_evidence_file(
    complaint_id: ComplaintId,
    sha256: Sha256,
    session: SessionDep,
    settings: SettingsDep,
    caller: MayReadCases,
) -> Response:
    """Serves one of the complaint's files, with its sniffed type and `nosniff`."""
    return await served(
        session, settings, case_kind=_COMPLAINT, case_id=complaint_id, sha256=sha256
    )


@router.get(
    "/{complaint_id}/evidence/{sha256}/preview",
    response_class=Response,
    responses=preview_responses("complaint"),
)
async def get_evidence_preview(
    complaint_id: ComplaintId,
    sha256: Sha256,
    session: SessionDep,
    settings: SettingsDep,
    caller: MayReadCases,
    size: PreviewSizeQuery = PreviewSize.THUMBNAIL,
) -> Response:
    """Serves one of the complaint's photos as a JPEG preview: upright, scaled down,
    without metadata (no GPS position), for a thumbnail or to look at a HEIC photo a
    browser cannot show; made on first request and kept, so always the same bytes."""
    return await served_preview(
        session, settings, case_kind=_COMPLAINT, case_id=complaint_id, sha256=sha256, size=size
    )
