"""Offset pages: the offset a list takes, and where its next page is."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request


def next_offset_url(request: Request, *, offset: int, limit: int, total: int) -> str | None:
    """Returns the URL of the page after this one (the same query, the next offset), or
    None on the last page."""
    if offset + limit >= total:
        return None
    params = dict(request.query_params) | {"offset": str(offset + limit)}
    return f"{request.url.path}?{urlencode(params)}"


# Far beyond any list's length, and inside what every store's integer type holds: an offset
# past it is refused as a 422 naming `offset`, not passed to SQL to overflow there.
MAX_OFFSET = 1_000_000_000

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip (page numbers)")]
