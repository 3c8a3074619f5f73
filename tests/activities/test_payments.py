"""The sandbox payments provider and its activities, against a real SQLite ledger."""

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import col, select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.payments.activities import PaymentActivities
from activities.payments.faults import FaultPlan
from activities.payments.sandbox import SandboxPayments
from core.settings import Settings
from domain.compensation import (
    CompensationKind,
    CompensationReceipt,
    CompensationRequest,
    DuplicateChargeQuery,
    UndoRequest,
)
from domain.policy import PROVIDER_IDEMPOTENCY_WINDOW
from store.db import SessionFactory
from store.tables.ledger import LedgerEntry, LedgerKind, SandboxCharge, record_charge


def request(
    key: str = "c-1:refund:0",
    *,
    kind: CompensationKind = CompensationKind.REFUND,
    amount: str = "30.00",
    payment_id: str | None = "pay-1",
    paid_amount: str | None = "100.00",
) -> CompensationRequest:
    return CompensationRequest(
        idempotency_key=key,
        complaint_id="c-1",
        customer_id="cust-1",
        kind=kind,
        amount=Decimal(amount),
        payment_id=payment_id,
        paid_amount=None if paid_amount is None else Decimal(paid_amount),
        order_id="order-1",
    )


def undo(key: str, receipt: CompensationReceipt) -> UndoRequest:
    return UndoRequest(idempotency_key=key, receipt=receipt)


def ledger(sessions: SessionFactory) -> list[LedgerEntry]:
    with sessions() as session:
        return list(session.exec(select(LedgerEntry).order_by(col(LedgerEntry.id))))


def activities(sessions: SessionFactory, faults: FaultPlan | None = None) -> PaymentActivities:
    return PaymentActivities(SandboxPayments(sessions, faults))


def expect_error(error_type: str, *, non_retryable: bool) -> pytest.RaisesExc[ApplicationError]:
    return pytest.raises(
        ApplicationError,
        check=lambda err: err.type == error_type and err.non_retryable is non_retryable,
    )


# --- Idempotency ------------------------------------------------------------------------


def test_refund_repeated_with_its_key_writes_one_entry_and_returns_the_same_receipt(
    sessions: SessionFactory,
) -> None:
    payments = activities(sessions)

    first = payments.refund_payment(request())
    again = payments.refund_payment(request())

    assert again == first
    assert first.reference.startswith("RF-")
    assert first.amount == Decimal("30.00")
    [entry] = ledger(sessions)
    assert (entry.kind, entry.amount, entry.payment_id) == (
        LedgerKind.REFUND,
        Decimal("30.00"),
        "pay-1",
    )


def test_a_key_reused_for_another_amount_is_refused(sessions: SessionFactory) -> None:
    payments = activities(sessions)
    payments.refund_payment(request(amount="30.00"))

    with expect_error("IdempotencyKeyReused", non_retryable=True):
        payments.refund_payment(request(amount="31.00"))
    assert len(ledger(sessions)) == 1


def test_a_lost_response_is_absorbed_by_the_retry_called_directly(
    sessions: SessionFactory,
) -> None:
    payments = activities(sessions, FaultPlan(fail_after_commit_rate=1.0))

    with expect_error("ProviderUnavailable", non_retryable=False):
        payments.refund_payment(request())
    receipt = payments.refund_payment(request())

    [entry] = ledger(sessions)
    assert receipt.reference == entry.reference


def test_a_lost_response_is_absorbed_by_the_retry_in_an_activity_environment(
    sessions: SessionFactory,
) -> None:
    payments = activities(sessions, FaultPlan(fail_after_commit_rate=1.0))
    env = ActivityEnvironment()

    with expect_error("ProviderUnavailable", non_retryable=False):
        env.run(payments.refund_payment, request())
    receipt = env.run(payments.refund_payment, request())

    [entry] = ledger(sessions)
    assert receipt == CompensationReceipt(
        idempotency_key="c-1:refund:0",
        kind=CompensationKind.REFUND,
        reference=entry.reference,
        amount=Decimal("30.00"),
    )


