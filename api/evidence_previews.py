"""Serving a photo's preview, the same for the API and the customer's page: a JPEG of the
photo made on first request (`store.evidence_previews`), served beside the file's own
route (`.../evidence/{sha256}/preview`) to whoever may fetch the file.

A preview is addressed by its photo's hash and its size, so a browser may keep it as
long as it likes (`immutable`), but only for itself: it is customer data. A file that is
no photo has no preview (404, saying so); a photo that does not decode is a 422, and
nothing is written.
"""

import logging
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import FileResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError, Problem
from api.evidence_views import case_file, evidence_not_found
from core.settings import Settings
from domain.evidence import JPEG, PHOTO_TYPES, PREVIEW_EDGES, TYPE_NAMES, PreviewSize
from store.evidence_files import EvidenceFiles
from store.evidence_previews import EvidencePreviews, PreviewFailed
from store.tables.evidence import CaseEvidence

log = logging.getLogger("redress.api")

_EDGES = ", ".join(f"`{size.value}` at most {edge} pixels" for size, edge in PREVIEW_EDGES.items())
PreviewSizeQuery = Annotated[
    PreviewSize,
    Query(description=f"The rendition: {_EDGES} on its longest side (never enlarged)"),
]

_PREVIEW_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
    # The same address always holds the same bytes; customer data, kept by no shared cache.
    "Cache-Control": "private, max-age=31536000, immutable",
}


def preview_responses(thing: str) -> dict[int | str, dict[str, Any]]:
    """Returns the answers of a route serving a photo's preview of a `thing` ("return")."""
    return {
        # No `content` block, as for the file itself: a client generated from the
        # document then hands back the raw bytes (its generators take no image types).
        200: {
            "description": "The photo as an `image/jpeg`: upright, scaled down, without metadata"
        },
        404: {
            "model": Problem,
            "description": f"The {thing} holds no such file (`evidence_not_found`), or the "
            "file is no photo (`evidence_not_a_photo`)",
        },
        422: {
            "model": Problem,
            "description": "The photo does not decode (`evidence_preview_failed`), or `size` "
            "is not one of the renditions (`validation_failed`)",
        },
    }


async def preview_response(
    files: EvidenceFiles, row: CaseEvidence, size: PreviewSize
) -> FileResponse:
    """Returns the preview of the photo `row` names, made first when it has none; raises
    the 404 for a file that is no photo or is missing, the 422 for one that fails to
    decode."""
    if row.content_type not in PHOTO_TYPES:
        kind = TYPE_NAMES.get(row.content_type, row.content_type)
        raise ApiError(
            404,
            "evidence_not_a_photo",
            f"{row.filename} is a {kind} file, not a photo: only photos have a preview; "
            "fetch the file itself at the address without /preview",
        )
    try:
        path = await run_in_threadpool(EvidencePreviews(files).preview, row.sha256, size)
    except FileNotFoundError as missing:
        raise evidence_not_found() from missing
    except PreviewFailed as failed:
        log.warning("no preview of %s: %s", row.sha256, failed)
        raise ApiError(
            422,
            "evidence_preview_failed",
            f"{row.filename} could not be decoded for a preview; "
            "fetch the file itself at the address without /preview",
        ) from failed
    return FileResponse(
        path,
        media_type=JPEG,
        filename=f"{PurePath(row.filename).stem or 'photo'}.jpg",
        content_disposition_type="inline",
        headers=_PREVIEW_HEADERS,
    )


async def served_preview(
    session: Session,
    settings: Settings,
    *,
    case_kind: str,
    case_id: str,
    sha256: str,
    size: PreviewSize,
) -> FileResponse:
    """Returns the preview of one of the case's photos; raises the 404 when the case
    holds no file with `sha256` (and as `preview_response` does)."""
    row = await case_file(session, case_kind=case_kind, case_id=case_id, sha256=sha256)
    return await preview_response(EvidenceFiles(settings.effective_evidence_dir), row, size)
