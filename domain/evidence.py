"""Evidence: files a customer sends with a case (photos of a broken parcel, a receipt), by
e-mail, from their case page, or through the platform's API.

Files are kept once per case and content hash; the types and limits below decide what is
taken. These models travel through Temporal histories (the `evidence_added` update): add
optional fields, never rename or repurpose one.
"""

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

# Content types taken, as sniffed from the bytes (never as the sender labels them).
JPEG, PNG, WEBP, HEIC, HEIF = "image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"
PDF, TEXT = "application/pdf", "text/plain"
EVIDENCE_TYPES = (JPEG, PNG, WEBP, HEIC, HEIF, PDF, TEXT)
# Images a browser shows inline (Chromium and Firefox show no HEIC: pages show those
# through a JPEG preview made from them, `store.evidence_previews`).
INLINE_IMAGES = frozenset({JPEG, PNG, WEBP})
# What a photo may be (an inspection's photos are pictures, not receipts).
PHOTO_TYPES = INLINE_IMAGES | {HEIC, HEIF}
# What each type is called when a message or a page lists what is taken.
TYPE_NAMES = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", HEIC: "HEIC", HEIF: "HEIF"}
TYPE_NAMES |= {PDF: "PDF", TEXT: "text"}


class PreviewSize(StrEnum):
    """A photo's JPEG renditions: a page's thumbnail, and one to look at in full."""

    THUMBNAIL = "thumbnail"
    LARGE = "large"


# The longest side of each rendition, in pixels: a thumbnail fills a 120-pixel box
# (`object-fit: cover`) on a screen of twice the density; a large one fills a laptop's.
PREVIEW_EDGES = {PreviewSize.THUMBNAIL: 480, PreviewSize.LARGE: 1600}
# A photo a browser shows is its own thumbnail up to this size; a phone's 4 MB picture in
# a 120-pixel box would cost each page view its whole download, so it shows its preview.
OWN_THUMBNAIL_MAX_BYTES = 256 * 1024


def thumbnail_is_preview(content_type: str, size: int) -> bool:
    """Returns whether a photo's thumbnail is its preview rather than the file itself:
    for HEIC and HEIF, which no browser shows, and for large photos."""
    if content_type not in PHOTO_TYPES:
        return False
    return content_type not in INLINE_IMAGES or size > OWN_THUMBNAIL_MAX_BYTES


SHA256_PATTERN = r"^[0-9a-f]{64}$"
MAX_FILENAME_CHARS = 200
# A file as a request names it: its SHA-256, as the upload's answer gave it.
Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)]


class EvidenceSource(StrEnum):
    """How a file reached Redress."""

    EMAIL = "email"
    CUSTOMER_PAGE = "customer_page"
    API = "api"
    # Photos the warehouse took of a returned parcel, for its inspection.
    WAREHOUSE = "warehouse"


class RefusalReason(StrEnum):
    """Why a file was not taken."""

    # Over the per-file limit.
    TOO_LARGE = "too_large"
    # Taking it would put the case over its limit.
    CASE_FULL = "case_full"
    # Not one of the accepted types, or an image that does not decode (a renamed program).
    TYPE_NOT_ACCEPTED = "type_not_accepted"
    # Nothing in it.
    EMPTY = "empty"


@dataclass(frozen=True)
class EvidenceLimits:
    """What one file and one case may hold, and which types are taken."""

    max_file_bytes: int
    max_case_bytes: int
    accepted_types: frozenset[str] = frozenset(EVIDENCE_TYPES)

    def refusal(self, content_type: str | None, size: int, case_bytes: int) -> RefusalReason | None:
        """Returns why a file of `content_type` (None: not recognised) and `size` cannot
        join a case already holding `case_bytes`, or None when it can."""
        if size == 0:
            return RefusalReason.EMPTY
        if size > self.max_file_bytes:
            return RefusalReason.TOO_LARGE
        if content_type is None or content_type not in self.accepted_types:
            return RefusalReason.TYPE_NOT_ACCEPTED
        if case_bytes + size > self.max_case_bytes:
            return RefusalReason.CASE_FULL
        return None

    def photos_only(self) -> "EvidenceLimits":
        """Returns these limits taking pictures alone."""
        return replace(self, accepted_types=self.accepted_types & PHOTO_TYPES)

    def accepted_names(self) -> str:
        """Returns the accepted types as people call them: "JPEG, PNG, ..."."""
        return ", ".join(TYPE_NAMES[t] for t in EVIDENCE_TYPES if t in self.accepted_types)


