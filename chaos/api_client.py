"""HTTP calls as a careful client makes them: retried across API and Temporal restarts,
with the same Idempotency-Key every time, and counted."""

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

# Answers that mean "not now": the API restarting, or Temporal unreachable behind it.
RETRY_STATUSES = {502, 503, 504}
RETRY_FOR_SECONDS = 180.0
REQUEST_TIMEOUT = httpx.Timeout(20.0, connect=3.0)


class ApiGaveUp(Exception):
    """A call kept failing for RETRY_FOR_SECONDS; the message says what it last got."""


@dataclass
class CallFigures:
    """What the client saw: retried calls, replayed creations and unexpected answers."""

    calls: int = 0
    retries: int = 0
    replays: int = 0
    # Answers a client should never get (500s), by "METHOD path-kind status".
    server_errors: Counter[str] = field(default_factory=Counter)


class ApiClient:
    """Calls the Redress API with one bearer key per role (when the API asks for keys)."""

    def __init__(self, base_url: str, keys: dict[str, str], rng: random.Random) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT)
        self._keys = keys
        self._rng = rng
        self.figures = CallFigures()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get(self, path: str, *, role: str = "service") -> httpx.Response:
        return await self.call("GET", path, role=role)

    async def post(
        self,
        path: str,
        body: dict[str, Any],
        *,
        role: str = "service",
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        return await self.call("POST", path, body, role=role, idempotency_key=idempotency_key)

    async def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        role: str = "service",
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        """Returns the first answer that is not a restart's: a 2xx, or a 4xx to act on.

        Connection failures, timeouts and 502-504 are retried with the same body and key
        (so a creation that did happen is replayed, not repeated); 500s are counted as
        server errors and retried too, since the run must still finish.
        """
        headers = {}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        if role in self._keys:
            headers["Authorization"] = f"Bearer {self._keys[role]}"
        self.figures.calls += 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRY_FOR_SECONDS
        pause = 0.2
        while True:
            try:
                response = await self._http.request(method, path, json=body, headers=headers)
                last = f"HTTP {response.status_code}: {response.text[:200]}"
                if response.status_code == 500:
                    self.figures.server_errors[f"{method} {_path_kind(path)} 500"] += 1
                elif response.status_code not in RETRY_STATUSES:
                    if response.headers.get("Idempotent-Replayed") == "true":
                        self.figures.replays += 1
                    return response
            except httpx.TransportError as error:
                last = f"{type(error).__name__}: {error}"
            if loop.time() > deadline:
                raise ApiGaveUp(
                    f"{method} {path} kept failing for {RETRY_FOR_SECONDS:.0f} s: {last}"
                )
            self.figures.retries += 1
            await asyncio.sleep(pause * (0.5 + self._rng.random()))
            pause = min(pause * 2, 3.0)


def _path_kind(path: str) -> str:
    """Returns the path with ids replaced, so errors count per route, not per case."""
    parts = path.split("?", 1)[0].strip("/").split("/")
    return "/" + "/".join("{id}" if index == 1 else part for index, part in enumerate(parts))
