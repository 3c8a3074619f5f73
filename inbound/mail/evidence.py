"""A mail's attachments become the evidence of the complaint it opened or replied on.

Each file goes through the evidence store like an upload (`api.evidence_calls`): sniffed,
checked against the limits, kept once per hash, and put on the timeline once. Files that
are refused (too large, a type not taken) do not stop the mail: its words are still the
complaint's, and the complaint tells the customer by mail which files were not kept and
what the limits are. Everything is idempotent on the mail's Message-ID and the files'
hashes, so a redelivered mail, or one acted on again after Temporal was away, stores and
says nothing twice.
"""

import logging

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client, WorkflowUpdateFailedError

from api.complaint_calls import update_complaint
from api.errors import ApiError
from api.evidence_calls import evidence_files, notice_for, tell_complaint
from core.links import CaseKind
from core.settings import Settings
from domain.evidence import EvidenceSource
from inbound.mail.message import InboundMail
from store.evidence import EvidenceRefused, Upload, keep_evidence
from store.tables.evidence import CaseEvidence
from workflows.complaints import ComplaintWorkflow

logger = logging.getLogger(__name__)


async def keep_attachments(
    mail: InboundMail, complaint_id: str, *, session: Session, temporal: Client, settings: Settings
) -> str:
    """Keeps the mail's attachments as the complaint's evidence and tells the complaint;
    returns, for the mail's record, which were refused and why ("" when none were)."""
    limits = settings.evidence_limits
    files = evidence_files(settings)
    kept: list[CaseEvidence] = []
    refused: list[EvidenceRefused] = []
    for attachment in mail.attachments:
        upload = Upload(
            case_kind=CaseKind.COMPLAINT.value,
            case_id=complaint_id,
            filename=attachment.filename,
            data=attachment.data,
            source=EvidenceSource.EMAIL,
            source_ref=mail.message_id,
        )
        try:
            row, _ = await run_in_threadpool(keep_evidence, session, files, limits, upload)
            kept.append(row)
        except EvidenceRefused as refusal:
            refused.append(refusal)
    try:
        for row in kept:
            await tell_complaint(temporal, session, complaint_id, row, limits)
        if refused:
            await update_complaint(
                temporal,
                session,
                complaint_id,
                ComplaintWorkflow.evidence_added,
                notice_for(EvidenceSource.EMAIL, limits, refused=refused),
                update_id=f"evidence_refused/mail/{mail.message_id}",
            )
    except (ApiError, WorkflowUpdateFailedError) as closed:
        # The complaint closed meanwhile: the files are kept, a person reads the record.
        logger.info("attachments of %s not put on %s: %s", mail.message_id, complaint_id, closed)
    return "; ".join(f"{r.filename} refused: {r.reason.value}" for r in refused)
