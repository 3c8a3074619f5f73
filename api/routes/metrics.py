"""`GET /metrics`: the API's Prometheus metrics, for a caller holding `metrics:read`.

Metrics name routes, volumes and error rates, which is no business of the public, so the
scraper signs in like any client: a `monitoring` user's API key (that role may read
metrics and nothing else), sent by Prometheus as `Authorization: Bearer rdk_...`. The
compose stack's proxy does not forward `/metrics` at all; Prometheus scrapes each API
replica directly on the internal network.

The open-case gauges and the webhook delivery counts are read from the store while the
metrics are written, on a thread of the pool: their queries never hold the event loop.
"""

from fastapi import APIRouter, Request, Response
from prometheus_client.exposition import choose_encoder
from starlette.concurrency import run_in_threadpool

from api.auth import MayReadMetrics
from api.errors import AUTH_RESPONSES
from api.metrics import ApiMetrics

router = APIRouter(tags=["metrics"], responses=AUTH_RESPONSES)


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/plain": {}, "application/openmetrics-text": {}},
            "description": "The metrics, in the format the scraper's `Accept` asks for",
        }
    },
)
async def read_metrics(request: Request, caller: MayReadMetrics) -> Response:
    """Returns the API's metrics in Prometheus' text format (or OpenMetrics, if asked)."""
    metrics: ApiMetrics = request.app.state.metrics
    # The store opens in the app's lifespan, after the registry was made: name it here.
    metrics.open_cases.read_from(request.app.state.sessions)
    metrics.webhooks.read_from(request.app.state.sessions)
    # Each Prometheus version asks for the formats it reads; the client library answers.
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(await run_in_threadpool(encode, metrics.registry), media_type=content_type)
