"""An ASGI app that serves each request with another app running on another event loop.

Schemathesis drives ASGI apps from a thread and an event loop of its own, while the app
under test, its Temporal client and the workers live on the test's loop. The bridge reads
the request where Schemathesis sends it, has the real app answer it on the test's loop,
and plays the answer back: the app sees the same ASGI messages a server would send.
"""

import asyncio
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class LoopBridge:
    """Serves HTTP requests with `app` on `loop`; it has no lifespan (the app's own runs
    on `loop`, where the test started it)."""

    def __init__(self, app: ASGIApp, loop: asyncio.AbstractEventLoop) -> None:
        self.app = app
        self.loop = loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # Refusing the lifespan scope before receiving anything says "no lifespan".
            raise RuntimeError(f"the bridge serves HTTP only, not {scope['type']}")
        chunks = await _request_chunks(receive)
        answered = asyncio.run_coroutine_threadsafe(_serve(self.app, scope, chunks), self.loop)
        for message in await asyncio.wrap_future(answered):
            await send(message)


async def _request_chunks(receive: Receive) -> list[Message]:
    chunks: list[Message] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return chunks
        chunks.append(message)
        if not message.get("more_body", False):
            return chunks


async def _serve(app: ASGIApp, scope: Scope, chunks: list[Message]) -> list[Message]:
    """Returns the messages `app` sends in answer to the request made of `chunks`."""
    pending = list(chunks)
    answered = asyncio.Event()
    sent: list[Message] = []

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        await answered.wait()  # a client that read the whole answer goes away only then
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            answered.set()

    request_scope: dict[str, Any] = {**scope, "state": {}}
    await app(request_scope, receive, send)
    return sent
