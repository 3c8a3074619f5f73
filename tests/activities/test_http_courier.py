"""The HTTP courier adapter, against a small courier that speaks its REST contract over a
real socket."""

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse
from temporalio.exceptions import ApplicationError

from activities.couriers.activities import CourierActivities
from activities.couriers.errors import (
    CourierRefused,
    IdempotencyKeyReused,
    InvalidProviderRequest,
    ParcelAlreadyMoving,
    ProviderError,
    ProviderUnavailable,
    UnknownParcel,
)
from activities.couriers.http import HttpCourier
from domain.returns import (
    Address,
    ClaimReceipt,
    ClaimRequest,
    LabelRequest,
    OutboundRequest,
    Parcel,
    ParcelCancellation,
    ParcelDirection,
    ParcelItem,
    TraceRequest,
    TrackingEvent,
    TrackingStatus,
)
from tests.live_server import closed_port_url, serve

SECRET = "courier-api-secret"
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
HOME = Address(name="Li Wei", phone="+86 138 0000 0000", line1="1 Jade Road", city="Hangzhou")


@dataclass
class FakeCourier:
    """A courier with the contract of `activities.couriers.http`, kept in memory."""

    parcels: dict[str, Parcel] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)  # by idempotency key
    picked_up: set[str] = field(default_factory=set)
    traces: list[TraceRequest] = field(default_factory=list)
    keys_seen: list[str] = field(default_factory=list)
    raw_paths: list[bytes] = field(default_factory=list)
    # The next requests get these answers (status, JSON body or raw text) instead.
    forced: list[tuple[int, Any]] = field(default_factory=list)
    delay_seconds: float = 0.0
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.middleware("http")
        async def gate(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            self.raw_paths.append(request.scope["raw_path"])
            await asyncio.sleep(self.delay_seconds)
            if request.headers.get("authorization") != f"Bearer {SECRET}":
                return JSONResponse({"detail": "bad credentials"}, status_code=401)
            if self.forced:
                status, body = self.forced.pop(0)
                if isinstance(body, str):
                    return Response(body, status_code=status)
                return JSONResponse(body, status_code=status)
            return await call_next(request)

        def once(key: str, header: str | None, make: Callable[[], Any]) -> Any:
            self.keys_seen.append(header or "")
            if header != key:
                return problem(400, "InvalidRequest", "Idempotency-Key must match the body")
            if key not in self.answers:
                self.answers[key] = make()
            return self.answers[key]

        def new_parcel(direction: ParcelDirection, pickup: bool) -> Parcel:
            number = next(self.numbers)
            parcel = Parcel(
                parcel_id=f"FC-{number}",
                tracking_number=f"FAST{number:08d}",
                carrier="fastcourier",
                direction=direction,
                label_url=f"https://fast.example/labels/FC-{number}.pdf",
                pickup_booked=pickup,
            )
            self.parcels[parcel.parcel_id] = parcel
            return parcel

        Key = Annotated[str | None, Header(alias="Idempotency-Key")]

        @app.post("/v1/labels", status_code=201)
        def labels(request: LabelRequest, key: Key = None) -> Any:
            return once(
                request.idempotency_key,
                key,
                lambda: new_parcel(ParcelDirection.RETURN, request.pickup_address is not None),
            )

        @app.post("/v1/shipments", status_code=201)
        def shipments(request: OutboundRequest, key: Key = None) -> Any:
            return once(
                request.idempotency_key, key, lambda: new_parcel(ParcelDirection.OUTBOUND, False)
            )

        @app.post("/v1/parcels/{parcel_id}/cancel")
        def cancel(parcel_id: str, request: ParcelCancellation, key: Key = None) -> Any:
            if parcel_id not in self.parcels:
                return problem(404, "UnknownParcel", f"no parcel {parcel_id}")
            if parcel_id in self.picked_up:
                return problem(409, "ParcelAlreadyMoving", f"{parcel_id} is on its way")
            return once(request.idempotency_key, key, lambda: self.parcels[parcel_id])

        @app.post("/v1/traces", status_code=202)
        def traces(request: TraceRequest, key: Key = None) -> Any:
            if request.parcel_id not in self.parcels:
                return problem(404, "UnknownParcel", f"no parcel {request.parcel_id}")
            once(request.idempotency_key, key, lambda: self.traces.append(request))
            return Response(status_code=202)

        @app.post("/v1/claims", status_code=201)
        def claims(request: ClaimRequest, key: Key = None) -> Any:
            return once(
                request.idempotency_key,
                key,
                lambda: ClaimReceipt(claim_id=f"FCC-{next(self.numbers)}", amount=request.amount),
            )

        @app.get("/v1/parcels/{parcel_id}/events")
        def events(parcel_id: str) -> Any:
            if parcel_id not in self.parcels:
                return problem(404, "https://fast.example/errors/UnknownParcel", "no parcel")
            parcel = self.parcels[parcel_id]
            return [
                TrackingEvent(
                    event_id=f"{parcel_id}-{n}",
                    parcel_id=parcel_id,
                    tracking_number=parcel.tracking_number,
                    status=status,
                    at=NOW + timedelta(hours=n),
                )
                for n, status in enumerate([TrackingStatus.LABEL_CREATED, TrackingStatus.PICKED_UP])
            ]

        return app


def problem(status: int, kind: str, detail: str) -> JSONResponse:
    return JSONResponse({"type": kind, "detail": detail}, status_code=status)


@pytest.fixture
def fake() -> FakeCourier:
    return FakeCourier()


@pytest.fixture
def base_url(fake: FakeCourier) -> Iterator[str]:
    with serve(fake.app()) as url:
        yield f"{url}/v1"


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


@pytest.fixture
def courier(base_url: str, client: httpx.Client) -> HttpCourier:
    return HttpCourier(base_url, SECRET, client)


def label(key: str = "r-1:label", pickup: Address | None = None) -> LabelRequest:
    return LabelRequest(
        idempotency_key=key,
        return_id="r-1",
        customer_id="cust-1",
        pickup_address=pickup,
        items=[ParcelItem(sku="SKU-MUG", quantity=1)],
        ship_by=NOW + timedelta(days=14),
    )


# --- The contract, call by call ---------------------------------------------------------------


def test_a_label_is_created_once_per_idempotency_key(
    courier: HttpCourier, fake: FakeCourier
) -> None:
    first = courier.create_return_label(label(pickup=HOME))
    again = courier.create_return_label(label(pickup=HOME))

    assert again == first
    assert (first.carrier, first.direction, first.pickup_booked) == (
        "fastcourier",
        ParcelDirection.RETURN,
        True,
    )
    assert fake.keys_seen == ["r-1:label", "r-1:label"]
    assert list(fake.parcels) == [first.parcel_id]


def test_an_outbound_shipment_is_created(courier: HttpCourier) -> None:
    parcel = courier.create_outbound_shipment(
        OutboundRequest(
            idempotency_key="r-1:outbound",
            return_id="r-1",
            customer_id="cust-1",
            address=HOME,
            items=[ParcelItem(sku="SKU-MUG-BLUE", quantity=1)],
        )
    )

    assert parcel.direction is ParcelDirection.OUTBOUND


def test_cancel_trace_claim_and_tracking(courier: HttpCourier, fake: FakeCourier) -> None:
    parcel = courier.create_return_label(label())

    cancelled = courier.cancel_parcel(
        ParcelCancellation(idempotency_key="r-1:cancel", parcel_id=parcel.parcel_id)
    )
    trace = TraceRequest(idempotency_key="r-1:trace", parcel_id=parcel.parcel_id, reason="stalled")
    courier.open_trace(trace)
    courier.open_trace(trace)
    receipt = courier.file_claim(
        ClaimRequest(
            idempotency_key="r-1:claim",
            return_id="r-1",
            parcel_id=parcel.parcel_id,
            amount=Decimal("59.90"),
            reason="lost",
        )
    )
    tracking = courier.get_tracking(parcel.parcel_id)

    assert cancelled == parcel
    assert fake.traces == [trace]
    assert receipt.amount == Decimal("59.90") and receipt.claim_id.startswith("FCC-")
    assert [event.status for event in tracking] == [
        TrackingStatus.LABEL_CREATED,
        TrackingStatus.PICKED_UP,
    ]


def test_a_parcel_on_its_way_cannot_be_cancelled(courier: HttpCourier, fake: FakeCourier) -> None:
    parcel = courier.create_return_label(label())
    fake.picked_up.add(parcel.parcel_id)

    with pytest.raises(ParcelAlreadyMoving, match="is on its way"):
        courier.cancel_parcel(ParcelCancellation(idempotency_key="c-1", parcel_id=parcel.parcel_id))


def test_a_parcel_id_is_sent_as_one_path_segment(courier: HttpCourier, fake: FakeCourier) -> None:
    with pytest.raises(UnknownParcel):
        courier.cancel_parcel(ParcelCancellation(idempotency_key="c-1", parcel_id="FC-1/../x"))

    assert fake.raw_paths == [b"/v1/parcels/FC-1%2F..%2Fx/cancel"]


def test_tracking_an_unknown_parcel_is_refused(courier: HttpCourier) -> None:
    with pytest.raises(UnknownParcel, match="no parcel"):
        courier.get_tracking("FC-404")


# --- Failures ---------------------------------------------------------------------------------


def test_an_outage_is_retryable_and_the_retry_succeeds(
    courier: HttpCourier, fake: FakeCourier
) -> None:
    fake.forced = [(503, {"detail": "maintenance"})]
    activities = CourierActivities(courier)

    with pytest.raises(
        ApplicationError,
        check=lambda err: err.type == "ProviderUnavailable" and not err.non_retryable,
    ):
        activities.create_return_label(label())
    parcel = activities.create_return_label(label())

    assert list(fake.parcels) == [parcel.parcel_id]


def test_a_permanent_refusal_is_non_retryable_in_the_activity(
    courier: HttpCourier, fake: FakeCourier
) -> None:
    parcel = courier.create_return_label(label())
    fake.picked_up.add(parcel.parcel_id)

    with pytest.raises(
        ApplicationError,
        check=lambda err: err.type == "ParcelAlreadyMoving" and err.non_retryable,
    ):
        CourierActivities(courier).cancel_parcel(
            ParcelCancellation(idempotency_key="c-1", parcel_id=parcel.parcel_id)
        )


def test_a_slow_courier_times_out_retryably(base_url: str, fake: FakeCourier) -> None:
    fake.delay_seconds = 1.0

    with httpx.Client(timeout=0.2) as impatient:
        with pytest.raises(ProviderUnavailable, match="ReadTimeout"):
            HttpCourier(base_url, SECRET, impatient).create_return_label(label())


def test_an_unreachable_courier_is_retryable(client: httpx.Client) -> None:
    with pytest.raises(ProviderUnavailable, match="ConnectError"):
        HttpCourier(closed_port_url(), SECRET, client).create_return_label(label())


def test_wrong_credentials_are_a_permanent_refusal(base_url: str, client: httpx.Client) -> None:
    with pytest.raises(CourierRefused, match="401"):
        HttpCourier(base_url, "not-the-secret", client).create_return_label(label())


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (500, {"detail": "boom"}, ProviderUnavailable),
        (502, "<html>bad gateway</html>", ProviderUnavailable),
        (429, {"detail": "slow down"}, ProviderUnavailable),
        (408, {}, ProviderUnavailable),
        (409, {"detail": "a request with this key is in progress"}, ProviderUnavailable),
        (400, {"detail": "no items"}, InvalidProviderRequest),
        (422, {"detail": "bad postcode"}, InvalidProviderRequest),
        (403, {"detail": "no contract for this region"}, CourierRefused),
        (404, {"detail": "no such route"}, CourierRefused),
        (422, {"type": "IdempotencyKeyReused", "detail": "other body"}, IdempotencyKeyReused),
        (422, {"type": "https://fast.example/errors/CourierRefused"}, CourierRefused),
        (201, {"parcel": "not quite"}, ProviderUnavailable),
        (200, "not json", ProviderUnavailable),
    ],
)
def test_answers_map_to_typed_errors(
    courier: HttpCourier,
    fake: FakeCourier,
    status: int,
    body: Any,
    expected: type[ProviderError],
) -> None:
    fake.forced = [(status, body)]

    with pytest.raises(ProviderError) as raised:
        courier.create_return_label(label())

    assert type(raised.value) is expected
    assert raised.value.non_retryable is (expected is not ProviderUnavailable)


def test_a_bare_conflict_on_a_cancel_means_the_parcel_moved(
    courier: HttpCourier, fake: FakeCourier
) -> None:
    fake.forced = [(409, {"detail": "conflict"})]

    with pytest.raises(ParcelAlreadyMoving):
        courier.cancel_parcel(ParcelCancellation(idempotency_key="c-1", parcel_id="FC-1"))


def test_a_courier_needs_a_base_url(client: httpx.Client) -> None:
    with pytest.raises(ValueError, match="base URL is empty"):
        HttpCourier("", SECRET, client)
