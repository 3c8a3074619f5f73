"""The courier webhook: signed tracking events in, `courier_event` signals out.

A courier signs each request (`core.webhooks`: HMAC-SHA256 over `"<timestamp>.<body>"`)
and retries until it gets a 2xx, so every answer below that is not an error is a 2xx:
202 when the return's workflow got the event, 200 when there is nothing more to do.
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError, RPCStatusCode

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ApiError, Problem
from core.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, InvalidSignature, verify
from domain.returns import TrackingEvent, return_workflow_id
from store.returns import return_for_tracking_number
from store.webhooks import courier_event_seen, record_courier_event
from workflows.returns import ReturnWorkflow

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

_CLOSED = "return closed"

TimestampHeader = Annotated[
    str | None,
    Header(alias=TIMESTAMP_HEADER, description="Unix seconds when the courier signed the body"),
]
SignatureHeader = Annotated[
    str | None,
    Header(
        alias=SIGNATURE_HEADER,
        description='"sha256=" and the hex HMAC-SHA256 of "<timestamp>.<body>"',
    ),
]


class CourierEventReceipt(BaseModel):
    """Returns what became of a tracking event: accepted, a repeat, or ignored (and why)."""

    accepted: bool | None = None
    duplicate: bool | None = None
    ignored: str | None = None


def _tracking_event_body() -> dict[str, Any]:
    # The body is read raw (the signature covers its bytes), so FastAPI cannot infer its
    # schema; TrackingEvent's enum is in the app's components through ReturnView.
    schema = TrackingEvent.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return {"required": True, "content": {"application/json": {"schema": schema}}}


@router.post(
    "/courier",
    status_code=202,
    response_model=CourierEventReceipt,
    response_model_exclude_none=True,
    responses={
        200: {"model": CourierEventReceipt, "description": "A repeat, or the return is closed"},
        401: {"model": Problem, "description": "The signature is missing, wrong or stale"},
        404: {"model": Problem, "description": "No return has this tracking number"},
        422: {"model": Problem, "description": "The body is not a tracking event"},
    },
    openapi_extra={"requestBody": _tracking_event_body()},
)
async def receive_courier_event(
    request: Request,
    response: Response,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    timestamp: TimestampHeader = None,
    signature: SignatureHeader = None,
) -> CourierEventReceipt:
    """Takes a signed tracking event and passes it to its return (`courier_event`), once."""
    body = await request.body()
    try:
        verify(settings.courier_webhook_secret, timestamp, signature, body, datetime.now(UTC))
    except InvalidSignature as error:
        raise ApiError(401, "invalid_signature", error.reason) from error
    event = _parse_tracking_event(body)
    return_id = await run_in_threadpool(
        return_for_tracking_number, session, tracking_number=event.tracking_number
    )
    if return_id is None:
        raise ApiError(
            404,
            "unknown_parcel",
            f"unknown parcel: no return has tracking number {event.tracking_number}; "
            "send events only for parcels Redress booked (a new label may need a moment)",
        )
    if await run_in_threadpool(courier_event_seen, session, event_id=event.event_id):
        response.status_code = 200
        return CourierEventReceipt(duplicate=True)

    closed = False
    try:
        await temporal.get_workflow_handle(return_workflow_id(return_id)).signal(
            ReturnWorkflow.courier_event, event
        )
    except RPCError as error:
        if error.status is not RPCStatusCode.NOT_FOUND:
            raise  # Temporal is down: the courier retries, and nothing was recorded
        closed = True
    # Recorded only once the workflow has it: a failure in between makes the courier send
    # it again rather than lose it, and the workflow drops a repeat by its event id.
    first = await run_in_threadpool(record_courier_event, session, event=event, return_id=return_id)
    if closed:
        # The courier must stop retrying: nothing will ever take this event.
        response.status_code = 200
        return CourierEventReceipt(ignored=_CLOSED)
    if not first:  # a concurrent delivery of the same event recorded it first
        response.status_code = 200
        return CourierEventReceipt(duplicate=True)
    return CourierEventReceipt(accepted=True)


def _parse_tracking_event(body: bytes) -> TrackingEvent:
    try:
        return TrackingEvent.model_validate_json(body)
    except ValidationError as error:
        # Same 422 problem as a declared body: fields named by their path in the body.
        problems = [
            {**problem, "loc": ("body", *problem["loc"])}
            for problem in error.errors(include_url=False)
        ]
        raise RequestValidationError(problems) from error
