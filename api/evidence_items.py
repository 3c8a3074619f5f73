"""What the evidence routes of complaints and returns share: a file as the API shows it,
the answers an upload may get, and the check that an upload's key brought no other file.
"""

import hashlib
from datetime import datetime
from typing import Annotated, Any

from fastapi import Path, Response, UploadFile
from pydantic import BaseModel
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.errors import (
    ApiError,
    FieldProblem,
    Problem,
    idempotency_key_reused,
    problem_responses,
)
from api.evidence_views import case_file, file_response
from core.settings import Settings
from domain.evidence import SHA256_PATTERN, EvidenceSource
from store.evidence import case_evidence, evidence_by_source_ref
from store.evidence_files import EvidenceFiles
from store.tables.evidence import CaseEvidence

Sha256 = Annotated[
    str, Path(pattern=SHA256_PATTERN, description="The file's SHA-256, as its item lists it")
]


class EvidenceItem(BaseModel):
    """Returns one file a case holds: what it is, how it came, where to fetch it."""

    sha256: str
    filename: str
    # Sniffed from the file's bytes when it was taken, not the uploader's label.
    content_type: str
    size: int
    source: EvidenceSource
    uploaded_at: datetime
    url: str


class EvidenceList(BaseModel):
    """Returns a case's files, oldest first."""

    items: list[EvidenceItem]


def evidence_item(row: CaseEvidence, cases_path: str) -> EvidenceItem:
    """Returns the row as the API shows it, served under `cases_path` ("/returns")."""
    return EvidenceItem(
        sha256=row.sha256,
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        source=EvidenceSource(row.source),
        uploaded_at=row.uploaded_at,
        url=f"{cases_path}/{row.case_id}/evidence/{row.sha256}",
    )


def upload_responses(thing: str, refusal: str) -> dict[int | str, dict[str, Any]]:
    """Returns the answers of an upload to one `thing` ("complaint") besides the 201; a
    409 says `refusal`."""
    return {
        **problem_responses(thing, refusal=refusal),
        200: {"model": EvidenceItem, "description": f"The {thing} held this file already"},
        413: {"model": Problem, "description": "The file is over the limit (see `fields`)"},
        415: {"model": Problem, "description": "The file is not of an accepted type"},
    }


async def check_key_unused(
    session: Session, *, case_kind: str, case_id: str, key: str, data: bytes
) -> None:
    """Raises the 422 when `key` brought another file to this case before."""
    earlier = await run_in_threadpool(
        evidence_by_source_ref, session, case_kind=case_kind, case_id=case_id, source_ref=key
    )
    if earlier is not None and earlier.sha256 != hashlib.sha256(data).hexdigest():
        refused = idempotency_key_reused("evidence file")
        raise ApiError(
            refused.status_code,
            refused.error,
            refused.message,
            fields=[FieldProblem(field="Idempotency-Key", problem="used for another file")],
        )


async def read_upload(file: UploadFile, settings: Settings) -> bytes:
    """Returns an uploaded file's bytes, up to one byte over the per-file limit: enough to
    refuse it, and the rest is never read."""
    return await file.read(settings.evidence_max_file_bytes + 1)


async def listed(
    session: Session, *, case_kind: str, case_id: str, cases_path: str
) -> EvidenceList:
    """Returns the case's files as the API lists them, oldest first."""
    rows = await run_in_threadpool(case_evidence, session, case_kind=case_kind, case_id=case_id)
    return EvidenceList(items=[evidence_item(row, cases_path) for row in rows])


def file_responses(thing: str) -> dict[int | str, dict[str, Any]]:
    """Returns the answers of a route serving one file of a `thing` ("return")."""
    return {
        200: {"description": "The file; photos inline, other files as attachments"},
        404: {"model": Problem, "description": f"The {thing} holds no such file"},
    }


async def served(
    session: Session, settings: Settings, *, case_kind: str, case_id: str, sha256: str
) -> Response:
    """Returns one of the case's files, with its sniffed type and `nosniff`; raises the
    404 when it holds none with `sha256`."""
    row = await case_file(session, case_kind=case_kind, case_id=case_id, sha256=sha256)
    return file_response(EvidenceFiles(settings.effective_evidence_dir), row)
