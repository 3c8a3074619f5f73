"""The sandbox courier and its activities, against a real SQLite store."""

import random
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import SQLModel, select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

import store.tables.couriers  # noqa: F401  (registers the courier tables on the metadata)
from activities.couriers.activities import CourierActivities
from activities.couriers.errors import UnknownParcel
from activities.couriers.factory import courier_provider
from activities.couriers.http import HttpCourier
from activities.couriers.plan import CourierPlan
from activities.couriers.sandbox import SandboxCourier
from activities.couriers.simulator import CourierSimulator
from activities.faults import FaultPlan
from core.settings import Settings
from domain.returns import (
    Address,
    ClaimRequest,
    LabelRequest,
    OutboundRequest,
    ParcelCancellation,
    ParcelDirection,
    ParcelItem,
    TraceRequest,
    TrackingStatus,
)
from store.db import SessionFactory
from store.tables.couriers import (
    CarrierClaim,
    CourierTrace,
    ParcelFate,
    SandboxParcel,
    SandboxParcelEvent,
)

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
STEP = timedelta(minutes=10)
HOME = Address(name="Li Wei", phone="+86 138 0000 0000", line1="1 Jade Road", city="Hangzhou")


def label(
    key: str = "r-1:label", *, return_id: str = "r-1", pickup: Address | None = None, qty: int = 1
) -> LabelRequest:
    return LabelRequest(
        idempotency_key=key,
        return_id=return_id,
        customer_id="cust-1",
        pickup_address=pickup,
        items=[ParcelItem(sku="SKU-MUG", quantity=qty)],
        ship_by=NOW + timedelta(days=14),
    )


def outbound(key: str = "r-1:outbound", *, return_id: str = "r-1") -> OutboundRequest:
    return OutboundRequest(
        idempotency_key=key,
        return_id=return_id,
        customer_id="cust-1",
        address=HOME,
        items=[ParcelItem(sku="SKU-MUG-BLUE", quantity=1)],
    )


def claim(key: str = "r-1:claim", *, parcel_id: str | None, amount: str = "59.90") -> ClaimRequest:
    return ClaimRequest(
        idempotency_key=key,
        return_id="r-1",
        parcel_id=parcel_id,
        amount=Decimal(amount),
        reason="lost in transit",
    )


def sandbox(
    sessions: SessionFactory, faults: FaultPlan | None = None, plan: CourierPlan | None = None
) -> SandboxCourier:
    return SandboxCourier(sessions, faults, plan or CourierPlan.every(STEP), clock=lambda: NOW)


def couriers(
    sessions: SessionFactory, faults: FaultPlan | None = None, plan: CourierPlan | None = None
) -> CourierActivities:
    return CourierActivities(sandbox(sessions, faults, plan))


def rows(sessions: SessionFactory, table: type[SQLModel]) -> list[Any]:
    with sessions() as session:
        return list(session.exec(select(table)))


def parcel_row(sessions: SessionFactory, parcel_id: str) -> SandboxParcel:
    with sessions() as session:
        parcel = session.get(SandboxParcel, parcel_id)
    assert parcel is not None
    return parcel


def expect_error(error_type: str, *, non_retryable: bool) -> pytest.RaisesExc[ApplicationError]:
    return pytest.raises(
        ApplicationError,
        check=lambda err: err.type == error_type and err.non_retryable is non_retryable,
    )


@pytest.fixture
async def simulator(sessions: SessionFactory) -> AsyncIterator[CourierSimulator]:
    # Only `advance` is used here: the webhook side is tested in test_courier_simulator.
    async with CourierSimulator(
        sessions, CourierPlan.every(STEP), "http://127.0.0.1:9/unused", "secret"
    ) as simulator:
        yield simulator


# --- Labels and shipments ----------------------------------------------------------------


def test_a_drop_off_label_repeated_with_its_key_is_one_parcel(sessions: SessionFactory) -> None:
    courier = couriers(sessions)

    first = courier.create_return_label(label())
    again = courier.create_return_label(label())

    assert again == first
    assert first.parcel_id == "PCL-000001"
    assert first.tracking_number.startswith("SBX") and first.tracking_number[3:].isdigit()
    assert (first.carrier, first.direction, first.pickup_booked) == (
        "sandbox",
        ParcelDirection.RETURN,
        False,
    )
    assert first.label_url is not None and first.parcel_id in first.label_url
    [row] = rows(sessions, SandboxParcel)
    assert (row.status, row.return_id, row.next_event_at) == (
        TrackingStatus.LABEL_CREATED,
        "r-1",
        NOW + STEP,
    )
    [event] = rows(sessions, SandboxParcelEvent)
    assert event.status == TrackingStatus.LABEL_CREATED
    assert "waiting for the customer" in event.detail


