"""Refuses NUL characters in query parameters and the `Idempotency-Key` header.

They reach SQL (list filters, cursors, the idempotency table), and PostgreSQL refuses
text holding U+0000, which would turn a bad filter into a 500. Bodies are covered by
`domain.client_input`; this covers what arrives beside them, for every route at once.
"""

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from domain.client_input import NUL

CHECKED_HEADERS = ("Idempotency-Key",)
PROBLEM = "must not contain NUL characters (U+0000)"


async def refuse_nul_characters(request: Request) -> None:
    """Raises a 422 naming each query parameter or header that holds a NUL character."""
    problems: list[dict[str, Any]] = [
        {"type": "value_error", "loc": ("query", name), "msg": PROBLEM, "input": value}
        for name, value in request.query_params.multi_items()
        if NUL in name or NUL in value
    ]
    problems += [
        {"type": "value_error", "loc": ("header", name), "msg": PROBLEM, "input": value}
        for name in CHECKED_HEADERS
        if NUL in (value := request.headers.get(name, ""))
    ]
    if problems:
        raise RequestValidationError(problems)
