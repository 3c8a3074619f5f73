"""The chaos run's checks catch what they claim to: a refund paid twice, a refund the
customer was told of but never got, an attempt half undone, a message lost or sent twice,
a courier event taken twice. Each test breaks one thing in an otherwise clean case."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from chaos.courier_checks import check_parcels
from chaos.findings import Findings
from chaos.money_checks import check_complaint_money, check_return_money
from chaos.outbox_checks import check_messages
from chaos.scenarios import Case, Scenario, plan_cases
from chaos.snapshot import Event, StoreSnapshot
from domain.complaints import CompensationRecord, ComplaintView
from domain.returns import ReturnView
from store.tables.couriers import SandboxParcel, SandboxParcelEvent
from store.tables.ledger import LedgerEntry
from store.tables.outbox import OutboxMessage
from store.tables.webhooks import ReceivedCourierEvent

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def _case(scenario: Scenario, case_id: str) -> Case:
    case = next(c for c in plan_cases(24) if c.scenario is scenario)
    case.case_id = case_id
    return case


def _snapshot(**tables: Any) -> StoreSnapshot:
    empty: dict[str, Any] = {
        name: {}
        for name in (
            "complaints", "returns", "timelines", "ledger", "charges", "replacements",
            "outbox", "parcels", "claims", "stock", "parcel_events", "received_events",
        )
    }  # fmt: skip
    return StoreSnapshot(**(empty | tables))


def _entry(
    case: str, key: str, kind: str, amount: str, ref: str, undoes: str | None = None
) -> LedgerEntry:
    return LedgerEntry(
        idempotency_key=f"{case}/{key}",
        kind=kind,
        complaint_id=case,
        customer_id="cust",
        payment_id="pay-1",
        amount=Decimal(amount),
        currency="CNY",
        reference=ref,
        reverses_reference=undoes,
    )


def _complaint_view(case: Case, *records: CompensationRecord) -> ComplaintView:
    return ComplaintView.model_validate(
        {
            "complaint_id": case.case_id,
            "status": "closed",
            "created_at": NOW,
            "updated_at": NOW,
            "intake": case.body,
            "compensations": [r.model_dump() for r in records],
            "refunded_total": sum(
                (r.amount for r in records if r.kind == "refund" and not r.undone), Decimal("0")
            ),
        }
    )


def test_a_refund_paid_twice_for_one_step_is_a_duplicate() -> None:
    case = _case(Scenario.AGENT_REFUND, "C1")
    view = _complaint_view(
        case, CompensationRecord(kind="refund", amount=Decimal("60"), reference="RF-1")
    )
    ledger = {
        "C1": [
            _entry("C1", "resolution-1/0-refund", "refund", "60", "RF-1"),
            _entry("C1", "resolution-1/0-refund-again", "refund", "60", "RF-2"),
        ]
    }
    findings = Findings()
    check_complaint_money(case, view, _snapshot(ledger=ledger), findings)
    assert findings.duplicates["refund"] == 1


def test_a_refund_keyed_by_a_run_id_is_unsafe() -> None:
    case = _case(Scenario.AGENT_REFUND, "C4")
    view = _complaint_view(
        case, CompensationRecord(kind="refund", amount=Decimal("60"), reference="RF-1")
    )
    run_id = "0195f0e2-5a3c-7d2e-9b1a-3c4d5e6f7a8b"
    ledger = {"C4": [_entry("C4", f"{run_id}/0-refund", "refund", "60", "RF-1")]}
    findings = Findings()
    check_complaint_money(case, view, _snapshot(ledger=ledger), findings)
    assert findings.unsafe["idempotency key"] == 1
    assert not findings.duplicates and not findings.lost


def test_an_attempt_partly_undone_is_half_done() -> None:
    case = _case(Scenario.REFUND_REFUSED_THEN_STORE_CREDIT, "C2")
    view = _complaint_view(
        case,
        CompensationRecord(kind="coupon", amount=Decimal("10"), reference="CP-1", undone=True),
        CompensationRecord(kind="store_credit", amount=Decimal("5"), reference="SC-1"),
        CompensationRecord(kind="store_credit", amount=Decimal("30"), reference="SC-2"),
    )
    ledger = {
        "C2": [
            _entry("C2", "resolution-1/0-coupon", "coupon", "10", "CP-1"),
            _entry("C2", "resolution-1/1-store_credit", "store_credit", "5", "SC-1"),
            _entry("C2", "resolution-1/0-coupon/undo", "coupon_void", "10", "CV-1", "CP-1"),
            _entry("C2", "resolution-2/0-store_credit", "store_credit", "30", "SC-2"),
        ]
    }
    findings = Findings()
    check_complaint_money(case, view, _snapshot(ledger=ledger), findings)
    assert findings.half_done == 1


def test_a_return_that_claims_more_refunded_than_was_paid_lost_a_refund() -> None:
    case = _case(Scenario.RETURN_SETTLEMENT_RETRIED, "R1")
    view = ReturnView.model_validate(
        {
            "return_id": "R1",
            "status": "completed",
            "created_at": NOW,
            "updated_at": NOW,
            "request": case.body,
            "refunded_total": "100.00",
        }
    )
    ledger = {
        "return-R1": [
            _entry("return-R1", "refund/a", "refund", "80", "RF-1"),
            _entry("return-R1", "refund/a/undo", "refund_reversal", "80", "RR-1", "RF-1"),
            _entry("return-R1", "refund/b", "refund", "20", "RF-2"),
        ]
    }
    findings = Findings()
    check_return_money(case, view, _snapshot(ledger=ledger), findings)
    assert findings.lost["refund"] == 1


def _message(ref: str, seq: int, template: str) -> OutboxMessage:
    return OutboxMessage(
        idempotency_key=f"{ref}/{seq}/{template}/cust",
        complaint_id=ref,
        template=template,
        locale="en",
        recipient_kind="customer",
        recipient_id="cust",
        subject="",
        body="",
    )


def test_messages_are_lost_or_duplicated_by_the_event_that_caused_them() -> None:
    case = _case(Scenario.STORE_CREDIT, "C3")
    timeline = {
        "C3": [Event(1, "received", ""), Event(2, "acknowledged", ""), Event(3, "resolved", "")]
    }
    # The acknowledgement is there, the outcome is not, and an extra message hangs off the
    # intake, which sends none.
    outbox = {"C3": [_message("C3", 2, "acknowledgement"), _message("C3", 1, "acknowledgement")]}
    findings = Findings()
    check_messages(case, 3, _snapshot(timelines=timeline, outbox=outbox), findings)
    assert findings.lost["notification"] == 1
    assert findings.duplicates["notification"] == 1


def test_a_courier_event_the_workflow_took_twice_is_a_duplicate() -> None:
    case = _case(Scenario.RETURN_REFUND, "R2")
    view = ReturnView.model_validate(
        {
            "return_id": "R2",
            "status": "completed",
            "created_at": NOW,
            "updated_at": NOW,
            "request": case.body,
            "return_parcel": {
                "parcel_id": "PCL-1",
                "tracking_number": "SBX1",
                "carrier": "sandbox",
                "direction": "return",
            },
        }
    )
    parcel = SandboxParcel(
        parcel_id="PCL-1", idempotency_key="k", tracking_number="SBX1", direction="return",
        return_id="R2", customer_id="cust", items_json="[]", status="delivered", fate="deliver",
    )  # fmt: skip
    sent = [
        SandboxParcelEvent(
            event_id=f"E{n}",
            parcel_id="PCL-1",
            seq=n,
            status=status,
            at=NOW,
            delivered_to_webhook=True,
        )
        for n, status in enumerate(["label_created", "delivered"])
    ]
    received = [
        ReceivedCourierEvent(
            event_id=e.event_id, parcel_id="PCL-1", return_id="R2", status=e.status
        )
        for e in sent
    ]
    timeline = {
        "return-R2": [
            Event(1, "tracking", "label_created: label (SBX1)"),
            Event(2, "tracking", "delivered: at the warehouse (SBX1)"),
            Event(3, "tracking", "delivered: at the warehouse (SBX1)"),
        ]
    }
    findings = Findings()
    snapshot = _snapshot(
        parcels={"R2": [parcel]}, parcel_events={"PCL-1": sent},
        received_events={"PCL-1": received}, timelines=timeline,
    )  # fmt: skip
    check_parcels(case, view, snapshot, findings)
    assert findings.duplicates["courier event"] == 1
    assert not findings.lost
