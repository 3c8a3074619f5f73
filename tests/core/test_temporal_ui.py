"""The front of the embedded stack's Temporal UI, over a stand-in for the dev server's UI
that answers as UI 2.54 does (gzip, a CSP `<meta>` allowing scripts by hash, a CSRF
cookie): the UI is told to send credentials to the codec endpoint, each page gives the
browser the workflow list's defaults in a script its CSP allows, and everything else
passes through untouched. The real UI in a real browser: tests/console/
test_temporal_ui_in_browser.py."""

import base64
import hashlib
import json
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from core.temporal_ui import (
    COLUMNS_KEY,
    SAVED_VIEWS_KEY,
    open_cases_url,
    ui_front,
    with_script,
    workflow_list_defaults,
)

CODEC_ENDPOINT = "http://127.0.0.1:8000/codec"
SIGN_IN = "http://127.0.0.1:8000/console/sign-in"
UI_HASH = "'sha256-JbX+KzwiaNhpTJ/IexfiVyhBZi+EpZ98mo5XPpvzKeU='"
PAGE = (
    '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8" />\n'
    f'    <meta http-equiv="content-security-policy" content="script-src \'strict-dynamic\' '
    f'{UI_HASH}">\n    <link href="/_app/start.js" rel="modulepreload">\n  </head>\n'
    '  <body><div id="svelte"><script>import("/_app/start.js")</script></div></body>\n</html>'
)
ASSET = b"export const answer = 42;\n" * 200
_INJECTED = re.compile(r"<script>(\(function\(entries\).*?)</script>", re.DOTALL)


async def _settings(_request: Request) -> Response:
    codec = {"Endpoint": CODEC_ENDPOINT, "PassAccessToken": False, "IncludeCredentials": False}
    return JSONResponse({"Codec": codec | {"DefaultErrorMessage": ""}, "Version": "2.54.1"})


async def _asset(_request: Request) -> Response:
    response = Response(ASSET, media_type="text/javascript")
    response.set_cookie("_csrf", "one", samesite="strict")
    response.set_cookie("other", "two")
    return response


async def _echo(request: Request) -> Response:
    return JSONResponse(
        {
            "method": request.method,
            "raw_path": request.scope["raw_path"].decode(),
            "query": request.url.query,
            "body": (await request.body()).decode(),
            "csrf": request.headers.get("x-csrf-token"),
        },
        status_code=201 if request.method == "POST" else 200,
    )


async def _page(_request: Request) -> Response:
    response = HTMLResponse(PAGE)
    response.set_cookie("_csrf", "one", samesite="strict")
    return response


# Gzip on everything that asks for it, as the dev server's UI does.
STAND_IN_UI = Starlette(
    routes=[
        Route("/api/v1/settings", _settings),
        Route("/_app/{name}", _asset),
        Route("/api/v1/namespaces/{rest:path}", _echo, methods=["GET", "POST"]),
        Route("/{path:path}", _page),
    ],
    middleware=[Middleware(GZipMiddleware, minimum_size=0)],
)


@pytest.fixture
async def front() -> AsyncIterator[httpx.AsyncClient]:
    upstream = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=STAND_IN_UI), base_url="http://ui.internal"
    )
    app = ui_front(upstream=upstream, namespace="default", sign_in_url=SIGN_IN)
    async with (
        upstream,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://127.0.0.1:8233",
            headers={"Accept-Encoding": "gzip"},
        ) as browser,
    ):
        yield browser


async def test_the_ui_is_told_to_send_credentials_to_the_codec(
    front: httpx.AsyncClient,
) -> None:
    settings = (await front.get("/api/v1/settings")).json()

    assert settings["Codec"]["Endpoint"] == CODEC_ENDPOINT
    assert settings["Codec"]["IncludeCredentials"] is True
    # What the UI shows when the codec refuses: who may read, and where to sign in.
    assert "supervisor or admin" in settings["Codec"]["DefaultErrorMessage"]
    assert settings["Codec"]["DefaultErrorLink"] == SIGN_IN
    assert settings["Version"] == "2.54.1"


