"""The Temporal Web UI as the embedded stack serves it: the dev server's UI behind a front.

`temporal server start-dev` configures its UI in code: nothing (no flag, no environment
variable) turns on the codec's "include cross-origin credentials" or gives the workflow
list columns, so each browser had to find those settings itself and, until then, showed
"Codec Server could not connect" and ciphertext. This front listens on the UI's port,
passes every request through to the dev server's UI on a private loopback port, and
changes two answers:

- `/api/v1/settings` tells the UI to send credentials to the codec endpoint, so the
  console's session cookie reaches `/codec` (which lets only supervisors and admins
  through), and what to say when decoding is refused;
- each HTML page first gives this browser the workflow list's defaults where it has none
  of its own: columns with the complaint's status, category and tier, and saved views.

A deployment runs Temporal's own UI image instead, where both are configuration
(`TEMPORAL_CODEC_INCLUDE_CREDENTIALS`; docker-compose.yml).
"""

import argparse
import base64
import hashlib
import json
import re
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from domain.complaints import ComplaintStatus
from domain.search_attributes import (
    COMPLAINT_CATEGORY,
    COMPLAINT_STATUS,
    COMPLAINT_TIER,
    RETURN_STATUS,
    SLA_BREACHED,
)

SETTINGS_PATH = "/api/v1/settings"
# The UI's own keys in the browser's localStorage (UI 2.54): per-namespace lists.
COLUMNS_KEY = "namespace-workflow-table-columns"
SAVED_VIEWS_KEY = "saved-workflow-queries"
# The UI's own calls are short; a read timeout only ends one that hangs.
UPSTREAM_TIMEOUT = httpx.Timeout(120.0, connect=5.0)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# Headers that belong to one connection, not to the message passed on.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_CSP_SCRIPT_SRC = re.compile(
    r'(<meta http-equiv="content-security-policy" content="[^"]*?script-src )', re.IGNORECASE
)
_CSP_META = re.compile(r'<meta http-equiv="content-security-policy"', re.IGNORECASE)

# Workflow list queries in the UI's own spelling, so its filter bar shows them as filters.
_RUNNING = '`ExecutionStatus`="Running"'
_AWAITING_APPROVAL = f'`{COMPLAINT_STATUS.name}`="{ComplaintStatus.AWAITING_APPROVAL.value}"'
OPEN_COMPLAINTS_QUERY = f'`WorkflowType`="ComplaintWorkflow" AND {_RUNNING}'


def open_cases_url(ui_url: str, namespace: str) -> str:
    """Returns the UI's workflow list of open complaints (a link for ops to keep)."""
    query = urlencode({"query": OPEN_COMPLAINTS_QUERY}, quote_via=quote)
    return f"{ui_url}/namespaces/{quote(namespace)}/workflows?{query}"


def workflow_list_defaults(namespace: str) -> dict[str, Any]:
    """Returns the UI's localStorage entries that make the workflow list show cases."""
    columns = [
        "Status",
        "Workflow ID",
        COMPLAINT_STATUS.name,
        COMPLAINT_CATEGORY.name,
        COMPLAINT_TIER.name,
        SLA_BREACHED.name,
        RETURN_STATUS.name,
        "Type",
        "Start",
        "End",
    ]
    views = [
        ("open-complaints", "Open complaints", OPEN_COMPLAINTS_QUERY),
        ("awaiting-approval", "Awaiting approval", _AWAITING_APPROVAL),
        ("sla-breached", "SLA breached", f"`{SLA_BREACHED.name}`=true AND {_RUNNING}"),
        ("open-returns", "Open returns", f'`WorkflowType`="ReturnWorkflow" AND {_RUNNING}'),
    ]
    return {
        COLUMNS_KEY: {namespace: [{"label": label} for label in columns]},
        SAVED_VIEWS_KEY: {
            namespace: [
                {"id": f"redress-{key}", "name": name, "query": query, "type": "user"}
                for key, name, query in views
            ]
        },
    }


def defaults_script(entries: Mapping[str, Any]) -> str:
    """Returns a script that stores each entry unless this browser already has that key."""
    return (
        f"(function(entries){{for(var key in entries){{try{{"
        f"if(localStorage.getItem(key)===null)"
        f"localStorage.setItem(key,JSON.stringify(entries[key]));"
        f"}}catch(error){{}}}}}})({json.dumps(entries, separators=(',', ':'))});"
    )


