"""The sandbox fulfillment provider and its activities, against a real SQLite store."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import col, select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.faults import FaultPlan
from activities.fulfillment.activities import FulfillmentActivities
from activities.fulfillment.sandbox import SandboxFulfillment
from domain.compensation import (
    CompensationKind,
    CompensationReceipt,
    CompensationRequest,
    ReplacementItem,
    UndoRequest,
)
from store.db import SessionFactory
from store.tables.fulfillment import ReplacementOrder, ReplacementStatus


def replacement(key: str = "c-1:replacement:0", *, quantity: int = 1) -> CompensationRequest:
    return CompensationRequest(
        idempotency_key=key,
        complaint_id="c-1",
        customer_id="cust-1",
        kind=CompensationKind.REPLACEMENT,
        order_id="order-1",
        items=[ReplacementItem(sku="KETTLE-1", quantity=quantity)],
    )


def orders(sessions: SessionFactory) -> list[ReplacementOrder]:
    with sessions() as session:
        return list(session.exec(select(ReplacementOrder).order_by(col(ReplacementOrder.id))))


def activities(sessions: SessionFactory, faults: FaultPlan | None = None) -> FulfillmentActivities:
    return FulfillmentActivities(SandboxFulfillment(sessions, faults))


def expect_error(error_type: str, *, non_retryable: bool) -> pytest.RaisesExc[ApplicationError]:
    return pytest.raises(
        ApplicationError,
        check=lambda err: err.type == error_type and err.non_retryable is non_retryable,
    )


def test_a_replacement_is_created_once_per_key(sessions: SessionFactory) -> None:
    fulfillment = activities(sessions)

    receipt = fulfillment.create_replacement(replacement(quantity=2))
    again = fulfillment.create_replacement(replacement(quantity=2))

    assert again == receipt
    assert receipt.reference.startswith("RP-")
    [order] = orders(sessions)
    assert order.reference == receipt.reference
    assert order.status == ReplacementStatus.CREATED
    assert json.loads(order.items_json) == [{"sku": "KETTLE-1", "quantity": 2}]


def test_a_key_reused_for_other_items_is_refused(sessions: SessionFactory) -> None:
    fulfillment = activities(sessions)
    fulfillment.create_replacement(replacement(quantity=1))

    with expect_error("IdempotencyKeyReused", non_retryable=True):
        fulfillment.create_replacement(replacement(quantity=3))
    assert len(orders(sessions)) == 1


def test_identical_requests_from_many_threads_create_one_order(
    sessions: SessionFactory,
) -> None:
    fulfillment = activities(sessions)

    with ThreadPoolExecutor(max_workers=8) as pool:
        receipts = list(
            pool.map(lambda _: fulfillment.create_replacement(replacement()), range(16))
        )

    assert len({receipt.reference for receipt in receipts}) == 1
    assert len(orders(sessions)) == 1


def test_a_lost_response_is_absorbed_by_the_retry(sessions: SessionFactory) -> None:
    fulfillment = activities(sessions, FaultPlan(fail_after_commit_rate=1.0))
    env = ActivityEnvironment()

    with expect_error("ProviderUnavailable", non_retryable=False):
        env.run(fulfillment.create_replacement, replacement())
    receipt = env.run(fulfillment.create_replacement, replacement())

    [order] = orders(sessions)
    assert receipt.reference == order.reference


def test_cancelling_twice_changes_nothing_and_returns_the_same_receipt(
    sessions: SessionFactory,
) -> None:
    fulfillment = activities(sessions)
    created = fulfillment.create_replacement(replacement())

    cancelled = fulfillment.cancel_replacement(UndoRequest(idempotency_key="u-1", receipt=created))
    again = fulfillment.cancel_replacement(UndoRequest(idempotency_key="u-1", receipt=created))
    other_key = fulfillment.cancel_replacement(UndoRequest(idempotency_key="u-2", receipt=created))

    assert cancelled == again == other_key
    assert cancelled.reference == created.reference
    [order] = orders(sessions)
    assert order.status == ReplacementStatus.CANCELLED
    assert order.cancelled_at is not None and order.cancelled_at.tzinfo is not None


def test_cancelling_an_unknown_replacement_is_refused(sessions: SessionFactory) -> None:
    made_up = CompensationReceipt(
        idempotency_key="x", kind=CompensationKind.REPLACEMENT, reference="RP-999999"
    )

    with expect_error("UnknownReference", non_retryable=True):
        activities(sessions).cancel_replacement(UndoRequest(idempotency_key="u", receipt=made_up))


def test_a_replacement_without_items_is_refused(sessions: SessionFactory) -> None:
    empty = replacement().model_copy(update={"items": []})

    with expect_error("InvalidProviderRequest", non_retryable=True):
        activities(sessions).create_replacement(empty)
    assert orders(sessions) == []


def test_a_declined_replacement_fails_permanently_and_creates_nothing(
    sessions: SessionFactory,
) -> None:
    fulfillment = activities(sessions, FaultPlan(decline_kinds={CompensationKind.REPLACEMENT}))

    with expect_error("ReplacementDeclined", non_retryable=True):
        fulfillment.create_replacement(replacement())
    assert orders(sessions) == []


def test_an_outage_fails_retryably_before_any_work(sessions: SessionFactory) -> None:
    fulfillment = activities(sessions, FaultPlan(fail_first_attempts=1))

    with expect_error("ProviderUnavailable", non_retryable=False):
        fulfillment.create_replacement(replacement())
    assert orders(sessions) == []
    fulfillment.create_replacement(replacement())
    assert len(orders(sessions)) == 1
