"""CORS on the codec endpoint: the Temporal UI's origin may send credentials; any other
origin, and every other path, gets no CORS header at all (the whole API over a real
server: tests/api/test_codec_endpoint.py)."""

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.cors import CorsForPaths

UI_ORIGIN = "http://127.0.0.1:8233"
CORS_HEADERS = {"access-control-allow-origin", "access-control-allow-credentials"}


async def _answer(_request: Request) -> Response:
    return JSONResponse({"payloads": []})


APP = CorsForPaths(
    Starlette(
        routes=[
            Route("/codec/decode", _answer, methods=["POST"]),
            Route("/complaints", _answer, methods=["GET"]),
        ]
    ),
    prefix="/codec",
    origins=[UI_ORIGIN, "http://localhost:8233"],
)


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=APP), base_url="http://api")


def _preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-namespace",
    }


async def test_the_ui_origin_may_send_credentials_to_the_codec() -> None:
    async with _client() as client:
        preflight = await client.options("/codec/decode", headers=_preflight(UI_ORIGIN))
        decoded = await client.post("/codec/decode", json={}, headers={"Origin": UI_ORIGIN})

    for answer in (preflight, decoded):
        assert answer.status_code == 200, answer.text
        assert answer.headers["access-control-allow-origin"] == UI_ORIGIN
        assert answer.headers["access-control-allow-credentials"] == "true"


async def test_other_origins_and_paths_get_no_cors_header() -> None:
    async with _client() as client:
        answers = [
            await client.options("/codec/decode", headers=_preflight("https://evil.example")),
            await client.post("/codec/decode", json={}, headers={"Origin": "http://127.0.0.1"}),
            # Same host, another port: another origin.
            await client.post(
                "/codec/decode", json={}, headers={"Origin": "http://127.0.0.1:8000"}
            ),
            await client.get("/complaints", headers={"Origin": UI_ORIGIN}),
        ]

    for answer in answers:
        assert not CORS_HEADERS & set(answer.headers), (answer.request.url, answer.headers)
