"""Offset pages: where the next page of a list is."""

from urllib.parse import urlencode

from fastapi import Request


def next_offset_url(request: Request, *, offset: int, limit: int, total: int) -> str | None:
    """Returns the URL of the page after this one (the same query, the next offset), or
    None on the last page."""
    if offset + limit >= total:
        return None
    params = dict(request.query_params) | {"offset": str(offset + limit)}
    return f"{request.url.path}?{urlencode(params)}"