def with_script(html: str, script: str) -> str:
    """Returns the page with `script` run first in its head, allowed by the page's CSP.

    The UI's pages carry a Content-Security-Policy `<meta>` that allows scripts by hash;
    the script's hash joins that list. A page whose policy has no `script-src` to join is
    returned unchanged rather than broken.
    """
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    if _CSP_META.search(html):
        html, allowed = _CSP_SCRIPT_SRC.subn(rf"\g<1>'sha256-{digest}' ", html, count=1)
        if not allowed:
            return html
    head_end = html.lower().find("</head>")
    if head_end < 0:
        return html
    return f"{html[:head_end]}<script>{script}</script>\n{html[head_end:]}"


def with_codec_settings(settings: dict[str, Any], *, sign_in_url: str) -> dict[str, Any]:
    """Returns the UI's settings with credentials sent to the codec endpoint."""
    codec = dict(settings.get("Codec") or {})
    codec["IncludeCredentials"] = True
    codec["DefaultErrorMessage"] = codec.get("DefaultErrorMessage") or (
        "Customer data is encrypted: sign in to the Redress console as a supervisor or "
        "admin, in this browser and on this host name, then reload this page."
    )
    codec["DefaultErrorLink"] = codec.get("DefaultErrorLink") or sign_in_url
    return {**settings, "Codec": codec}


def _forwarded_headers(headers: Iterable[tuple[str, str]], *drop: str) -> list[tuple[str, str]]:
    skip = HOP_BY_HOP | set(drop)
    return [(name, value) for name, value in headers if name.lower() not in skip]


def ui_front(*, upstream: httpx.AsyncClient, namespace: str, sign_in_url: str) -> Starlette:
    """Returns the front that passes requests to the UI behind `upstream` (a client with
    the UI's base URL, closed when the front stops), changing two answers."""
    script = defaults_script(workflow_list_defaults(namespace))

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with upstream:
            yield

    async def forward(request: Request) -> Response:
        rewrite = request.method == "GET" and request.url.path == SETTINGS_PATH
        headers = _forwarded_headers(request.headers.items(), "content-length")
        if rewrite:
            headers = [(n, v) for n, v in headers if n.lower() != "accept-encoding"]
        # The path as the browser sent it, escapes and all (workflow ids may hold any).
        target = request.scope["raw_path"].decode("latin-1")
        if request.url.query:
            target += f"?{request.url.query}"
        upstream_request = upstream.build_request(
            request.method, target, headers=headers, content=await request.body()
        )
        try:
            response = await upstream.send(upstream_request, stream=True)
        except httpx.TransportError as error:
            return PlainTextResponse(f"the dev server's UI does not answer ({error!r})", 502)
        is_html = response.headers.get("content-type", "").startswith("text/html")
        if rewrite and response.status_code == 200:
            settings = json.loads(await _read(response))
            body = json.dumps(with_codec_settings(settings, sign_in_url=sign_in_url)).encode()
        elif request.method == "GET" and is_html:
            body = with_script((await _read(response)).decode(), script).encode()
        else:
            return _streamed(response)
        # Read in full (and decompressed): the body goes out with its own length.
        out = Response(body, status_code=response.status_code)
        for name, value in _forwarded_headers(
            response.headers.multi_items(), "content-length", "content-encoding"
        ):
            out.headers.append(name, value)
        return out

    return Starlette(routes=[Route("/{path:path}", forward, methods=METHODS)], lifespan=lifespan)


async def _read(response: httpx.Response) -> bytes:
    try:
        return await response.aread()
    finally:
        await response.aclose()


def _streamed(response: httpx.Response) -> StreamingResponse:
    out = StreamingResponse(
        response.aiter_raw(),
        status_code=response.status_code,
        background=BackgroundTask(response.aclose),
    )
    for name, value in _forwarded_headers(response.headers.multi_items()):
        out.headers.append(name, value)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True, help="the dev server's own UI, http://...")
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--sign-in-url", required=True, help="the console's sign-in page")
    args = parser.parse_args()
    upstream = httpx.AsyncClient(base_url=args.upstream, timeout=UPSTREAM_TIMEOUT)
    app = ui_front(upstream=upstream, namespace=args.namespace, sign_in_url=args.sign_in_url)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
