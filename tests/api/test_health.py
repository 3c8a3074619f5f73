"""GET /healthz and the API's front door."""

from pathlib import Path

import httpx
import pytest

from api.main import create_app
from tests.api.support import Api


@pytest.mark.both_stores
async def test_healthz_reports_temporal_and_database(api: Api) -> None:
    response = await api.http.get("/healthz")

    assert response.status_code == 200, response.text
    health = response.json()
    assert health["status"] == "ok"
    assert health["temporal"]["ok"] is True
    # The detail names the store's dialect: the tests run on SQLite and on PostgreSQL.
    dialect = api.settings.effective_database_url.split(":", 1)[0].split("+", 1)[0]
    assert health["database"] == {"ok": True, "detail": dialect}


async def test_root_redirects_to_the_docs(api: Api) -> None:
    response = await api.http.get("/")

    assert response.status_code in (302, 307)
    assert response.headers["Location"] == "/docs"
    schema = (await api.http.get("/openapi.json")).json()
    assert schema["info"]["title"] == "Redress"
    assert {"/complaints", "/complaints/{complaint_id}", "/healthz"} <= set(schema["paths"])


async def test_unknown_route_is_a_json_problem(api: Api) -> None:
    response = await api.http.get("/nowhere")

    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "Not Found"}


async def test_healthz_is_503_when_the_database_is_unreachable(api: Api, tmp_path: Path) -> None:
    # A directory is no SQLite file: every connection to it fails.
    broken = api.settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}"})
    app = create_app(broken)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://redress"
        ) as http,
    ):
        response = await http.get("/healthz")

    assert response.status_code == 503
    health = response.json()
    assert health["status"] == "degraded"
    assert health["temporal"]["ok"] is True
    assert health["database"]["ok"] is False