def test_a_slow_answer_comes_after_the_work_is_committed(sessions: SessionFactory) -> None:
    # While the answer travels back, the refund is already in the ledger: a worker that
    # dies now leaves work done but unreported, for the idempotency key to absorb.
    payments = activities(sessions, FaultPlan(response_delay_seconds=0.3))
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(payments.refund_payment, request())
        while not ledger(sessions):
            assert not answer.done(), "the answer came before the work was committed"
        receipt = answer.result(timeout=5)

    [entry] = ledger(sessions)
    assert receipt.reference == entry.reference
    assert payments.refund_payment(request()).reference == entry.reference


def test_a_retry_a_whole_idempotency_window_later_still_gets_the_first_refund(
    sessions: SessionFactory,
) -> None:
    # The sandbox keeps keys for ever, longer than the window the policy asks of providers.
    payments = activities(sessions)
    first = payments.refund_payment(request())
    with sessions() as session:
        entry = session.exec(select(LedgerEntry)).one()
        entry.created_at -= PROVIDER_IDEMPOTENCY_WINDOW + timedelta(hours=1)
        session.add(entry)
        session.commit()

    assert payments.refund_payment(request()) == first
    assert len(ledger(sessions)) == 1


def test_the_first_attempts_fail_before_any_work_then_the_call_succeeds(
    sessions: SessionFactory,
) -> None:
    payments = activities(sessions, FaultPlan(fail_first_attempts=2))

    for _ in range(2):
        with expect_error("ProviderUnavailable", non_retryable=False):
            payments.refund_payment(request())
        assert ledger(sessions) == []
    payments.refund_payment(request())

    assert len(ledger(sessions)) == 1


def test_a_seeded_failure_rate_fails_reproducibly(sessions: SessionFactory) -> None:
    def outcomes(seed: int) -> list[bool]:
        plan = FaultPlan(transient_failure_rate=0.5, rng=random.Random(seed))
        return [plan.fails_before_work(f"key-{n}") for n in range(20)]

    assert outcomes(7) == outcomes(7)
    assert True in outcomes(7) and False in outcomes(7)
    with expect_error("ProviderUnavailable", non_retryable=False):
        activities(sessions, FaultPlan(transient_failure_rate=1.0)).refund_payment(request())


def test_identical_requests_from_many_threads_write_one_entry(sessions: SessionFactory) -> None:
    payments = activities(sessions)

    with ThreadPoolExecutor(max_workers=8) as pool:
        receipts = list(pool.map(lambda _: payments.refund_payment(request()), range(16)))

    assert len({receipt.reference for receipt in receipts}) == 1
    assert len(ledger(sessions)) == 1


def test_concurrent_refunds_never_add_up_to_more_than_was_paid(sessions: SessionFactory) -> None:
    payments = activities(sessions)

    def refund(n: int) -> str:
        try:
            return payments.refund_payment(request(f"c-1:refund:{n}", amount="30.00")).reference
        except ApplicationError as err:
            return err.type or ""

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(refund, range(8)))

    assert sum(outcome.startswith("RF-") for outcome in outcomes) == 3
    assert outcomes.count("RefundExceedsPaid") == 5
    assert sum(entry.amount for entry in ledger(sessions)) == Decimal("90.00")


# --- What the customer paid -------------------------------------------------------------


def test_a_refund_above_what_was_paid_is_refused_and_writes_nothing(
    sessions: SessionFactory,
) -> None:
    payments = activities(sessions)

    with expect_error("RefundExceedsPaid", non_retryable=True) as raised:
        payments.refund_payment(request(amount="100.01"))

    assert raised.value.details[0]["paid"] == "100.00"
    assert ledger(sessions) == []
    with sessions() as session:
        assert session.exec(select(SandboxCharge)).all() == []


