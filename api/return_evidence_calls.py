"""Taking files as a return's evidence: what the customer (or the platform for them) sends,
and the photos the warehouse takes of a returned parcel for its inspection.

Files are checked and kept by the evidence store (`store.evidence`) under the return,
with the same types and limits as a complaint's. The return's workflow hears of each of
the customer's files through its `evidence_added` update, with an update id made of the
return and the file's hash (as a complaint's, `api.evidence_calls`): a file sent twice is
on the timeline once, and a retry after a crash between keeping and telling tells it
then. The warehouse's photos are not the customer's evidence and are not told: an
inspection names its photos by SHA-256 (`InspectionFindings.photos`), `photos_problem`
checks, before the inspection is sent, that the return holds each one, and the
inspection records them.
"""

from dataclasses import dataclass

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client

from api.errors import ApiError, FieldProblem
from api.evidence_calls import TakenEvidence, evidence_files, notice_for, refusal_problem
from api.return_calls import current_return_view, decide_return, return_closed
from core.links import CaseKind
from core.settings import Settings
from domain.evidence import EvidenceLimits, EvidenceSource
from domain.returns import ReturnView
from store.evidence import (
    EvidenceRefused,
    Upload,
    keep_all_evidence,
    keep_evidence,
    missing_evidence,
)
from store.tables.evidence import CaseEvidence
from workflows.returns import ReturnWorkflow

RETURN = CaseKind.RETURN.value


@dataclass(frozen=True)
class OfferedFile:
    """One file of a form or request: the name its sender gave it, and its bytes."""

    filename: str
    data: bytes


async def open_return_view(temporal: Client, session: Session, return_id: str) -> ReturnView:
    """Returns the return's view; raises the 404 for an unknown return and the 409 for
    one that is closed (it takes no more files)."""
    view = await current_return_view(temporal, session, return_id)
    if view.closed_at is not None:
        raise return_closed(return_id)
    return view


def _upload(return_id: str, offered: OfferedFile, source: EvidenceSource, ref: str) -> Upload:
    return Upload(
        case_kind=RETURN,
        case_id=return_id,
        filename=offered.filename,
        data=offered.data,
        source=source,
        source_ref=ref,
    )


async def add_return_evidence(
    temporal: Client,
    session: Session,
    settings: Settings,
    return_id: str,
    offered: OfferedFile,
    *,
    source: EvidenceSource,
    source_ref: str = "",
) -> TakenEvidence:
    """Keeps one file as the open return's evidence and, unless it is the warehouse's
    photo, tells the return; raises the 404 or 409 for an unknown or closed return, and
    the refusal's 413, 415 or 422 naming `file`, with nothing stored, for a file that is
    not taken."""
    await open_return_view(temporal, session, return_id)
    limits = settings.evidence_limits
    try:
        row, added = await run_in_threadpool(
            keep_evidence,
            session,
            evidence_files(settings),
            limits,
            _upload(return_id, offered, source, source_ref),
        )
    except EvidenceRefused as refused:
        raise refusal_problem(refused, limits, "file", "return") from refused
    # Told by the row's source, not the caller's: a warehouse photo the customer sends
    # again is still the warehouse's, and stays off the timeline.
    if EvidenceSource(row.source) is not EvidenceSource.WAREHOUSE:
        await tell_return(temporal, session, return_id, row, limits)
    return TakenEvidence(row=row, added=added)


async def tell_return(
    temporal: Client, session: Session, return_id: str, row: CaseEvidence, limits: EvidenceLimits
) -> None:
    """Puts a kept file of the customer's on the return's timeline, once per file."""
    await decide_return(
        temporal,
        session,
        return_id,
        ReturnWorkflow.evidence_added,
        notice_for(EvidenceSource(row.source), limits, added=[row]),
        update_id=f"evidence_added/{return_id}/{row.sha256}",
    )


async def keep_inspection_photos(
    session: Session, settings: Settings, return_id: str, photos: list[OfferedFile], form_key: str
) -> list[CaseEvidence]:
    """Keeps the warehouse's photos of the return's parcel, all or none, and returns
    their rows in order; raises `EvidenceRefused` for the first one a limit refuses or
    that is no picture."""
    limits = settings.evidence_limits.photos_only()
    uploads = [_upload(return_id, photo, EvidenceSource.WAREHOUSE, form_key) for photo in photos]
    return await run_in_threadpool(
        keep_all_evidence, session, evidence_files(settings), limits, uploads
    )


async def photos_problem(session: Session, return_id: str, photos: list[str]) -> ApiError | None:
    """Returns the 422 naming each photo of an inspection the return holds no file of
    (upload it first), or None when it holds them all."""
    missing = await run_in_threadpool(
        missing_evidence, session, case_kind=RETURN, case_id=return_id, sha256s=photos
    )
    if not missing:
        return None
    problem = f"no file of the return has this SHA-256; upload it to /returns/{return_id}/evidence"
    return ApiError(
        422,
        "photo_not_uploaded",
        f"{len(missing)} of the inspection's photos are not the return's files; "
        "nothing was recorded",
        fields=[
            FieldProblem(field=f"photos.{photos.index(sha256)}", problem=problem)
            for sha256 in missing
        ],
    )
