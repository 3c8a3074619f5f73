"""The Redress HTTP API: start, query and act on complaint workflows, and list the read model.

`uvicorn api.main:app` serves it; nothing connects at import time, only in the lifespan.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import Depends, FastAPI
from fastapi.responses import RedirectResponse

from api import console, customer
from api.body_limit import MAX_REQUEST_BODY_BYTES, RequestBodyLimit
from api.case_event_docs import document_case_events
from api.console.routing import oversize_page as console_oversize_page
from api.cors import CorsForPaths
from api.errors import Problem, install_error_handlers
from api.metrics import ApiMetrics, RequestMetrics, WorkflowStartCounter
from api.nul_guard import refuse_nul_characters
from api.operation_ids import operation_id
from api.routes import (
    analytics,
    canned_replies,
    codec,
    complaint_merge,
    complaints,
    evidence,
    health,
    mentions,
    metrics,
    policies,
    recovery,
    return_analytics,
    return_evidence,
    returns,
    subscriptions,
    webhooks,
)
from core.links import check_secret
from core.settings import Settings, get_settings
from core.telemetry import configure_tracing
from core.temporal import connect_when_ready
from store.db import make_engine, session_factory

DESCRIPTION = """\
Redress runs every customer complaint as a durable Temporal workflow: intake,
classification, routing, SLA clocks, agent actions, approvals and compensation.

The API starts complaint workflows, sends them updates (customer messages, agent actions,
approval decisions), reads their live state, and lists complaints from the read model.
Errors are JSON problem bodies: `{"error": code, "message": text}`, plus `fields` for 422s.
Request bodies over {max_kib} KiB are refused with a 413 before anything reads them.
""".replace("{max_kib}", str(MAX_REQUEST_BODY_BYTES // 1024))


def _version() -> str:
    try:
        return version("redress")
    except PackageNotFoundError:
        return "0.0.0+local"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Returns the API app; its lifespan opens the store and connects to Temporal."""
    settings = settings or get_settings()
    api_metrics = ApiMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Links and sessions are signed with it: refuse to serve without one.
        check_secret(settings.secret_key)
        engine = make_engine(settings.effective_database_url)
        try:
            app.state.settings = settings
            app.state.engine = engine
            app.state.sessions = session_factory(engine)
            # Before connecting: the client carries traces only once tracing is set up.
            configure_tracing(settings, service_name="redress-api")
            # The API may start before the server (compose, a restart): it waits for it.
            app.state.temporal = await connect_when_ready(
                settings, interceptors=[WorkflowStartCounter(api_metrics)]
            )
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="Redress",
        summary="E-commerce complaints as durable Temporal workflows",
        description=DESCRIPTION,
        version=_version(),
        lifespan=lifespan,
        # Generated clients name their functions after these: `get_complaint`, not a path.
        generate_unique_id_function=operation_id,
        dependencies=[Depends(refuse_nul_characters)],
        # Any request may carry a body, so any operation may answer these.
        responses={
            400: {"model": Problem, "description": "The body could not be read (not UTF-8)"},
            429: {
                "model": Problem,
                "description": "Temporal's request rate limit was met; retry after Retry-After",
            },
            503: {
                "model": Problem,
                "description": "Temporal or its workers cannot answer now; retry after Retry-After",
            },
            413: {
                "model": Problem,
                "description": f"The request body is over {MAX_REQUEST_BODY_BYTES} bytes",
            },
        },
        openapi_tags=[
            {"name": "complaints", "description": "Open, read, list and act on complaints"},
            {"name": "returns", "description": "Open, read, list and decide returns (RMAs)"},
            {"name": "warehouse", "description": "What the returns warehouse reports"},
            {
                "name": "webhooks",
                "description": (
                    "Signed events from couriers (HMAC-SHA256; see docs/api.md, "
                    '"The courier webhook")'
                ),
            },
            {
                "name": "webhook subscriptions",
                "description": (
                    "Signed events to platforms: subscriptions and delivery logs (admins; "
                    'see docs/api.md, "Webhooks")'
                ),
            },
            {
                "name": "canned replies",
                "description": "Reply templates per sub-category and language, filled in for "
                "a complaint (admins write them)",
            },
            {"name": "analytics", "description": "Reports and CSV exports from the read model"},
            {"name": "health", "description": "Liveness of the API and its dependencies"},
            {"name": "metrics", "description": "Prometheus metrics, for monitoring keys"},
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
    # Outside CORS and the routes: an oversize body is refused before anything reads it.
    app.add_middleware(
        RequestBodyLimit,
        max_bytes=MAX_REQUEST_BODY_BYTES,
        max_upload_bytes=settings.evidence_max_file_bytes,
        max_batch_upload_bytes=settings.evidence_max_case_bytes,
        refusal_page=lambda request: (
            customer.oversize_page(request) or console_oversize_page(request)
        ),
    )
    # Added last, so outside the others: every answer is counted, a 413 too. It reads
    # no body, only the status and the route the router matched.
    app.state.metrics = api_metrics
    app.add_middleware(RequestMetrics, metrics=api_metrics)
    install_error_handlers(app)
    app.include_router(complaints.router)
    app.include_router(complaint_merge.router)
    app.include_router(evidence.router)
    app.include_router(returns.router)
    app.include_router(return_evidence.router)
    app.include_router(webhooks.router)
    app.include_router(subscriptions.router)
    document_case_events(app)
    app.include_router(mentions.router)
    app.include_router(recovery.router)
    app.include_router(canned_replies.router)
    app.include_router(policies.router)
    app.include_router(health.router)
    app.include_router(codec.router)
    app.include_router(analytics.router)
    app.include_router(return_analytics.router)
    app.include_router(metrics.router)
    app.include_router(console.router, include_in_schema=False)
    # Pages for customers' browsers (and the survey's JSON variant), documented in docs/api.md.
    app.include_router(customer.router, include_in_schema=False)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


app = create_app()