def test_a_pickup_address_books_a_doorstep_pickup(sessions: SessionFactory) -> None:
    parcel = couriers(sessions).create_return_label(label(pickup=HOME))

    assert parcel.pickup_booked
    [event] = sandbox(sessions).get_tracking(parcel.parcel_id)
    assert event.status is TrackingStatus.LABEL_CREATED
    assert "pickup booked" in event.detail


def test_an_outbound_shipment_repeated_with_its_key_is_one_parcel(
    sessions: SessionFactory,
) -> None:
    courier = couriers(sessions)

    first = courier.create_outbound_shipment(outbound())
    again = courier.create_outbound_shipment(outbound())

    assert again == first
    assert first.direction is ParcelDirection.OUTBOUND and not first.pickup_booked
    assert len(rows(sessions, SandboxParcel)) == 1


def test_each_new_key_gets_a_parcel_of_its_own(sessions: SessionFactory) -> None:
    courier = couriers(sessions)

    parcels = [
        courier.create_return_label(label(f"r-{n}:label", return_id=f"r-{n}")) for n in (1, 2)
    ]
    shipped = courier.create_outbound_shipment(outbound())

    assert [p.parcel_id for p in [*parcels, shipped]] == ["PCL-000001", "PCL-000002", "PCL-000003"]
    assert len({p.tracking_number for p in [*parcels, shipped]}) == 3


def test_a_key_reused_for_other_items_is_refused(sessions: SessionFactory) -> None:
    courier = couriers(sessions)
    courier.create_return_label(label(qty=1))

    with expect_error("IdempotencyKeyReused", non_retryable=True):
        courier.create_return_label(label(qty=2))
    with expect_error("IdempotencyKeyReused", non_retryable=True):
        courier.create_outbound_shipment(outbound("r-1:label"))
    assert len(rows(sessions, SandboxParcel)) == 1


def test_a_parcel_without_items_is_refused(sessions: SessionFactory) -> None:
    request = label().model_copy(update={"items": []})

    with expect_error("InvalidProviderRequest", non_retryable=True):
        couriers(sessions).create_return_label(request)
    assert rows(sessions, SandboxParcel) == []


def test_identical_label_requests_from_many_threads_make_one_parcel(
    sessions: SessionFactory,
) -> None:
    courier = couriers(sessions)

    with ThreadPoolExecutor(max_workers=8) as pool:
        parcels = list(pool.map(lambda _: courier.create_return_label(label()), range(16)))

    assert len({parcel.parcel_id for parcel in parcels}) == 1
    assert len(rows(sessions, SandboxParcel)) == 1


def test_labels_for_many_returns_at_once_get_distinct_parcels(sessions: SessionFactory) -> None:
    courier = couriers(sessions)

    with ThreadPoolExecutor(max_workers=8) as pool:
        parcels = list(
            pool.map(
                lambda n: courier.create_return_label(label(f"r-{n}:label", return_id=f"r-{n}")),
                range(16),
            )
        )

    assert len({parcel.parcel_id for parcel in parcels}) == 16
    assert len({parcel.tracking_number for parcel in parcels}) == 16


# --- Faults: every call absorbs a lost response and an outage ------------------------------


def test_a_lost_label_response_is_absorbed_by_the_retry(sessions: SessionFactory) -> None:
    faults = FaultPlan(fail_after_commit_rate=1.0)
    courier = couriers(sessions, faults)

    with expect_error("ProviderUnavailable", non_retryable=False):
        courier.create_return_label(label())
    faults.fail_after_commit_rate = 0
    parcel = courier.create_return_label(label())

    [row] = rows(sessions, SandboxParcel)
    assert parcel.parcel_id == row.parcel_id
    assert len(rows(sessions, SandboxParcelEvent)) == 1


def test_a_lost_shipment_response_is_absorbed_in_an_activity_environment(
    sessions: SessionFactory,
) -> None:
    faults = FaultPlan(fail_after_commit_rate=1.0)
    courier = couriers(sessions, faults)
    env = ActivityEnvironment()

    with expect_error("ProviderUnavailable", non_retryable=False):
        env.run(courier.create_outbound_shipment, outbound())
    faults.fail_after_commit_rate = 0
    parcel = env.run(courier.create_outbound_shipment, outbound())

    [row] = rows(sessions, SandboxParcel)
    assert parcel.parcel_id == row.parcel_id


