"""A size limit on every request body, so oversize input is refused before it is parsed.

Bodies end up in workflow inputs, and Temporal refuses payloads over 2 MB (and warns from
512 KB). The field limits in `domain` keep every valid request well under this limit
(`tests/domain/test_payload_budget.py` proves it); this limit stops anything larger at
the door, before the app reads it into memory. A declared `Content-Length` over the limit
is refused at once; a chunked body is counted as it arrives and refused as soon as it
passes the limit.

Uploads of evidence files are the exception: their paths (`UPLOAD_PATHS`) take a body as
large as one file may be, plus room for the form around it, and a file that is still too
large is refused by its route in words naming the limit; a form of several files
(`BATCH_UPLOAD_PATHS`) takes as much as a case may hold in all. Their bytes never reach a
workflow (only the file's hash and name do). A customer's browser refused here gets the
customer's problem page, a console user the console's (`refusal_page`), not JSON.
"""

import re
from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import BODY_TOO_LARGE, problem_response

MAX_REQUEST_BODY_BYTES = 512 * 1024
# The evidence uploads: the API's (complaints and returns), and the customer page's form.
UPLOAD_PATHS = re.compile(r"^/(complaints|returns|my)/[^/]+/evidence$")
# Forms that carry several files at once (the console's inspection with its photos): as
# large as a case's files may be in all.
BATCH_UPLOAD_PATHS = re.compile(r"^/console/returns/[^/]+/inspection$")
# What a multipart form carries besides the file: boundaries, headers, the form's nonce.
UPLOAD_FORM_ROOM = 64 * 1024

# Returns the page refusing an oversize body for a browser, or None to answer JSON.
RefusalPage = Callable[[Request], Response | None]


class BodyTooLarge(HTTPException):
    """Raised where the app reads a body that passed the limit; FastAPI lets HTTP errors
    through its body parsing, so `api.errors` answers it like any other problem."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, too_large_message(max_bytes))


def too_large_message(max_bytes: int) -> str:
    """Returns what a 413 tells the client."""
    return (
        f"the request body is over {max_bytes} bytes; send less "
        "(shorter text, fewer items or evidence links)"
    )


class RequestBodyLimit:
    """Refuses request bodies over `max_bytes` with a 413 problem body."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int = MAX_REQUEST_BODY_BYTES,
        max_upload_bytes: int = MAX_REQUEST_BODY_BYTES,
        max_batch_upload_bytes: int = MAX_REQUEST_BODY_BYTES,
        refusal_page: RefusalPage | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes + UPLOAD_FORM_ROOM
        self.max_batch_upload_bytes = max_batch_upload_bytes + UPLOAD_FORM_ROOM
        self.refusal_page = refusal_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, limit)
            return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            # The app's error handlers answer it; this catches one read outside a route.
            if response_started:
                raise
            await self._refuse(scope, receive, send, limit)

    def _limit(self, path: str) -> int:
        if UPLOAD_PATHS.match(path):
            return self.max_upload_bytes
        if BATCH_UPLOAD_PATHS.match(path):
            return self.max_batch_upload_bytes
        return self.max_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        page = self.refusal_page(Request(scope)) if self.refusal_page is not None else None
        response = page or problem_response(413, BODY_TOO_LARGE, too_large_message(limit))
        # The client may still be sending the rest: this connection cannot carry another.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # not a number: counting the body as it arrives still holds
    return None
