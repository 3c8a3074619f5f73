"""Showing and serving a case's evidence, the same for the API, the console and the
customer's page: only the address a file is served from differs (an API route for staff
and platforms, the link's own address for the customer).

A file is served with the type sniffed when it was kept, never guessed again by the
browser (`nosniff`), in a sandbox that runs nothing; photos a browser can show are shown
inline, everything else is a download under the name the sender gave it. Pages show
every photo as a thumbnail: a HEIC (which no browser shows) and a large photo through
its JPEG preview (`api.evidence_previews`), served at the file's address + `/preview`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from fastapi.responses import FileResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from domain.evidence import INLINE_IMAGES, PHOTO_TYPES, PreviewSize, thumbnail_is_preview
from store.evidence import case_evidence, find_evidence
from store.evidence_files import EvidenceFiles
from store.tables.evidence import CaseEvidence

_FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Opened on its own, a file can run nothing and reach nothing.
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
    # Customer data: kept by no shared cache.
    "Cache-Control": "private, max-age=3600",
}


@dataclass(frozen=True)
class ShownEvidence:
    """A file as a page lists it: a thumbnail for a photo, else a link."""

    filename: str
    content_type: str
    size: int
    url: str
    sha256: str = ""
    # How it came (`domain.evidence.EvidenceSource`): the warehouse's photos are shown
    # with the inspection, the customer's files with the request.
    source: str = ""

    @property
    def is_photo(self) -> bool:
        return self.content_type in PHOTO_TYPES

    @property
    def browser_shows(self) -> bool:
        """Returns whether a browser shows the file itself (a JPEG, PNG or WebP)."""
        return self.content_type in INLINE_IMAGES

    @property
    def thumbnail_url(self) -> str:
        """Returns what a photo's thumbnail shows: its preview, or the file when it is
        small and a browser shows it."""
        if thumbnail_is_preview(self.content_type, self.size):
            return f"{self.url}/preview"
        return self.url

    @property
    def view_url(self) -> str:
        """Returns what a thumbnail opens: the photo itself, or, for a HEIC a browser
        cannot show, its large preview (the file is offered beside it)."""
        if self.browser_shows:
            return self.url
        return f"{self.url}/preview?size={PreviewSize.LARGE.value}"


async def evidence_shown(
    session: Session, *, case_kind: str, case_id: str, url_of: Callable[[str], str]
) -> list[ShownEvidence]:
    """Returns the case's files as a page lists them, oldest first; `url_of` makes a
    file's address from its SHA-256."""
    rows = await run_in_threadpool(case_evidence, session, case_kind=case_kind, case_id=case_id)
    return [
        ShownEvidence(
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            url=url_of(row.sha256),
            sha256=row.sha256,
            source=row.source,
        )
        for row in rows
    ]


def evidence_not_found() -> ApiError:
    """Returns the 404 for a file the case does not hold."""
    return ApiError(404, "evidence_not_found", "this case holds no such file")


async def case_file(session: Session, *, case_kind: str, case_id: str, sha256: str) -> CaseEvidence:
    """Returns the case's evidence row for `sha256`; raises the 404 when it holds none."""
    row = await run_in_threadpool(
        find_evidence, session, case_kind=case_kind, case_id=case_id, sha256=sha256
    )
    if row is None:
        raise evidence_not_found()
    return row


def file_response(files: EvidenceFiles, row: CaseEvidence) -> FileResponse:
    """Returns the file's bytes with its sniffed type, inline only for photos."""
    path = files.path_of(row.sha256)
    if not path.is_file():
        raise evidence_not_found()
    return FileResponse(
        path,
        media_type=row.content_type,
        filename=row.filename,
        content_disposition_type="inline" if row.content_type in INLINE_IMAGES else "attachment",
        headers=_FILE_HEADERS,
    )
