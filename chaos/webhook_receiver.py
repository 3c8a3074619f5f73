"""The platform's endpoint in the chaos run: a real HTTP server (uvicorn, in a thread of
its own) that verifies every request with standardwebhooks and, on a seeded share of
them, fails: a 500, or an answer that comes after the sender stopped waiting.

A late answer is an event the platform did take (it is recorded as accepted) but whose
"204" the dispatcher never saw, so it sends the event again: that is the redelivery the
order check allows, and a duplicate by `webhook-id` that the run counts.
"""

import asyncio
import json
import random
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import uvicorn
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

STARTUP_TIMEOUT_SECONDS = 10.0
PATH = "/redress-events"


@dataclass(frozen=True)
class TakenEvent:
    """One request the endpoint verified and took in: its id, case and place in the case."""

    webhook_id: str
    case_id: str
    seq: int
    taken_at: datetime
    # Answered after the sender's timeout: the sender sends it again.
    late: bool


@dataclass
class EndpointFigures:
    """What the endpoint answered, by kind."""

    # Verified requests, and what became of them.
    requests: int = 0
    refused_on_purpose: int = 0
    answered_late: int = 0
    # Requests whose signature or timestamp did not verify: none may.
    unverified: int = 0


class WebhookReceiver:
    """Serves `PATH` on a free local port once started; `url` is where to subscribe it."""

    def __init__(self, failure_rate: float, late_by_seconds: float, seed: int) -> None:
        self.secret = ""
        self._failure_rate = failure_rate
        self._late_by = late_by_seconds
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._taken: list[TakenEvent] = []
        self.figures = EndpointFigures()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}{PATH}"
        app = Starlette(routes=[Route(PATH, self._take, methods=["POST"])])
        self._server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the webhook receiver at {self.url} did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
        self._socket.close()

    def taken(self) -> list[TakenEvent]:
        """Returns every event taken in, in the order they came (repeats included)."""
        with self._lock:
            return list(self._taken)

    async def _take(self, request: Request) -> Response:
        # ASGI hands header names over lower-cased, as standardwebhooks looks them up.
        headers, body = dict(request.headers), await request.body()
        try:
            Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError as refused:
            with self._lock:
                self.figures.unverified += 1
            return Response(f"not verified: {refused}", 400)
        with self._lock:
            self.figures.requests += 1
            fate = self._fate()
        if fate == "error":
            return Response("failing on purpose", 500)
        data = json.loads(body)["data"]
        with self._lock:
            self._taken.append(
                TakenEvent(
                    webhook_id=headers["webhook-id"],
                    case_id=str(data["case_id"]),
                    seq=int(data["seq"]),
                    taken_at=datetime.now(UTC),
                    late=fate == "late",
                )
            )
        if fate == "late":
            await asyncio.sleep(self._late_by)
        return Response(status_code=204)

    def _fate(self) -> str | None:
        """Returns "error", "late" or None (a prompt 204) for the next request."""
        if self._rng.random() >= self._failure_rate:
            return None
        fate = self._rng.choice(["error", "late"])
        if fate == "error":
            self.figures.refused_on_purpose += 1
        else:
            self.figures.answered_late += 1
        return fate
