"""The evidence store: files kept for cases, however they came (mail, the customer's
page, the API), checked once here against the types and limits.

A file is known by its SHA-256: the bytes go to the evidence directory once, the row
(case, hash) once, so a redelivered mail or a retried upload stores nothing twice and is
answered with what was stored the first time.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from domain.evidence import EvidenceLimits, EvidenceSource, RefusalReason, clean_filename
from store.evidence_files import EvidenceFiles
from store.evidence_sniffing import sniff_content_type
from store.tables.evidence import CaseEvidence
from store.upsert import insert_on_conflict


class EvidenceRefused(Exception):
    """A file that is not taken: too large, of a type not taken, or the case is full."""

    def __init__(self, reason: RefusalReason, filename: str, size: int) -> None:
        super().__init__(f"{filename}: {reason.value}")
        self.reason = reason
        self.filename = filename
        self.size = size


@dataclass(frozen=True)
class Upload:
    """One file offered as a case's evidence."""

    case_kind: str
    case_id: str
    filename: str
    data: bytes
    source: EvidenceSource
    # The mail's Message-ID or the upload's idempotency key.
    source_ref: str = ""


def keep_evidence(
    session: Session, files: EvidenceFiles, limits: EvidenceLimits, upload: Upload
) -> tuple[CaseEvidence, bool]:
    """Returns the case's evidence row for the upload's bytes and whether this call added
    it, then commits; raises `EvidenceRefused` and keeps nothing when a limit or the
    file's sniffed type refuses it."""
    digest = hashlib.sha256(upload.data).hexdigest()
    kept = find_evidence(session, case_kind=upload.case_kind, case_id=upload.case_id, sha256=digest)
    if kept is not None:
        return kept, False
    held = case_bytes(session, case_kind=upload.case_kind, case_id=upload.case_id)
    content_type, filename = _checked(limits, upload, held)
    files.keep(upload.data)
    row = CaseEvidence(
        case_kind=upload.case_kind,
        case_id=upload.case_id,
        sha256=digest,
        filename=filename,
        content_type=content_type,
        size=len(upload.data),
        source=upload.source.value,
        source_ref=upload.source_ref[:500],
    )
    insert = insert_on_conflict(session, CaseEvidence).values(**row.model_dump(exclude={"id"}))
    written = session.execute(
        insert.on_conflict_do_nothing(index_elements=["case_kind", "case_id", "sha256"]).returning(
            col(CaseEvidence.id)
        )
    ).first()
    session.commit()
    stored = find_evidence(
        session, case_kind=upload.case_kind, case_id=upload.case_id, sha256=digest
    )
    if stored is None:  # pragma: no cover - the row was just written or already there
        raise LookupError(f"evidence {digest} of {upload.case_id} vanished after being kept")
    return stored, written is not None


def _checked(limits: EvidenceLimits, upload: Upload, held: int) -> tuple[str, str]:
    """Returns the upload's sniffed type and clean name; raises `EvidenceRefused` when
    it cannot join a case holding `held` bytes."""
    content_type = sniff_content_type(upload.data)
    filename = clean_filename(upload.filename, content_type)
    reason = limits.refusal(content_type, len(upload.data), held)
    if reason is not None or content_type is None:
        raise EvidenceRefused(reason or RefusalReason.TYPE_NOT_ACCEPTED, filename, len(upload.data))
    return content_type, filename


def keep_all_evidence(
    session: Session,
    files: EvidenceFiles,
    limits: EvidenceLimits,
    uploads: Sequence[Upload],
) -> list[CaseEvidence]:
    """Returns the evidence rows of `uploads` (files for one case), in their order, once
    each is kept; raises `EvidenceRefused` for the first one a limit or its type refuses
    before any is kept, so a batch is taken whole or not at all."""
    if not uploads:
        return []
    case_kind, case_id = uploads[0].case_kind, uploads[0].case_id
    if any((u.case_kind, u.case_id) != (case_kind, case_id) for u in uploads):
        raise ValueError("a batch of evidence is for one case")
    held = case_bytes(session, case_kind=case_kind, case_id=case_id)
    seen: set[str] = set()
    for upload in uploads:
        digest = hashlib.sha256(upload.data).hexdigest()
        if digest in seen or find_evidence(
            session, case_kind=case_kind, case_id=case_id, sha256=digest
        ):
            continue
        _checked(limits, upload, held)
        held += len(upload.data)
        seen.add(digest)
    return [keep_evidence(session, files, limits, upload)[0] for upload in uploads]


def missing_evidence(
    session: Session, *, case_kind: str, case_id: str, sha256s: Sequence[str]
) -> list[str]:
    """Returns those of `sha256s` the case holds no file of, in their order."""
    if not sha256s:
        return []
    held = set(
        session.exec(
            select(CaseEvidence.sha256).where(
                CaseEvidence.case_kind == case_kind,
                CaseEvidence.case_id == case_id,
                col(CaseEvidence.sha256).in_(list(sha256s)),
            )
        )
    )
    return [sha256 for sha256 in sha256s if sha256 not in held]


def find_evidence(
    session: Session, *, case_kind: str, case_id: str, sha256: str
) -> CaseEvidence | None:
    """Returns the case's evidence with `sha256`, or None."""
    statement = _of_case(case_kind, case_id).where(CaseEvidence.sha256 == sha256)
    return session.exec(statement.execution_options(populate_existing=True)).first()


def evidence_by_source_ref(
    session: Session, *, case_kind: str, case_id: str, source_ref: str
) -> CaseEvidence | None:
    """Returns the case's evidence that `source_ref` (an upload's key) brought, or None."""
    statement = _of_case(case_kind, case_id).where(CaseEvidence.source_ref == source_ref)
    return session.exec(statement).first()


def case_evidence(session: Session, *, case_kind: str, case_id: str) -> list[CaseEvidence]:
    """Returns a case's evidence, oldest first."""
    return list(session.exec(_of_case(case_kind, case_id).order_by(col(CaseEvidence.id))))


def _of_case(case_kind: str, case_id: str) -> SelectOfScalar[CaseEvidence]:
    return select(CaseEvidence).where(
        CaseEvidence.case_kind == case_kind, CaseEvidence.case_id == case_id
    )


def case_bytes(session: Session, *, case_kind: str, case_id: str) -> int:
    """Returns how many bytes of evidence a case holds."""
    statement = select(func.coalesce(func.sum(CaseEvidence.size), 0)).where(
        CaseEvidence.case_kind == case_kind, CaseEvidence.case_id == case_id
    )
    return int(session.exec(statement).one())
