"""The codec endpoint: the Temporal UI reads decrypted histories only for entitled roles.

A complaint opened over HTTP with a known e-mail and phone number leaves neither in the
raw history on the server; the same history decoded through `/codec/decode` shows both.
"""

import base64
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.json_format import MessageToDict
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.auth import SESSION_COOKIE, issue_session_token
from core.codec import ENCODING, KEY_ID_METADATA, codec_from_keys, data_converter, new_key
from core.settings import Settings
from domain.access import Role
from store.db import SessionFactory
from store.staff import active_user
from tests.api.conftest import running_api
from tests.api.support import TEST_SECRET_KEY, Api, intake

EMAIL = "mei.private@example.com"
PHONE = "+8613987654321"
UI_ORIGIN = "http://localhost:8233"
ENCODING_KEY = "encoding"


@pytest.fixture
async def encrypted_api(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, database_url: str, tmp_path: Path
) -> AsyncIterator[Api]:
    """Yields the API and workers with payload encryption on, as `make run` has it."""
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        temporal_address=dev_server_env.client.service_client.config.target_host,
        temporal_namespace=dev_server_env.client.namespace,
        complaint_task_queue=f"codec-api-{uuid.uuid4()}",
        secret_key=TEST_SECRET_KEY,
        codec_keys=f"k1:{new_key()}",
    )
    client = await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(codec_from_keys(settings.codec_keys)),
    )
    async with running_api(client, sessions, settings) as api:
        yield api


async def _started_payloads(api: Api, complaint_id: str) -> list[dict[str, Any]]:
    """Returns the complaint's first event's input payloads as the server stores them."""
    raw = Client(
        api.temporal.service_client,
        namespace=api.temporal.namespace,
        data_converter=pydantic_data_converter,
    )
    history = await raw.get_workflow_handle(f"complaint-{complaint_id}").fetch_history()
    wire = b"".join(event.SerializeToString() for event in history.events)
    for secret in (EMAIL, PHONE):
        assert secret.encode() not in wire, f"{secret} is in the raw history in clear"
    started = history.events[0].workflow_execution_started_event_attributes
    return [MessageToDict(payload) for payload in started.input.payloads]


@pytest.mark.both_stores
async def test_history_is_ciphertext_on_the_server_and_plain_through_the_codec(
    encrypted_api: Api,
) -> None:
    api = encrypted_api
    body = intake()
    body["customer"] |= {"email": EMAIL, "phone": PHONE}
    created = await api.create(body)
    assert created.status_code == 201, created.text
    complaint_id = created.json()["complaint_id"]
    await api.wait_for_view(complaint_id, lambda v: v["status"] == "open")

    payloads = await _started_payloads(api, complaint_id)

    async with api.client_as("sup-codec", Role.SUPERVISOR) as supervisor:
        decoded = await supervisor.post("/codec/decode", json={"payloads": payloads})
    assert decoded.status_code == 200, decoded.text
    first = decoded.json()["payloads"][0]
    assert base64.b64decode(first["metadata"]["encoding"]) == b"json/plain"
    data = base64.b64decode(first["data"]).decode()
    assert EMAIL in data and PHONE in data

    async with api.client_as("agent-codec", Role.AGENT) as agent:
        refused = await agent.post("/codec/decode", json={"payloads": payloads})
    assert refused.status_code == 403
    async with api.client_with_token(None) as anonymous:
        assert (
            await anonymous.post("/codec/decode", json={"payloads": payloads})
        ).status_code == 401


async def test_encode_then_decode_round_trips(encrypted_api: Api) -> None:
    api = encrypted_api
    plain = {"metadata": {"encoding": "anNvbi9wbGFpbg=="}, "data": "eyJhIjogMX0="}
    async with api.client_as("sup-codec", Role.SUPERVISOR) as supervisor:
        encoded = await supervisor.post("/codec/encode", json={"payloads": [plain]})
        assert encoded.status_code == 200, encoded.text
        sealed = encoded.json()["payloads"][0]
        assert sealed["data"] != plain["data"]
        decoded = await supervisor.post("/codec/decode", json={"payloads": [sealed]})
    assert decoded.json()["payloads"] == [plain]


async def test_the_ui_origin_may_call_with_the_console_cookie(encrypted_api: Api) -> None:
    api = encrypted_api
    api.key_for("sup-ui", Role.SUPERVISOR)
    with api.sessions() as session:
        user = active_user(session, "sup-ui")
        assert user is not None
        cookie = issue_session_token(api.settings.secret_key, user)

    async with api.client_with_token(None) as browser:
        preflight = await browser.options(
            "/codec/decode",
            headers={
                "Origin": UI_ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-namespace",
            },
        )
        assert preflight.status_code == 200, preflight.text
        assert preflight.headers["access-control-allow-origin"] == UI_ORIGIN
        assert preflight.headers["access-control-allow-credentials"] == "true"

        browser.cookies.set(SESSION_COOKIE, cookie)
        decoded = await browser.post(
            "/codec/decode", json={"payloads": []}, headers={"Origin": UI_ORIGIN}
        )
        assert decoded.status_code == 200, decoded.text
        assert decoded.headers["access-control-allow-origin"] == UI_ORIGIN

        # Another origin gets no CORS grant, and the rest of the API grants none at all.
        stranger = await browser.options(
            "/codec/decode",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in stranger.headers
        listing = await browser.get("/complaints", headers={"Origin": UI_ORIGIN})
        assert "access-control-allow-origin" not in listing.headers


async def test_undecodable_payloads_are_a_clear_422(encrypted_api: Api) -> None:
    def b64(value: bytes) -> str:
        return base64.b64encode(value).decode()

    foreign = {
        "metadata": {ENCODING_KEY: b64(ENCODING), KEY_ID_METADATA: b64(b"other")},
        "data": "AAAA",
    }
    async with encrypted_api.client_as("sup-codec", Role.SUPERVISOR) as supervisor:
        response = await supervisor.post("/codec/decode", json={"payloads": [foreign]})
        malformed = await supervisor.post("/codec/decode", json={"payloads": [{"data": 5}]})
    assert response.status_code == 422
    assert response.json()["error"] == "payload_undecodable"
    assert "not in the key ring" in response.json()["message"]
    assert malformed.status_code == 422
