"""A courier behind a REST API: the contract Redress speaks with a real courier (or with
an adapter in front of one).

    POST {base}/labels                 LabelRequest          -> Parcel
    POST {base}/shipments              OutboundRequest       -> Parcel
    POST {base}/parcels/{id}/cancel    ParcelCancellation    -> Parcel
    POST {base}/traces                 TraceRequest          -> any 2xx (body ignored)
    POST {base}/claims                 ClaimRequest          -> ClaimReceipt
    GET  {base}/parcels/{id}/events                          -> [TrackingEvent, ...]

Bodies are the JSON of the `domain.returns` models. Every request carries
`Authorization: Bearer <secret>`; every POST carries its idempotency key (also in the
body) as `Idempotency-Key`, and the courier answers a repeated key with its first answer.

An error answer names its kind in a JSON body, `{"type": "...", "detail": "..."}`, with a
type among ParcelAlreadyMoving, UnknownParcel, CourierRefused, IdempotencyKeyReused and
InvalidRequest. Without one, the status decides: 404 is UnknownParcel on a parcel's URL,
409 is ParcelAlreadyMoving on a cancel and elsewhere a request with the same key still
in progress (retried), 400 and 422 are InvalidRequest, any other 4xx CourierRefused.
408, 425, 429, 5xx, timeouts and connection errors are retried (ProviderUnavailable).
"""

from typing import TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from activities.couriers.errors import (
    CourierRefused,
    IdempotencyKeyReused,
    InvalidProviderRequest,
    ParcelAlreadyMoving,
    ProviderError,
    ProviderUnavailable,
    UnknownParcel,
)
from domain.returns import (
    ClaimReceipt,
    ClaimRequest,
    LabelRequest,
    OutboundRequest,
    Parcel,
    ParcelCancellation,
    TraceRequest,
    TrackingEvent,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"

_Result = TypeVar("_Result")

_ERRORS_BY_TYPE: dict[str, type[ProviderError]] = {
    "ParcelAlreadyMoving": ParcelAlreadyMoving,
    "UnknownParcel": UnknownParcel,
    "CourierRefused": CourierRefused,
    "IdempotencyKeyReused": IdempotencyKeyReused,
    "InvalidRequest": InvalidProviderRequest,
}
# Client errors that say "not now" rather than "never".
_RETRYABLE_4XX = {408, 425, 429}
_EVENTS = TypeAdapter(list[TrackingEvent])


class HttpCourier:
    """A `CourierProvider` over a courier's REST API (the contract above)."""

    def __init__(self, base_url: str, secret: str, client: httpx.Client) -> None:
        if not base_url:
            raise ValueError("the courier base URL is empty; set REDRESS_COURIER_BASE_URL")
        self._base_url = base_url.rstrip("/")
        self._secret = secret
        self._client = client

    def create_return_label(self, request: LabelRequest) -> Parcel:
        """Returns the return parcel the courier created (a pickup when an address is set)."""
        response = self._post("/labels", request, request.idempotency_key)
        return _parse(response, Parcel, "a parcel")

    def create_outbound_shipment(self, request: OutboundRequest) -> Parcel:
        """Returns the parcel the courier will carry to the customer."""
        response = self._post("/shipments", request, request.idempotency_key)
        return _parse(response, Parcel, "a parcel")

    def cancel_parcel(self, cancellation: ParcelCancellation) -> Parcel:
        """Returns the cancelled parcel; raises `ParcelAlreadyMoving` once it moves."""
        response = self._post(
            f"/parcels/{_segment(cancellation.parcel_id)}/cancel",
            cancellation,
            cancellation.idempotency_key,
            parcel_id=cancellation.parcel_id,
            conflict=ParcelAlreadyMoving,
        )
        return _parse(response, Parcel, "a parcel")

    def open_trace(self, request: TraceRequest) -> None:
        """Opens a trace on a parcel that stopped moving."""
        self._post("/traces", request, request.idempotency_key, parcel_id=request.parcel_id)

    def file_claim(self, request: ClaimRequest) -> ClaimReceipt:
        """Returns the receipt of a claim for a lost or damaged parcel."""
        response = self._post(
            "/claims", request, request.idempotency_key, parcel_id=request.parcel_id
        )
        return _parse(response, ClaimReceipt, "a claim receipt")

    def get_tracking(self, parcel_id: str) -> list[TrackingEvent]:
        """Returns the parcel's tracking events, as the courier lists them."""
        response = self._send(
            "GET", f"/parcels/{_segment(parcel_id)}/events", headers={}, parcel_id=parcel_id
        )
        try:
            return _EVENTS.validate_json(response.content)
        except ValidationError as err:
            raise _bad_answer(response, "a list of tracking events", err) from err

    def _post(
        self,
        path: str,
        body: BaseModel,
        idempotency_key: str,
        *,
        parcel_id: str | None = None,
        conflict: type[ProviderError] | None = None,
    ) -> httpx.Response:
        return self._send(
            "POST",
            path,
            headers={IDEMPOTENCY_HEADER: idempotency_key, "Content-Type": "application/json"},
            content=body.model_dump_json().encode(),
            parcel_id=parcel_id,
            conflict=conflict,
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str],
        content: bytes | None = None,
        parcel_id: str | None = None,
        conflict: type[ProviderError] | None = None,
    ) -> httpx.Response:
        url = self._base_url + path
        headers = {"Authorization": f"Bearer {self._secret}", **headers}
        try:
            response = self._client.request(method, url, headers=headers, content=content)
        except httpx.HTTPError as err:
            raise ProviderUnavailable(
                f"the courier did not answer {method} {url} ({type(err).__name__}: {err}); "
                "retry later with the same idempotency key",
                url=url,
            ) from err
        if response.is_success:
            return response
        raise _error(response, method, url, parcel_id=parcel_id, conflict=conflict)


