"""The Redress HTTP API: start, query and act on complaint workflows, and list the read model.

`uvicorn api.main:app` serves it; nothing connects at import time, only in the lifespan.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from api.cors import CorsForPaths
from api.errors import install_error_handlers
from api.routes import codec, complaints, health, returns, webhooks
from core.links import check_secret
from core.settings import Settings, get_settings
from core.temporal import connect
from store.db import make_engine, session_factory

DESCRIPTION = """\
Redress runs every customer complaint as a durable Temporal workflow: intake,
classification, routing, SLA clocks, agent actions, approvals and compensation.

The API starts complaint workflows, sends them updates (customer messages, agent actions,
approval decisions), reads their live state, and lists complaints from the read model.
Errors are JSON problem bodies: `{"error": code, "message": text}`, plus `fields` for 422s.
"""


def _version() -> str:
    try:
        return version("redress")
    except PackageNotFoundError:
        return "0.0.0+local"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Returns the API app; its lifespan opens the store and connects to Temporal."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Links and sessions are signed with it: refuse to serve without one.
        check_secret(settings.secret_key)
        engine = make_engine(settings.effective_database_url)
        try:
            app.state.settings = settings
            app.state.engine = engine
            app.state.sessions = session_factory(engine)
            app.state.temporal = await connect(settings)
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="Redress",
        summary="E-commerce complaints as durable Temporal workflows",
        description=DESCRIPTION,
        version=_version(),
        lifespan=lifespan,
        openapi_tags=[
            {"name": "complaints", "description": "Open, read, list and act on complaints"},
            {"name": "returns", "description": "Open, read, list and decide returns (RMAs)"},
            {"name": "warehouse", "description": "What the returns warehouse reports"},
            {
                "name": "webhooks",
                "description": "Signed events from couriers (HMAC-SHA256, see the README)",
            },
            {"name": "health", "description": "Liveness of the API and its dependencies"},
            {
                "name": "codec",
                "description": "Temporal's codec server contract, for the UI and CLI",
            },
        ],
    )
    # Only the codec endpoint is called from another origin (the Temporal UI's).
    app.add_middleware(
        CorsForPaths, prefix=codec.router.prefix, origins=settings.effective_codec_cors_origins
    )
    install_error_handlers(app)
    app.include_router(complaints.router)
    app.include_router(returns.router)
    app.include_router(webhooks.router)
    app.include_router(health.router)
    app.include_router(codec.router)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


app = create_app()