async def test_each_page_sets_the_workflow_list_defaults_in_a_script_its_csp_allows(
    front: httpx.AsyncClient,
) -> None:
    page = await front.get("/namespaces/default/workflows")

    assert page.status_code == 200
    assert "content-encoding" not in page.headers  # rewritten, so sent as plain text
    assert page.cookies["_csrf"] == "one"
    html = page.text
    injected = _INJECTED.search(html)
    assert injected is not None, html
    digest = base64.b64encode(hashlib.sha256(injected.group(1).encode()).digest()).decode()
    csp = re.search(r'content="(script-src [^"]*)"', html)
    assert csp is not None
    assert f"'sha256-{digest}'" in csp.group(1) and UI_HASH in csp.group(1)
    # It runs before the UI's own script, and leaves what a browser already has alone.
    assert html.index(injected.group(0)) < html.index('import("/_app/start.js")')
    assert "localStorage.getItem(key)===null" in injected.group(1)
    entries = json.loads(injected.group(1).rsplit("})(", 1)[1].removesuffix(");"))
    assert entries == workflow_list_defaults("default")


def test_the_workflow_list_shows_the_cases_status_category_and_tier() -> None:
    defaults = workflow_list_defaults("complaints-prod")
    columns = [column["label"] for column in defaults[COLUMNS_KEY]["complaints-prod"]]
    views = {view["name"]: view["query"] for view in defaults[SAVED_VIEWS_KEY]["complaints-prod"]}

    assert columns[:5] == [
        "Status",
        "Workflow ID",
        "ComplaintStatus",
        "ComplaintCategory",
        "ComplaintTier",
    ]
    assert views["Awaiting approval"] == '`ComplaintStatus`="awaiting_approval"'
    link = httpx.URL(open_cases_url("http://127.0.0.1:8233", "default"))
    assert link.path == "/namespaces/default/workflows"
    assert link.params["query"] == views["Open complaints"]


def test_a_page_whose_csp_cannot_take_the_script_is_left_as_it_was() -> None:
    styles_only = '<html><head><meta http-equiv="content-security-policy" '
    styles_only += "content=\"style-src 'self'\"></head><body></body></html>"
    no_policy = "<html><head><title>UI</title></head><body></body></html>"

    assert with_script(styles_only, "run()") == styles_only
    assert with_script(no_policy, "run()") == (
        "<html><head><title>UI</title><script>run()</script>\n</head><body></body></html>"
    )


async def test_everything_else_passes_through_as_the_ui_sent_it(
    front: httpx.AsyncClient,
) -> None:
    asset = await front.get("/_app/start.js")
    assert asset.headers["content-encoding"] == "gzip"
    assert asset.content == ASSET  # httpx undoes the gzip, as a browser would
    assert asset.headers.get_list("set-cookie")[1].startswith("other=two")

    # Escapes in the path (a workflow id holding a slash) reach the UI as they were sent.
    started = await front.post(
        "/api/v1/namespaces/default/workflows/complaint-a%2Fb/signal?x=1",
        content=b'{"signal": "nudge"}',
        headers={"X-CSRF-Token": "one"},
    )
    assert started.status_code == 201
    assert started.json() == {
        "method": "POST",
        "raw_path": "/api/v1/namespaces/default/workflows/complaint-a%2Fb/signal",
        "query": "x=1",
        "body": '{"signal": "nudge"}',
        "csrf": "one",
    }


async def test_a_ui_that_does_not_answer_is_a_502() -> None:
    # Nothing listens on port 9 (discard) here: the connection is refused at once.
    upstream = httpx.AsyncClient(base_url="http://127.0.0.1:9")
    app = ui_front(upstream=upstream, namespace="default", sign_in_url=SIGN_IN)
    async with (
        upstream,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8233"
        ) as browser,
    ):
        answer = await browser.get("/healthz")

    assert answer.status_code == 502
    assert "does not answer" in answer.text
