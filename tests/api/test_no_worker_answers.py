"""A read whose workflow no worker can answer (none polled its task queue lately) is a 503
to retry, not a 500. Schemathesis met it on PostgreSQL, with workers busy and a case the
read model did not hold yet."""

import httpx
from fastapi import FastAPI
from temporalio.service import RPCError, RPCStatusCode

from api.errors import install_error_handlers

NO_POLLER = RPCError(
    "no poller seen for task queue recently, worker may be down",
    RPCStatusCode.FAILED_PRECONDITION,
    b"",
)


async def test_no_worker_polling_is_a_503_to_retry() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/returns/{return_id}")
    async def read(return_id: str) -> None:
        raise NO_POLLER

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://redress") as http:
        response = await http.get("/returns/RABCDEFGHIJKL")

    assert response.status_code == 503, response.text
    assert response.json()["error"] == "workers_unavailable"
    assert response.headers["Retry-After"] == "5"
