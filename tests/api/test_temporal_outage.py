"""While Temporal restarts, the API answers 503 with Retry-After, never a 500: the
connection may be refused (UNAVAILABLE) or dropped mid-call (UNKNOWN "transport error"),
which the chaos run met when it restarted the dev server under load."""

import httpx
import pytest
from fastapi import FastAPI
from temporalio.service import RPCError, RPCStatusCode

from api.errors import install_error_handlers


def _app_failing_with(error: RPCError) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/complaints/{complaint_id}")
    async def read(complaint_id: str) -> None:
        raise error

    return app


@pytest.mark.parametrize(
    "error",
    [
        RPCError("tcp connect error", RPCStatusCode.UNAVAILABLE, b""),
        RPCError("transport error", RPCStatusCode.UNKNOWN, b""),
    ],
    ids=["refused", "dropped mid-call"],
)
async def test_a_temporal_outage_is_a_503_to_retry(error: RPCError) -> None:
    transport = httpx.ASGITransport(app=_app_failing_with(error))
    async with httpx.AsyncClient(transport=transport, base_url="http://redress") as http:
        response = await http.get("/complaints/CABCDEFGHIJKL")

    assert response.status_code == 503, response.text
    assert response.json()["error"] == "temporal_unavailable"
    assert response.headers["Retry-After"] == "5"


async def test_any_other_unknown_temporal_error_is_still_a_500() -> None:
    error = RPCError("something else broke", RPCStatusCode.UNKNOWN, b"")
    transport = httpx.ASGITransport(app=_app_failing_with(error), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://redress") as http:
        response = await http.get("/complaints/CABCDEFGHIJKL")

    assert response.status_code == 500