def test_partial_refunds_are_allowed_up_to_what_was_paid(sessions: SessionFactory) -> None:
    payments = activities(sessions)

    payments.refund_payment(request("c-1:refund:0", amount="40.00"))
    payments.refund_payment(request("c-1:refund:1", amount="60.00"))
    with expect_error("RefundExceedsPaid", non_retryable=True):
        payments.refund_payment(request("c-1:refund:2", amount="0.01"))

    assert [entry.amount for entry in ledger(sessions)] == [Decimal("40.00"), Decimal("60.00")]


def test_the_sandbox_learns_a_charge_from_the_first_refund_and_keeps_it(
    sessions: SessionFactory,
) -> None:
    payments = activities(sessions)
    payments.refund_payment(request("c-1:refund:0", amount="80.00", paid_amount="100.00"))

    # A later request cannot raise what was paid: the recorded charge wins.
    with expect_error("RefundExceedsPaid", non_retryable=True):
        payments.refund_payment(request("c-1:refund:1", amount="80.00", paid_amount="500.00"))


def test_a_refund_on_an_unknown_payment_without_paid_amount_is_refused(
    sessions: SessionFactory,
) -> None:
    with expect_error("UnknownPayment", non_retryable=True):
        activities(sessions).refund_payment(request(paid_amount=None))
    assert ledger(sessions) == []


def test_a_refund_on_a_recorded_charge_needs_no_paid_amount(sessions: SessionFactory) -> None:
    with sessions() as session:
        record_charge(
            session, payment_id="pay-1", order_id="order-1", amount=Decimal("20"), currency="CNY"
        )
        session.commit()
    payments = activities(sessions)

    payments.refund_payment(request(amount="20.00", paid_amount=None))
    with expect_error("RefundExceedsPaid", non_retryable=True):
        payments.refund_payment(request("c-1:refund:1", amount="1.00", paid_amount=None))


# --- Undo -------------------------------------------------------------------------------


def test_a_reversal_is_idempotent_and_gives_the_refunded_amount_back(
    sessions: SessionFactory,
) -> None:
    payments = activities(sessions)
    refund = payments.refund_payment(request(amount="100.00"))

    reversal = payments.reverse_refund(undo("c-1:undo:0", refund))
    again = payments.reverse_refund(undo("c-1:undo:0", refund))
    other_key = payments.reverse_refund(undo("c-1:undo:other", refund))

    assert again == reversal and other_key == reversal
    assert reversal.reference.startswith("RR-")
    assert reversal.amount == Decimal("100.00")
    assert [(entry.kind, entry.reverses_reference) for entry in ledger(sessions)] == [
        (LedgerKind.REFUND, None),
        (LedgerKind.REFUND_REVERSAL, refund.reference),
    ]
    payments.refund_payment(request("c-1:refund:1", amount="100.00"))


def test_undoing_a_receipt_the_provider_never_issued_is_refused(
    sessions: SessionFactory,
) -> None:
    made_up = CompensationReceipt(
        idempotency_key="x", kind=CompensationKind.REFUND, reference="RF-999999"
    )

    with expect_error("UnknownReference", non_retryable=True):
        activities(sessions).reverse_refund(undo("c-1:undo:0", made_up))
    assert ledger(sessions) == []


def test_coupons_are_issued_and_voided(sessions: SessionFactory) -> None:
    payments = activities(sessions)
    coupon_request = request(
        "c-1:coupon:0", kind=CompensationKind.COUPON, amount="10.00", payment_id=None
    )

    coupon = payments.issue_coupon(coupon_request)
    void = payments.void_coupon(undo("c-1:coupon:0:void", coupon))

    assert coupon.reference.startswith("CP-") and void.reference.startswith("CV-")
    assert payments.void_coupon(undo("c-1:coupon:0:void", coupon)) == void
    assert [entry.kind for entry in ledger(sessions)] == [
        LedgerKind.COUPON,
        LedgerKind.COUPON_VOID,
    ]


