"""Taking a file as a complaint's evidence: the one path the API's upload, the customer's
page and the mail gateway share.

Each file is checked and kept by the evidence store (`store.evidence`), then the
complaint hears of it through its `evidence_added` update. The update's id is derived from
the case and the file's hash, so a file sent twice, or by two paths (mailed, then
uploaded), is on the timeline once, and a retry after a crash between keeping and telling
tells the complaint then.
"""

from dataclasses import dataclass

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client

from api.complaint_calls import current_complaint_view, update_complaint
from api.errors import ApiError, FieldProblem, complaint_closed
from core.links import CaseKind
from core.settings import Settings
from domain.complaints import ComplaintStatus
from domain.evidence import (
    EvidenceFile,
    EvidenceLimits,
    EvidenceNotice,
    EvidenceSource,
    RefusalReason,
    RefusedFile,
    megabytes,
)
from store.evidence import EvidenceRefused, Upload, keep_evidence
from store.evidence_files import EvidenceFiles
from store.tables.evidence import CaseEvidence
from workflows.complaints import ComplaintWorkflow

# A refusal's status: 413 for size, 415 for type, 422 for an empty file.
_REFUSAL_STATUS = {
    RefusalReason.TOO_LARGE: 413,
    RefusalReason.CASE_FULL: 413,
    RefusalReason.TYPE_NOT_ACCEPTED: 415,
    RefusalReason.EMPTY: 422,
}


@dataclass(frozen=True)
class TakenEvidence:
    """A file kept for a complaint, and whether this request added it."""

    row: CaseEvidence
    added: bool


def evidence_files(settings: Settings) -> EvidenceFiles:
    """Returns the evidence directory the settings name."""
    return EvidenceFiles(settings.effective_evidence_dir)


def refusal_problem(
    refused: EvidenceRefused, limits: EvidenceLimits, field: str, case_name: str = "complaint"
) -> ApiError:
    """Returns the 413, 415 or 422 for a refused file, naming the form field and the
    limit; `case_name` names the kind of case whose files would pass theirs."""
    match refused.reason:
        case RefusalReason.TOO_LARGE:
            problem = f"{refused.filename} is over {megabytes(limits.max_file_bytes)} MB"
        case RefusalReason.CASE_FULL:
            problem = (
                f"{refused.filename} would take the {case_name}'s files past "
                f"{megabytes(limits.max_case_bytes)} MB"
            )
        case RefusalReason.TYPE_NOT_ACCEPTED:
            problem = f"{refused.filename} is not one of: {limits.accepted_names()}"
        case RefusalReason.EMPTY:
            problem = f"{refused.filename} is empty"
    return ApiError(
        _REFUSAL_STATUS[refused.reason],
        f"evidence_{refused.reason.value}",
        f"{problem}; nothing was stored",
        fields=[FieldProblem(field=field, problem=problem)],
    )


def notice_for(
    source: EvidenceSource,
    limits: EvidenceLimits,
    *,
    added: list[CaseEvidence] | None = None,
    refused: list[EvidenceRefused] | None = None,
) -> EvidenceNotice:
    """Returns the `evidence_added` update telling a complaint of kept and refused files."""
    return EvidenceNotice(
        source=source,
        added=[EvidenceFile.model_validate(row, from_attributes=True) for row in added or []],
        refused=[
            RefusedFile(filename=r.filename, size=r.size, reason=r.reason) for r in refused or []
        ],
        max_file_bytes=limits.max_file_bytes,
        max_case_bytes=limits.max_case_bytes,
        accepted_types=limits.accepted_names(),
    )


async def tell_complaint(
    temporal: Client, session: Session, complaint_id: str, row: CaseEvidence, limits: EvidenceLimits
) -> None:
    """Puts a kept file on the complaint's timeline, once per file."""
    await update_complaint(
        temporal,
        session,
        complaint_id,
        ComplaintWorkflow.evidence_added,
        notice_for(EvidenceSource(row.source), limits, added=[row]),
        update_id=f"evidence_added/{complaint_id}/{row.sha256}",
    )


async def add_complaint_evidence(
    temporal: Client,
    session: Session,
    settings: Settings,
    complaint_id: str,
    *,
    filename: str,
    data: bytes,
    source: EvidenceSource,
    source_ref: str = "",
    field: str = "file",
) -> TakenEvidence:
    """Keeps `data` as the open complaint's evidence and tells the complaint; raises the
    404 or 409 for an unknown or closed complaint and the refusal's 413, 415 or 422, with
    nothing stored, for a file that is not taken."""
    view = await current_complaint_view(temporal, session, complaint_id)
    if view.status is ComplaintStatus.CLOSED:
        raise complaint_closed(complaint_id)
    limits = settings.evidence_limits
    upload = Upload(
        case_kind=CaseKind.COMPLAINT.value,
        case_id=complaint_id,
        filename=filename,
        data=data,
        source=source,
        source_ref=source_ref,
    )
    try:
        row, added = await run_in_threadpool(
            keep_evidence, session, evidence_files(settings), limits, upload
        )
    except EvidenceRefused as refused:
        raise refusal_problem(refused, limits, field) from refused
    await tell_complaint(temporal, session, complaint_id, row, limits)
    return TakenEvidence(row=row, added=added)
