"""Health: whether the API can reach Temporal and its database."""

from datetime import timedelta
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine, text
from starlette.concurrency import run_in_threadpool

from api.deps import TemporalDep

router = APIRouter(tags=["health"])

HEALTH_CHECK_TIMEOUT = timedelta(seconds=3)


class DependencyHealth(BaseModel):
    ok: bool
    detail: str


class Health(BaseModel):
    """Returns `ok` when every dependency answers, else `degraded` (with HTTP 503)."""

    status: Literal["ok", "degraded"]
    temporal: DependencyHealth
    database: DependencyHealth


def _check_database(engine: Engine) -> DependencyHealth:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "not healthy"; the detail says which
        return DependencyHealth(ok=False, detail=f"{type(exc).__name__}: {exc}")
    return DependencyHealth(ok=True, detail=engine.dialect.name)


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"model": Health, "description": "A dependency is down"}},
)
async def healthz(request: Request, temporal: TemporalDep) -> JSONResponse:
    """Checks Temporal's frontend and the database; 503 when either is down."""
    try:
        serving = await temporal.service_client.check_health(timeout=HEALTH_CHECK_TIMEOUT)
        temporal_health = DependencyHealth(
            ok=serving,
            detail=f"{'serving' if serving else 'not serving'} at "
            f"{temporal.service_client.config.target_host}",
        )
    except Exception as exc:  # unreachable or timed out: report, never raise
        temporal_health = DependencyHealth(ok=False, detail=f"{type(exc).__name__}: {exc}")
    database_health = await run_in_threadpool(_check_database, request.app.state.engine)
    healthy = temporal_health.ok and database_health.ok
    body = Health(
        status="ok" if healthy else "degraded",
        temporal=temporal_health,
        database=database_health,
    )
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
