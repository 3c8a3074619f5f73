"""The codec endpoint: the Temporal UI and CLI decode (and encode) payloads through it.

It speaks Temporal's codec server contract: `POST /codec/decode` and `POST /codec/encode`
take `{"payloads": [...]}` in the protobuf JSON form and answer the same shape. Decrypted
customer data only leaves through here, so only roles allowed to read it (supervisor,
admin) get through: 401 without credentials, 403 for any other role. The UI sends the
console's session cookie, being configured to send credentials to the codec (under
`make run` by the UI's front, `core.temporal_ui`; in compose by
`TEMPORAL_CODEC_INCLUDE_CREDENTIALS`); the CLI sends a key (`--codec-auth "Bearer rdk_..."`).
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from google.protobuf.json_format import MessageToDict, ParseDict, ParseError
from pydantic import BaseModel, Field
from temporalio.api.common.v1 import Payloads
from temporalio.converter import PayloadCodec

from api.auth import MayDecodeHistory
from api.errors import AUTH_RESPONSES, ApiError, Problem
from core.codec import CodecKeyError, codec_from_keys
from core.settings import Settings

router = APIRouter(prefix="/codec", tags=["codec"], responses=AUTH_RESPONSES)

# The UI sends one event's payloads at a time; a bound keeps a request's work bounded.
MAX_PAYLOADS = 1000


class PayloadsBody(BaseModel):
    """Payloads in the protobuf JSON form: `metadata` values and `data` are base64."""

    payloads: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_PAYLOADS)

    model_config = {
        "json_schema_extra": {
            "examples": [{"payloads": [{"metadata": {"encoding": "anNvbi9wbGFpbg=="}}]}]
        }
    }


_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "The body is not a list of payloads"}
}


def _codec(request: Request) -> PayloadCodec | None:
    settings: Settings = request.app.state.settings
    return codec_from_keys(settings.codec_keys)


def _parse(body: PayloadsBody) -> Payloads:
    try:
        return ParseDict({"payloads": body.payloads}, Payloads())
    except ParseError as error:
        # The same 422 as any invalid body, naming the field.
        problem = {
            "type": "value_error",
            "loc": ("body", "payloads"),
            "msg": f"not a list of Temporal payloads ({error})",
            "input": body.payloads,
        }
        raise RequestValidationError([problem]) from error


@router.post("/decode", responses=_RESPONSES)
async def decode_payloads(
    request: Request,
    caller: MayDecodeHistory,
    body: PayloadsBody,
) -> PayloadsBody:
    """Returns the payloads decrypted (payloads that were never encrypted pass through)."""
    payloads = _parse(body)
    codec = _codec(request)
    try:
        decoded = await codec.decode(list(payloads.payloads)) if codec else list(payloads.payloads)
    except CodecKeyError as error:
        raise ApiError(422, "payload_undecodable", str(error)) from error
    return PayloadsBody.model_validate(MessageToDict(Payloads(payloads=decoded)))


@router.post("/encode", responses=_RESPONSES)
async def encode_payloads(
    request: Request,
    caller: MayDecodeHistory,
    body: PayloadsBody,
) -> PayloadsBody:
    """Returns the payloads encrypted with the active key, as workers would write them."""
    payloads = _parse(body)
    codec = _codec(request)
    encoded = await codec.encode(list(payloads.payloads)) if codec else list(payloads.payloads)
    return PayloadsBody.model_validate(MessageToDict(Payloads(payloads=encoded)))