def test_a_lost_cancellation_response_is_absorbed_by_the_retry(sessions: SessionFactory) -> None:
    faults = FaultPlan()
    courier = couriers(sessions, faults)
    parcel = courier.create_return_label(label())
    cancellation = ParcelCancellation(idempotency_key="r-1:cancel", parcel_id=parcel.parcel_id)

    faults.fail_after_commit_rate = 1
    with expect_error("ProviderUnavailable", non_retryable=False):
        courier.cancel_parcel(cancellation)
    faults.fail_after_commit_rate = 0
    assert courier.cancel_parcel(cancellation) == parcel

    assert parcel_row(sessions, parcel.parcel_id).status == TrackingStatus.CANCELLED
    statuses = [event.status for event in sandbox(sessions).get_tracking(parcel.parcel_id)]
    assert statuses == [TrackingStatus.LABEL_CREATED, TrackingStatus.CANCELLED]


async def test_a_lost_trace_response_is_absorbed_by_the_retry(
    sessions: SessionFactory, simulator: CourierSimulator
) -> None:
    faults = FaultPlan()
    courier = couriers(sessions, faults)
    parcel = courier.create_return_label(label())
    simulator.advance(NOW + STEP)
    trace = TraceRequest(idempotency_key="r-1:trace", parcel_id=parcel.parcel_id, reason="stalled")

    faults.fail_after_commit_rate = 1
    with expect_error("ProviderUnavailable", non_retryable=False):
        courier.open_trace(trace)
    faults.fail_after_commit_rate = 0
    courier.open_trace(trace)

    assert len(rows(sessions, CourierTrace)) == 1


async def test_a_lost_claim_response_is_absorbed_by_the_retry(
    sessions: SessionFactory, simulator: CourierSimulator
) -> None:
    faults = FaultPlan()
    courier = couriers(sessions, faults)
    parcel = courier.create_return_label(label())
    simulator.advance(NOW + STEP)

    faults.fail_after_commit_rate = 1
    with expect_error("ProviderUnavailable", non_retryable=False):
        courier.file_claim(claim(parcel_id=parcel.parcel_id))
    faults.fail_after_commit_rate = 0
    receipt = courier.file_claim(claim(parcel_id=parcel.parcel_id))

    [row] = rows(sessions, CarrierClaim)
    assert (receipt.claim_id, receipt.amount) == (row.claim_id, Decimal("59.90"))


@pytest.mark.parametrize(
    "call",
    [
        lambda courier: courier.create_return_label(label()),
        lambda courier: courier.create_outbound_shipment(outbound()),
        lambda courier: courier.file_claim(claim(parcel_id=None)),
    ],
    ids=["label", "shipment", "claim"],
)
def test_the_first_attempts_fail_before_any_work_then_the_call_succeeds(
    sessions: SessionFactory, call: Callable[[CourierActivities], object]
) -> None:
    courier = couriers(sessions, FaultPlan(fail_first_attempts=2))

    for _ in range(2):
        with expect_error("ProviderUnavailable", non_retryable=False):
            call(courier)
        assert rows(sessions, SandboxParcel) == rows(sessions, CarrierClaim) == []
    call(courier)

    assert len(rows(sessions, SandboxParcel)) + len(rows(sessions, CarrierClaim)) == 1


# --- Cancellation ---------------------------------------------------------------------------


async def test_a_label_not_yet_handed_in_is_cancelled_once_and_stops_moving(
    sessions: SessionFactory, simulator: CourierSimulator
) -> None:
    courier = couriers(sessions)
    parcel = courier.create_return_label(label())

    first = courier.cancel_parcel(
        ParcelCancellation(idempotency_key="c-1", parcel_id=parcel.parcel_id)
    )
    again = courier.cancel_parcel(
        ParcelCancellation(idempotency_key="c-1", parcel_id=parcel.parcel_id)
    )
    other_key = courier.cancel_parcel(
        ParcelCancellation(idempotency_key="c-2", parcel_id=parcel.parcel_id)
    )

    assert first == again == other_key == parcel
    row = parcel_row(sessions, parcel.parcel_id)
    assert (row.status, row.cancelled_at, row.next_event_at) == (
        TrackingStatus.CANCELLED,
        NOW,
        None,
    )
    assert simulator.advance(NOW + 100 * STEP) == 0
    statuses = [event.status for event in sandbox(sessions).get_tracking(parcel.parcel_id)]
    assert statuses == [TrackingStatus.LABEL_CREATED, TrackingStatus.CANCELLED]


