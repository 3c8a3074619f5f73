"""Files kept as cases' evidence: one row per case and content hash, the bytes in the
evidence directory (`store.evidence_files`), shared by every case that holds them."""

from datetime import UTC, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import UtcDateTime


def _utcnow() -> datetime:
    return datetime.now(UTC)


class CaseEvidence(SQLModel, table=True):
    """A file a case holds: what it is, how it came, when."""

    __tablename__ = "case_evidence"
    # A redelivered mail or a retried upload finds its file already here and adds nothing.
    __table_args__ = (UniqueConstraint("case_kind", "case_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    # `core.links.CaseKind` values: "complaint", "return".
    case_kind: str = Field(max_length=16)
    case_id: str = Field(index=True, max_length=64)
    sha256: str = Field(index=True, max_length=64)
    # As the sender named it (shown to people, never used as a path).
    filename: str = Field(max_length=200)
    # Sniffed from the bytes (`store.evidence_sniffing`), not the sender's label.
    content_type: str = Field(max_length=64)
    size: int
    # `domain.evidence.EvidenceSource` values.
    source: str = Field(max_length=16)
    # What brought it: the mail's Message-ID, the upload's idempotency key, or "".
    source_ref: str = Field(default="", max_length=500)
    uploaded_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