def test_store_credit_is_issued_and_revoked(sessions: SessionFactory) -> None:
    payments = activities(sessions)
    credit_request = request(
        "c-1:credit:0", kind=CompensationKind.STORE_CREDIT, amount="25.50", payment_id=None
    )

    credit = payments.issue_store_credit(credit_request)
    revoke = payments.revoke_store_credit(undo("c-1:credit:0:revoke", credit))

    assert credit.reference.startswith("SC-") and revoke.reference.startswith("SR-")
    assert revoke.amount == Decimal("25.50")
    with expect_error("InvalidProviderRequest", non_retryable=True):
        payments.void_coupon(undo("c-1:credit:0:void", credit))
    assert [entry.kind for entry in ledger(sessions)] == [
        LedgerKind.STORE_CREDIT,
        LedgerKind.STORE_CREDIT_REVOKE,
    ]


def test_a_request_sent_to_the_wrong_activity_is_refused(sessions: SessionFactory) -> None:
    coupon_request = request(kind=CompensationKind.COUPON)

    with expect_error("InvalidProviderRequest", non_retryable=True):
        activities(sessions).refund_payment(coupon_request)


# --- Declines and duplicate charges -----------------------------------------------------


def test_declined_kinds_fail_permanently_and_write_nothing(sessions: SessionFactory) -> None:
    payments = activities(sessions, FaultPlan(decline_kinds={CompensationKind.REFUND}))

    with expect_error("PaymentDeclined", non_retryable=True):
        payments.refund_payment(request())
    payments.issue_coupon(request("c-1:coupon:0", kind=CompensationKind.COUPON, amount="5.00"))

    assert [entry.kind for entry in ledger(sessions)] == [LedgerKind.COUPON]


def test_a_payment_captured_twice_is_a_duplicate_charge(sessions: SessionFactory) -> None:
    with sessions() as session:
        record_charge(
            session,
            payment_id="pay-2",
            order_id="order-2",
            amount=Decimal("59.90"),
            currency="CNY",
            captures=2,
        )
        record_charge(
            session, payment_id="pay-3", order_id="order-3", amount=Decimal("10"), currency="CNY"
        )
        session.commit()
    payments = activities(sessions)

    twice = payments.find_duplicate_charge(DuplicateChargeQuery(payment_id="pay-2"))
    once = payments.find_duplicate_charge(
        DuplicateChargeQuery(payment_id="pay-3", order_id="order-3")
    )

    assert (twice.duplicated, twice.surplus) == (True, Decimal("59.90"))
    assert (once.duplicated, once.surplus) == (False, Decimal("0"))
    # Both captures are refundable.
    payments.refund_payment(request(payment_id="pay-2", amount="119.80", paid_amount=None))


def test_duplicate_charge_on_an_unknown_payment_is_refused(sessions: SessionFactory) -> None:
    with sessions() as session:
        record_charge(
            session, payment_id="pay-2", order_id="order-2", amount=Decimal("5"), currency="CNY"
        )
        session.commit()
    payments = activities(sessions)

    with expect_error("UnknownPayment", non_retryable=True):
        payments.find_duplicate_charge(DuplicateChargeQuery(payment_id="nope"))
    with expect_error("UnknownPayment", non_retryable=True):
        payments.find_duplicate_charge(
            DuplicateChargeQuery(payment_id="pay-2", order_id="another-order")
        )


# --- Settings ---------------------------------------------------------------------------


def test_the_fault_plan_is_built_from_settings() -> None:
    settings = Settings(
        sandbox_payments_transient_failure_rate=0.25,
        sandbox_payments_lost_response_rate=0.1,
        sandbox_payments_decline=["coupon"],
        sandbox_payments_response_delay_seconds=0.5,
    )

    plan = FaultPlan.from_settings(settings)

    assert plan.transient_failure_rate == 0.25
    assert plan.fail_after_commit_rate == 0.1
    assert plan.decline_kinds == {CompensationKind.COUPON}
    assert plan.response_delay_seconds == 0.5
    with pytest.raises(ValueError, match="unknown kinds \\['cheque'\\]"):
        FaultPlan.from_settings(Settings(sandbox_payments_decline=["cheque"]))