async def test_a_parcel_already_picked_up_cannot_be_cancelled(
    sessions: SessionFactory, simulator: CourierSimulator
) -> None:
    courier = couriers(sessions)
    parcel = courier.create_return_label(label(pickup=HOME))
    assert simulator.advance(NOW + STEP) == 1

    with expect_error("ParcelAlreadyMoving", non_retryable=True):
        courier.cancel_parcel(ParcelCancellation(idempotency_key="c-1", parcel_id=parcel.parcel_id))
    assert parcel_row(sessions, parcel.parcel_id).status == TrackingStatus.PICKED_UP


def test_cancelling_an_unknown_parcel_is_refused(sessions: SessionFactory) -> None:
    with expect_error("UnknownParcel", non_retryable=True):
        couriers(sessions).cancel_parcel(
            ParcelCancellation(idempotency_key="c-1", parcel_id="PCL-404404")
        )


def test_a_cancellation_key_reused_for_another_parcel_is_refused(
    sessions: SessionFactory,
) -> None:
    courier = couriers(sessions)
    one = courier.create_return_label(label("r-1:label", return_id="r-1"))
    two = courier.create_return_label(label("r-2:label", return_id="r-2"))
    courier.cancel_parcel(ParcelCancellation(idempotency_key="c-1", parcel_id=one.parcel_id))

    with expect_error("IdempotencyKeyReused", non_retryable=True):
        courier.cancel_parcel(ParcelCancellation(idempotency_key="c-1", parcel_id=two.parcel_id))
    assert parcel_row(sessions, two.parcel_id).status == TrackingStatus.LABEL_CREATED


# --- Traces and claims ----------------------------------------------------------------------


def test_a_trace_repeated_with_its_key_is_opened_once(sessions: SessionFactory) -> None:
    courier = couriers(sessions)
    parcel = courier.create_return_label(label())
    trace = TraceRequest(idempotency_key="r-1:trace", parcel_id=parcel.parcel_id, reason="stalled")

    courier.open_trace(trace)
    courier.open_trace(trace)

    [row] = rows(sessions, CourierTrace)
    assert (row.parcel_id, row.reason) == (parcel.parcel_id, "stalled")


def test_traces_on_unknown_parcels_or_with_reused_keys_are_refused(
    sessions: SessionFactory,
) -> None:
    courier = couriers(sessions)
    parcel = courier.create_return_label(label())
    courier.open_trace(TraceRequest(idempotency_key="t-0", parcel_id=parcel.parcel_id, reason="x"))

    with expect_error("UnknownParcel", non_retryable=True):
        courier.open_trace(TraceRequest(idempotency_key="t-1", parcel_id="PCL-404404", reason="x"))
    with expect_error("IdempotencyKeyReused", non_retryable=True):
        courier.open_trace(TraceRequest(idempotency_key="t-0", parcel_id="PCL-404404", reason="x"))
    assert len(rows(sessions, CourierTrace)) == 1


def test_a_trace_on_a_cancelled_parcel_is_refused(sessions: SessionFactory) -> None:
    courier = couriers(sessions)
    parcel = courier.create_return_label(label())
    courier.cancel_parcel(ParcelCancellation(idempotency_key="c-1", parcel_id=parcel.parcel_id))

    with expect_error("CourierRefused", non_retryable=True):
        courier.open_trace(
            TraceRequest(idempotency_key="t-1", parcel_id=parcel.parcel_id, reason="x")
        )
    assert rows(sessions, CourierTrace) == []


async def test_a_parcel_is_claimed_once_whatever_the_key(
    sessions: SessionFactory, simulator: CourierSimulator
) -> None:
    courier = couriers(sessions)
    parcel = courier.create_return_label(label())
    simulator.advance(NOW + STEP)

    first = courier.file_claim(claim("r-1:claim", parcel_id=parcel.parcel_id))
    again = courier.file_claim(claim("r-1:claim", parcel_id=parcel.parcel_id))
    other_key = courier.file_claim(claim("r-1:claim:2", parcel_id=parcel.parcel_id))

    assert first == again == other_key
    assert first.claim_id == "CLM-000001" and first.amount == Decimal("59.90")
    [row] = rows(sessions, CarrierClaim)
    assert (row.return_id, row.parcel_id, row.currency) == ("r-1", parcel.parcel_id, "CNY")