def _error(
    response: httpx.Response,
    method: str,
    url: str,
    *,
    parcel_id: str | None,
    conflict: type[ProviderError] | None,
) -> ProviderError:
    status = response.status_code
    named, detail = _problem(response)
    said = f"the courier answered {method} {url} with {status}: {detail}"
    details = {"status": str(status)} | ({"parcel_id": parcel_id} if parcel_id else {})
    if status >= 500 or status in _RETRYABLE_4XX:
        return ProviderUnavailable(f"{said}; retry later", **details)
    if named is not None:
        return named(said, **details)
    if status == 404 and parcel_id is not None:
        return UnknownParcel(f"{said}; the courier has no parcel {parcel_id}", **details)
    if status == 409:
        if conflict is not None:
            return conflict(said, **details)
        return ProviderUnavailable(
            f"{said}; a request with this idempotency key is still in progress, retry later",
            **details,
        )
    if status in (400, 422):
        return InvalidProviderRequest(f"{said}; fix the request before sending it again", **details)
    return CourierRefused(said, **details)


def _problem(response: httpx.Response) -> tuple[type[ProviderError] | None, str]:
    """Returns the error class the body's `type` names (if any) and its detail."""
    text = response.text[:500]
    try:
        body = response.json()
    except ValueError:
        return None, text or response.reason_phrase
    if not isinstance(body, dict):
        return None, text
    kind = str(body.get("type", ""))
    # A problem type may be a URI ("https://courier.example/errors/UnknownParcel").
    named = _ERRORS_BY_TYPE.get(kind.rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    detail = str(body.get("detail") or body.get("title") or text)
    return named, detail


def _parse(response: httpx.Response, model: type[_Result], what: str) -> _Result:
    try:
        return TypeAdapter(model).validate_json(response.content)
    except ValidationError as err:
        raise _bad_answer(response, what, err) from err


def _bad_answer(response: httpx.Response, what: str, err: ValidationError) -> ProviderError:
    # The work may be done: a retry with the same idempotency key fetches the answer again.
    return ProviderUnavailable(
        f"the courier answered {response.request.method} {response.request.url} with "
        f"{response.status_code} but not with {what} ({err.error_count()} problems: "
        f"{err.errors()[0]['msg']}); retry later",
        status=str(response.status_code),
    )


def _segment(parcel_id: str) -> str:
    return quote(parcel_id, safe="")