def megabytes(size: int) -> str:
    """Returns a byte count as megabytes, the way limits are told to people: "10", "2.5",
    "0.02" (two decimals under one megabyte, so a small limit is not told as 0)."""
    value = size / (1024 * 1024)
    return f"{value:.{1 if value >= 1 else 2}f}".rstrip("0").rstrip(".")


class EvidenceFile(BaseModel):
    """A file kept as a case's evidence."""

    sha256: str = Field(pattern=SHA256_PATTERN)
    filename: str = Field(max_length=MAX_FILENAME_CHARS)
    content_type: str = Field(max_length=64)
    size: int = Field(ge=1)


class RefusedFile(BaseModel):
    """A file that was not kept, and why."""

    filename: str = Field(max_length=MAX_FILENAME_CHARS)
    size: int = Field(ge=0)
    reason: RefusalReason


class EvidenceNotice(BaseModel):
    """Tells a complaint of files its customer sent (the `evidence_added` update): those
    kept, and, for mail, those refused (the customer is told which, and the limits)."""

    source: EvidenceSource
    added: list[EvidenceFile] = Field(default_factory=list, max_length=100)
    refused: list[RefusedFile] = Field(default_factory=list, max_length=100)
    # The limits in force, for the message telling the customer of a refusal.
    max_file_bytes: int = 0
    max_case_bytes: int = 0
    accepted_types: str = ""


def clean_filename(name: str, content_type: str | None = None) -> str:
    """Returns a file's name as senders gave it, safe to show and to put in a header: the
    last path part, without control characters, at most MAX_FILENAME_CHARS; a nameless
    file is named by its type ("photo.jpg")."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().strip(".")
    if not name:
        extension = {JPEG: "jpg", PNG: "png", WEBP: "webp", HEIC: "heic", HEIF: "heif"}
        extension |= {PDF: "pdf", TEXT: "txt"}
        name = f"file.{extension.get(content_type or '', 'bin')}"
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, suffix = name.rpartition(".")
        keep = suffix if dot and len(suffix) <= 10 else ""
        name = name[: MAX_FILENAME_CHARS - len(keep) - 1] + ("." + keep if keep else "")
    return name


def describe_file(file: EvidenceFile) -> str:
    """Returns how the timeline names a kept file: name, type and size."""
    return (
        f"{file.filename} ({TYPE_NAMES.get(file.content_type, file.content_type)}, {file.size} B)"
    )


def describe_refusal(file: RefusedFile) -> str:
    """Returns how the timeline names a refused file: name, size and the reason's code."""
    return f"{file.filename} ({file.size} B): {file.reason.value}"


def refusal_values(notice: EvidenceNotice) -> dict[str, str]:
    """Returns what the `evidence_refused` message is filled with: the files refused for
    their size, those refused for their type, and the limits."""
    too_large = [f.filename for f in notice.refused if f.reason in _SIZE_REASONS]
    not_accepted = [f.filename for f in notice.refused if f.reason not in _SIZE_REASONS]
    return {
        "too_large": ", ".join(too_large),
        "not_accepted": ", ".join(not_accepted),
        "max_file_mb": megabytes(notice.max_file_bytes),
        "max_case_mb": megabytes(notice.max_case_bytes),
        "accepted_types": notice.accepted_types,
    }


_SIZE_REASONS = frozenset({RefusalReason.TOO_LARGE, RefusalReason.CASE_FULL})
