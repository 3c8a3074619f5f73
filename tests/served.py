"""The API served by uvicorn on a free port, with its real lifespan, for tests that need
real HTTP: a browser, the courier simulator's webhooks."""

import asyncio
import socket
from contextlib import AsyncExitStack

import uvicorn

from api.main import create_app
from core.settings import Settings

SERVER_START_TIMEOUT_SECONDS = 10.0


def bound_socket(stack: AsyncExitStack) -> socket.socket:
    """Returns a socket bound to a free local port (closed with `stack`); its port goes in
    the settings before the app is made, so links and webhooks point at it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    stack.callback(sock.close)
    return sock


async def serve_api(stack: AsyncExitStack, settings: Settings, sock: socket.socket) -> str:
    """Serves the app for `settings` on `sock` until `stack` closes; returns its base URL
    once it accepts connections."""
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), log_level="warning", access_log=False)
    )
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    stack.push_async_callback(lambda: serving)
    stack.callback(lambda: setattr(server, "should_exit", True))
    deadline = asyncio.get_running_loop().time() + SERVER_START_TIMEOUT_SECONDS
    while not server.started:
        if serving.done() or asyncio.get_running_loop().time() > deadline:
            raise RuntimeError("the API did not start")
        await asyncio.sleep(0.01)
    host, port = sock.getsockname()
    return f"http://{host}:{port}"
