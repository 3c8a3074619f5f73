"""Evidence routes for platforms: upload a file for the customer, list a complaint's
files, and fetch one.

`POST /complaints/{id}/evidence` takes one file as multipart form data (field `file`),
from a service key speaking for the customer or from the customer's own link token; it
answers the stored item, 201 when this request stored it and 200 when the case held it
already (a retry, or the same photo again). `GET .../evidence` lists the files and
`GET .../evidence/{sha256}` serves one, to whoever may read the complaint.
"""

import hashlib
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Path, Response, UploadFile
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.auth import MayReadCases, MaySpeakForCustomer
from api.complaint_calls import current_complaint_view
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import (
    AUTH_RESPONSES,
    UPDATE_RESPONSES,
    ApiError,
    FieldProblem,
    Problem,
    idempotency_key_reused,
)
from api.evidence_calls import add_complaint_evidence, evidence_files
from api.evidence_views import case_file, file_response
from api.routes.complaints import ComplaintId
from api.updates import UpdateKeyHeader
from core.links import CaseKind
from domain.evidence import SHA256_PATTERN, EvidenceSource
from store.evidence import case_evidence, evidence_by_source_ref
from store.tables.evidence import CaseEvidence

router = APIRouter(prefix="/complaints", tags=["evidence"], responses=AUTH_RESPONSES)

Sha256 = Annotated[
    str, Path(pattern=SHA256_PATTERN, description="The file's SHA-256, as its item lists it")
]
_COMPLAINT = CaseKind.COMPLAINT.value


class EvidenceItem(BaseModel):
    """Returns one file a complaint holds: what it is, how it came, where to fetch it."""

    sha256: str
    filename: str
    # Sniffed from the file's bytes when it was taken, not the uploader's label.
    content_type: str
    size: int
    source: EvidenceSource
    uploaded_at: datetime
    url: str


class EvidenceList(BaseModel):
    """Returns a complaint's files, oldest first."""

    items: list[EvidenceItem]


def _item(row: CaseEvidence) -> EvidenceItem:
    return EvidenceItem(
        sha256=row.sha256,
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        source=EvidenceSource(row.source),
        uploaded_at=row.uploaded_at,
        url=f"{router.prefix}/{row.case_id}/evidence/{row.sha256}",
    )


_UPLOAD_RESPONSES: dict[int | str, dict[str, object]] = {
    **UPDATE_RESPONSES,
    200: {"model": EvidenceItem, "description": "The complaint held this file already"},
    413: {"model": Problem, "description": "The file is over the limit (see `fields`)"},
    415: {"model": Problem, "description": "The file is not of an accepted type"},
}


@router.post(
    "/{complaint_id}/evidence",
    status_code=201,
    response_model=EvidenceItem,
    responses=_UPLOAD_RESPONSES,
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
    # One byte over the limit is enough to refuse it; the rest is never read.
    data = await file.read(settings.evidence_max_file_bytes + 1)
    if idempotency_key is not None:
        await _check_key_unused(session, complaint_id, idempotency_key, data)
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
    return _item(taken.row)


async def _check_key_unused(session: SessionDep, complaint_id: str, key: str, data: bytes) -> None:
    """Raises the 422 when `key` brought another file to this complaint before."""
    earlier = await run_in_threadpool(
        evidence_by_source_ref, session, case_kind=_COMPLAINT, case_id=complaint_id, source_ref=key
    )
    if earlier is not None and earlier.sha256 != hashlib.sha256(data).hexdigest():
        refused = idempotency_key_reused("evidence file")
        raise ApiError(
            refused.status_code,
            refused.error,
            refused.message,
            fields=[FieldProblem(field="Idempotency-Key", problem="used for another file")],
        )


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
    rows = await run_in_threadpool(
        case_evidence, session, case_kind=_COMPLAINT, case_id=complaint_id
    )
    return EvidenceList(items=[_item(row) for row in rows])


@router.get(
    "/{complaint_id}/evidence/{sha256}",
    response_class=Response,
    responses={
        200: {"description": "The file; photos inline, other files as attachments"},
        404: {"model": Problem, "description": "The complaint holds no such file"},
    },
)
async def get_evidence_file(
    complaint_id: ComplaintId,
    sha256: Sha256,
    session: SessionDep,
    settings: SettingsDep,
    caller: MayReadCases,
) -> Response:
    """Serves one of the complaint's files, with its sniffed type and `nosniff`."""
    row = await case_file(session, case_kind=_COMPLAINT, case_id=complaint_id, sha256=sha256)
    return file_response(evidence_files(settings), row)