def test_a_claim_key_reused_for_another_amount_is_refused(sessions: SessionFactory) -> None:
    courier = couriers(sessions)
    courier.file_claim(claim(parcel_id=None, amount="10.00"))

    with expect_error("IdempotencyKeyReused", non_retryable=True):
        courier.file_claim(claim(parcel_id=None, amount="20.00"))
    assert len(rows(sessions, CarrierClaim)) == 1


def test_claims_the_courier_cannot_accept_are_refused(sessions: SessionFactory) -> None:
    courier = couriers(sessions)
    never_handed_in = courier.create_return_label(label())

    with expect_error("CourierRefused", non_retryable=True):
        courier.file_claim(claim("k-1", parcel_id=never_handed_in.parcel_id))
    with expect_error("UnknownParcel", non_retryable=True):
        courier.file_claim(claim("k-2", parcel_id="PCL-404404"))
    with expect_error("InvalidProviderRequest", non_retryable=True):
        courier.file_claim(claim("k-3", parcel_id=None, amount="0"))
    assert rows(sessions, CarrierClaim) == []


# --- Fates and tracking ---------------------------------------------------------------------


def test_fates_are_drawn_reproducibly_from_a_seeded_plan(sessions: SessionFactory) -> None:
    def fates(seed: int) -> list[ParcelFate]:
        plan = CourierPlan(loss_rate=0.3, exception_rate=0.3, rng=random.Random(seed))
        return [
            plan.draw_fate(return_id=f"r-{n}", direction=ParcelDirection.RETURN) for n in range(30)
        ]

    assert fates(7) == fates(7)
    assert set(fates(7)) == {
        ParcelFate.DELIVER,
        ParcelFate.LOSE,
        ParcelFate.EXCEPTION_THEN_DELIVER,
    }


async def test_a_return_that_never_ships_stays_a_label_but_its_exchange_ships(
    sessions: SessionFactory, simulator: CourierSimulator
) -> None:
    plan = CourierPlan.every(STEP, never_shipped_return_ids={"r-lazy"})
    courier = couriers(sessions, plan=plan)

    label_parcel = courier.create_return_label(label(return_id="r-lazy"))
    shipment = courier.create_outbound_shipment(outbound(return_id="r-lazy"))
    simulator.advance(NOW + STEP)
    simulator.advance(NOW + 100 * STEP)

    stuck = parcel_row(sessions, label_parcel.parcel_id)
    assert (stuck.fate, stuck.status, stuck.next_event_at) == (
        ParcelFate.NEVER_SHIPPED,
        TrackingStatus.LABEL_CREATED,
        None,
    )
    assert parcel_row(sessions, shipment.parcel_id).status == TrackingStatus.IN_TRANSIT


def test_a_never_ship_rate_of_one_strands_every_return_label(sessions: SessionFactory) -> None:
    plan = CourierPlan(never_ship_rate=1.0)

    assert plan.draw_fate(return_id="r-1", direction=ParcelDirection.RETURN) is (
        ParcelFate.NEVER_SHIPPED
    )
    assert plan.draw_fate(return_id="r-1", direction=ParcelDirection.OUTBOUND) is (
        ParcelFate.DELIVER
    )


def test_tracking_an_unknown_parcel_is_refused(sessions: SessionFactory) -> None:
    with pytest.raises(UnknownParcel):
        sandbox(sessions).get_tracking("PCL-404404")


# --- Plan and provider from settings -----------------------------------------------------


def test_a_plan_whose_rates_exceed_one_is_refused() -> None:
    with pytest.raises(ValueError, match="add up to more than 1"):
        CourierPlan(loss_rate=0.6, exception_rate=0.5)


def test_the_plan_is_built_from_settings() -> None:
    settings = Settings(
        sandbox_courier_step_seconds=5,
        sandbox_courier_loss_rate=0.1,
        sandbox_courier_exception_rate=0.2,
    )

    plan = CourierPlan.from_settings(settings)

    assert plan.label_to_picked_up == plan.in_transit_to_delivered == timedelta(seconds=5)
    assert plan.in_transit_to_lost == timedelta(seconds=10)
    assert (plan.loss_rate, plan.exception_rate) == (0.1, 0.2)


def test_the_provider_is_the_one_the_settings_name(sessions: SessionFactory) -> None:
    assert isinstance(
        courier_provider(Settings(courier_provider="sandbox"), sessions), SandboxCourier
    )
    http = courier_provider(
        Settings(courier_provider="http", courier_base_url="https://courier.example"), sessions
    )
    assert isinstance(http, HttpCourier)
    with pytest.raises(ValueError, match="unknown courier_provider"):
        courier_provider(Settings(courier_provider="pigeon"), sessions)
