"""A platform's webhook endpoint for tests: a real HTTP server that verifies every request
with standardwebhooks' own `Webhook.verify` (stale timestamps included) and that, when
told to, fails at random (seeded): no answer in time, or a 500."""

import asyncio
import json
import random
import threading
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass(frozen=True)
class Received:
    """One request the receiver took: its headers, raw body and what it answered."""

    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def event(self) -> dict[str, Any]:
        payload: dict[str, Any] = json.loads(self.body)
        return payload


@dataclass
class WebhookReceiver:
    """Answers 2xx to verified events, except those it fails on purpose.

    `failure_rate` of requests fail, half by sleeping past the sender's timeout (then a
    503), half with a 500; the first failure is always a timeout and the second a 500, so
    every run sees both. Events in `refuse` always get a 500; the first request of each
    event whose type is in `refuse_first` gets one too, so its retry can be seen.
    """

    secret: str
    failure_rate: float = 0.0
    slow_seconds: float = 1.0
    seed: int = 15
    refuse: set[str] = field(default_factory=set)
    refuse_first: set[str] = field(default_factory=set)
    requests: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._failures = 0
        self.app = Starlette(routes=[Route("/events", self._take, methods=["POST"])])

    def accepted(self) -> list[dict[str, Any]]:
        """Returns the events answered with a 2xx, in the order they arrived."""
        with self._lock:
            return [r.event for r in self.requests if 200 <= r.status < 300]

    def ids_accepted(self) -> list[str]:
        with self._lock:
            return [r.headers["webhook-id"] for r in self.requests if 200 <= r.status < 300]

    def requests_for(self, event_id: str) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if r.headers.get("webhook-id") == event_id]

    async def _take(self, request: Request) -> Response:
        body = await request.body()
        headers = {name.lower(): value for name, value in request.headers.items()}
        try:
            Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError as refused:
            return self._log(headers, body, JSONResponse({"refused": str(refused)}, 400))
        if headers["webhook-id"] in self.refuse or self._first_of_refused_type(headers, body):
            return self._log(headers, body, Response("refused on purpose", 500))
        failure = self._failure()
        if failure == "slow":
            await asyncio.sleep(self.slow_seconds)
            return self._log(headers, body, Response("too late", 503))
        if failure == "error":
            return self._log(headers, body, Response("boom", 500))
        return self._log(headers, body, Response(status_code=204))

    def _first_of_refused_type(self, headers: dict[str, str], body: bytes) -> bool:
        if json.loads(body).get("type") not in self.refuse_first:
            return False
        return not self.requests_for(headers["webhook-id"])

    def _failure(self) -> str | None:
        with self._lock:
            if self._rng.random() >= self.failure_rate:
                return None
            self._failures += 1
            if self._failures <= 2:
                return "slow" if self._failures == 1 else "error"
            return self._rng.choice(["slow", "error"])

    def _log(self, headers: dict[str, str], body: bytes, response: Response) -> Response:
        with self._lock:
            self.requests.append(Received(headers=headers, body=body, status=response.status_code))
        return response
