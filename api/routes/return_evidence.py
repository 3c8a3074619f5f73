"""Evidence routes of returns: the customer's files (sent by the platform for them, or
with the customer's own link) and the warehouse's photos of the returned parcel.

`POST /returns/{id}/evidence` takes one file as multipart form data (field `file`),
checked and kept like a complaint's (types read from the bytes, the same size limits,
the same answers: 201 stored now, 200 held already). A file the warehouse uploads is
marked as its photo; an inspection names the photos it shows by their SHA-256
(`POST /returns/{id}/inspection`, `photos`). `GET .../evidence` lists the files and
`GET .../evidence/{sha256}` serves one, to whoever may read the return, and
`GET .../evidence/{sha256}/preview` a photo as a JPEG any browser shows.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Response, UploadFile

from api.auth import MayReadCases, Principal, require
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import AUTH_RESPONSES, problem_responses
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
from api.return_calls import current_return_view
from api.return_evidence_calls import RETURN, OfferedFile, add_return_evidence
from api.routes.returns import ReturnId
from api.updates import UpdateKeyHeader
from domain.access import Permission, Role
from domain.evidence import EvidenceSource, PreviewSize

router = APIRouter(prefix="/returns", tags=["evidence"], responses=AUTH_RESPONSES)

# The customer (or the platform for them), and the warehouse.
MayAddReturnEvidence = Annotated[
    Principal, Depends(require(Permission.SPEAK_FOR_CUSTOMER, Permission.INSPECT_RETURNS))
]


def _source(caller: Principal) -> EvidenceSource:
    """Returns how the caller's file came: the warehouse's photo, or the customer's."""
    staff = caller.role is not None and caller.role is not Role.SERVICE
    return (
        EvidenceSource.WAREHOUSE
        if staff and caller.may(Permission.INSPECT_RETURNS)
        else (EvidenceSource.API)
    )


@router.post(
    "/{return_id}/evidence",
    status_code=201,
    response_model=EvidenceItem,
    responses=upload_responses("return", "The return is closed and takes no more files"),
)
async def upload_return_evidence(
    return_id: ReturnId,
    file: Annotated[UploadFile, File(description="The photo or document")],
    response: Response,
    temporal: TemporalDep,
    session: SessionDep,
    settings: SettingsDep,
    caller: MayAddReturnEvidence,
    idempotency_key: UpdateKeyHeader = None,
) -> EvidenceItem:
    """Keeps a file as the return's evidence: the customer's, or the warehouse's photo of
    the parcel for its inspection; its type is read from its bytes (JPEG, PNG, WebP,
    HEIC/HEIF, PDF, text)."""
    data = await read_upload(file, settings)
    if idempotency_key is not None:
        await check_key_unused(
            session, case_kind=RETURN, case_id=return_id, key=idempotency_key, data=data
        )
    taken = await add_return_evidence(
        temporal,
        session,
        settings,
        return_id,
        OfferedFile(filename=file.filename or "", data=data),
        source=_source(caller),
        source_ref=idempotency_key or "",
    )
    if not taken.added:
        response.status_code = 200
    return evidence_item(taken.row, router.prefix)


@router.get(
    "/{return_id}/evidence", response_model=EvidenceList, responses=problem_responses("return")
)
async def list_return_evidence(
    return_id: ReturnId,
    temporal: TemporalDep,
    session: SessionDep,
    caller: MayReadCases,
) -> EvidenceList:
    """Lists the files the return holds, oldest first."""
    # The 404 for a return nobody knows, rather than an empty list.
    await current_return_view(temporal, session, return_id)
    return await listed(session, case_kind=RETURN, case_id=return_id, cases_path=router.prefix)


@router.get(
    "/{return_id}/evidence/{sha256}",
    response_class=Response,
    responses=file_responses("return"),
)
async def get_return_evidence_file(
    return_id: ReturnId,
    sha256: Sha256,
    session: SessionDep,
    settings: SettingsDep,
    caller: MayReadCases,
) -> Response:
    """Serves one of the return's files, with its sniffed type and `nosniff`."""
    return await served(session, settings, case_kind=RETURN, case_id=return_id, sha256=sha256)


@router.get(
    "/{return_id}/evidence/{sha256}/preview",
    response_class=Response,
    responses=preview_responses("return"),
)
async def get_return_evidence_preview(
    return_id: ReturnId,
    sha256: Sha256,
    session: SessionDep,
    settings: SettingsDep,
    caller: MayReadCases,
    size: PreviewSizeQuery = PreviewSize.THUMBNAIL,
) -> Response:
    """Serves one of the return's photos as a JPEG preview: upright, scaled down, without
    metadata, made on first request and kept."""
    return await served_preview(
        session, settings, case_kind=RETURN, case_id=return_id, sha256=sha256, size=size
    )
