"""A size limit on every request body, so oversize input is refused before it is parsed.

Bodies end up in workflow inputs, and Temporal refuses payloads over 2 MB (and warns from
512 KB). The field limits in `domain` keep every valid request well under this limit
(`tests/domain/test_payload_budget.py` proves it); this limit stops anything larger at
the door, before the app reads it into memory. A declared `Content-Length` over the limit
is refused at once; a chunked body is counted as it arrives and refused as soon as it
passes the limit.
"""

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import BODY_TOO_LARGE, problem_response

MAX_REQUEST_BODY_BYTES = 512 * 1024


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

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_REQUEST_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
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
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(413, BODY_TOO_LARGE, too_large_message(self.max_bytes))
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
