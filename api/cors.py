"""CORS for one path prefix only: the rest of the API answers no other origin."""

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


class CorsForPaths:
    """Applies CORS (with credentials, for `origins`) to requests under `prefix` only.

    The Temporal UI calls the codec endpoint from its own origin and sends the console's
    session cookie; allowing that origin everywhere would let it drive every route. Any
    other origin gets no CORS header at all, not even `Access-Control-Allow-Credentials`
    (which Starlette's middleware would otherwise send to every origin).
    """

    def __init__(self, app: ASGIApp, *, prefix: str, origins: list[str]) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/") + "/"
        self.origins = frozenset(origins)
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_credentials=True,
            allow_methods=["POST"],
            allow_headers=["Authorization", "Content-Type", "X-Namespace"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and str(scope["path"]).startswith(self.prefix)
            and Headers(scope=scope).get("origin") in self.origins
        ):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
