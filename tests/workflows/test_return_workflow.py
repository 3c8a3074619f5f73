"""Return workflows on the time-skipping server, one test per path: tracking events are
sent as the courier webhook would send them."""

import asyncio
import random
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from activities.faults import FaultPlan
from domain.compensation import (
    CompensationKind,
    ResolutionProposal,
    ReturnPlan,
    ReturnPlanLine,
)
from domain.complaints import AgentAction, ComplaintStatus, ProposeResolutionAction
from domain.money import Money
from domain.playbook_plans import PlaybookPlan
from domain.return_policy import return_case_policy
from domain.returns import (
    ConsentDecision,
    InspectedLine,
    InspectionReport,
    InspectionVerdict,
    ReturnEventKind,
    ReturnInput,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
    ReturnView,
    ReviewDecision,
    TrackingEvent,
    TrackingStatus,
    return_workflow_id,
)
from domain.taxonomy import Locale, RootCause
from store.db import SessionFactory
from store.tables.couriers import CarrierClaim, SandboxParcel
from store.tables.outbox import OutboxMessage
from store.tables.returns import StockMovement
from tests.workflows.conftest import Redress, open_redress
from tests.workflows.helpers import intake as complaint_intake
from tests.workflows.helpers import ledger, outbox
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow

RECENTLY = datetime.now(UTC) - timedelta(days=2)


def return_request(
    *,
    reason: str = "changed_mind",
    outcome: str = "refund",
    evidence: bool = False,
    quantity: int = 1,
    exchange_sku: str | None = None,
    pickup: bool = False,
) -> ReturnRequest:
    data: dict[str, Any] = {
        "customer": {"id": "cust-2002", "tier": "regular", "locale": "en", "name": "Ana Li"},
        "orders": [
            {
                "order_id": "ORD-500",
                "items": [
                    {"sku": "SHOE-42", "price": "80.00", "quantity": 2},
                    {"sku": "SOCK-1", "price": "20.00", "quantity": 1},
                ],
                "paid_amount": "180.00",
                "currency": "CNY",
                "payment_id": "PAY-500",
                "delivered_at": RECENTLY.isoformat(),
            }
        ],
        "lines": [
            {
                "order_id": "ORD-500",
                "sku": "SHOE-42",
                "quantity": quantity,
                "product_category": "apparel",
                "exchange_sku": exchange_sku,
            }
        ],
        "reason": reason,
        "preferred_outcome": outcome,
    }
    if evidence:
        data["evidence_urls"] = ["https://img.example/parcel.jpg"]
    if pickup:
        data["pickup_address"] = {
            "name": "Ana Li",
            "phone": "+86 138 0000 0000",
            "line1": "1 Garden Road",
            "city": "Hangzhou",
        }
    return ReturnRequest.model_validate(data)


async def start_return(redress: Redress, request: ReturnRequest) -> WorkflowHandle[Any, ReturnView]:
    return_id = "R" + uuid.uuid4().hex[:12].upper()
    redress.started.append(return_workflow_id(return_id))
    return await redress.client.start_workflow(
        ReturnWorkflow.run,
        ReturnInput(return_id=return_id, request=request, policy=return_case_policy()),
        id=return_workflow_id(return_id),
        task_queue=redress.queue,
    )


async def until(redress: Redress, handle: Any, accept: Any, what: str) -> ReturnView:
    """Polls the return's live view (in real time) until `accept` holds; a return a
    complaint is still starting is waited for."""
    view: ReturnView | None = None
    for _ in range(300):
        try:
            view = await handle.query(ReturnWorkflow.view)
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise
        if view is not None and accept(view):
            return view
        await asyncio.sleep(0.05)
    seen = f"{view.status} {view.timeline}" if view else "no such workflow"
    raise AssertionError(f"return never reached {what}: {seen}")


async def until_status(redress: Redress, handle: Any, status: ReturnStatus) -> ReturnView:
    return await until(redress, handle, lambda v: v.status is status, status.value)


async def track(
    redress: Redress,
    handle: Any,
    view: ReturnView,
    *statuses: TrackingStatus,
    outbound: bool = False,
) -> None:
    """Moves the sandbox courier's parcel and sends its events, as the webhook would."""
    parcel = view.outbound_parcel if outbound else view.return_parcel
    assert parcel is not None
    for status in statuses:
        with redress.sessions() as session:
            row = session.get(SandboxParcel, parcel.parcel_id)
            assert row is not None
            row.status = status
            session.add(row)
            session.commit()
        await handle.signal(
            ReturnWorkflow.courier_event,
            TrackingEvent(
                event_id=f"{parcel.parcel_id}-{status}",
                parcel_id=parcel.parcel_id,
                tracking_number=parcel.tracking_number,
                status=status,
                at=datetime.now(UTC),
            ),
        )


async def ship_to_warehouse(redress: Redress, handle: Any) -> ReturnView:
    view = await until(redress, handle, lambda v: v.return_parcel is not None, "a label")
    await track(
        redress,
        handle,
        view,
        TrackingStatus.PICKED_UP,
        TrackingStatus.IN_TRANSIT,
        TrackingStatus.DELIVERED,
    )
    return await until_status(redress, handle, ReturnStatus.AWAITING_INSPECTION)


async def deliver_exchange(redress: Redress, handle: Any) -> ReturnView:
    view = await until_status(redress, handle, ReturnStatus.EXCHANGE_IN_TRANSIT)
    await track(
        redress, handle, view, TrackingStatus.PICKED_UP, TrackingStatus.DELIVERED, outbound=True
    )
    final: ReturnView = await handle.result()
    return final


def inspection(verdict: InspectionVerdict, *lines: tuple[str, int]) -> InspectionReport:
    return InspectionReport(
        inspector="wh-7",
        verdict=verdict,
        lines=[InspectedLine(sku=sku, accepted_quantity=qty) for sku, qty in lines],
    )


def restocked(sessions: SessionFactory, return_id: str) -> list[tuple[str, int]]:
    with sessions() as session:
        rows = session.exec(select(StockMovement).where(StockMovement.return_id == return_id))
        return [(row.sku, row.quantity) for row in rows]


async def test_happy_return_is_refunded_and_restocked(redress: Redress) -> None:
    handle = await start_return(redress, return_request(quantity=2))
    view = await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    final = await handle.result()
    assert final.status is ReturnStatus.COMPLETED
    assert final.refunded_total == Decimal("160.00")
    key = f"return-{final.return_id}"
    assert ledger(redress.sessions, key) == [("refund", Decimal("160.00"))]
    assert restocked(redress.sessions, final.return_id) == [("SHOE-42", 2)]
    templates = [t for t, _ in outbox(redress.sessions, key)]
    assert templates[:2] == ["return_received", "return_label"]
    assert templates[-2:] == ["return_refunded", "return_completed"]
    assert view.last_tracking is TrackingStatus.DELIVERED
    with redress.sessions() as session:
        to_warehouse = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.complaint_id == key,
                OutboxMessage.template == "return_inspection_requested",
            )
        ).one()
    # The customer reads English in UTC; the warehouse reads its own time.
    assert to_warehouse.locale == "zh-CN" and " +0800" in to_warehouse.body


async def test_repeated_courier_events_are_taken_once(redress: Redress) -> None:
    handle = await start_return(redress, return_request())
    view = await until(redress, handle, lambda v: v.return_parcel is not None, "a label")
    await track(redress, handle, view, TrackingStatus.PICKED_UP, TrackingStatus.PICKED_UP)
    view = await until_status(redress, handle, ReturnStatus.IN_TRANSIT)
    await track(redress, handle, view, TrackingStatus.PICKED_UP)
    view = await handle.query(ReturnWorkflow.view)
    assert [e.kind for e in view.timeline].count(ReturnEventKind.TRACKING) == 1


async def test_exchange_ships_the_other_variant(redress: Redress) -> None:
    handle = await start_return(
        redress, return_request(outcome="exchange", exchange_sku="SHOE-43", pickup=True)
    )
    view = await until(redress, handle, lambda v: v.return_parcel is not None, "pickup")
    assert view.return_parcel and view.return_parcel.pickup_booked
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    final = await deliver_exchange(redress, handle)
    assert final.status is ReturnStatus.COMPLETED
    assert final.outbound_parcel is not None
    assert ledger(redress.sessions, f"return-{final.return_id}") == []
    assert sorted(restocked(redress.sessions, final.return_id)) == [
        ("SHOE-42", 1),
        ("SHOE-43", -1),
    ], "the returned pair is restocked and the exchanged one reserved"
    with redress.sessions() as session:
        parcel = session.get(SandboxParcel, final.outbound_parcel.parcel_id)
        assert parcel is not None and "SHOE-43" in parcel.items_json


async def test_store_credit_outcome(redress: Redress) -> None:
    handle = await start_return(redress, return_request(outcome="store_credit"))
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    final = await handle.result()
    assert final.store_credit_total == Decimal("80.00")
    assert ledger(redress.sessions, f"return-{final.return_id}") == [
        ("store_credit", Decimal("80.00"))
    ]


async def test_never_shipped_return_is_reminded_then_cancelled(redress: Redress) -> None:
    handle = await start_return(redress, return_request())
    final = await handle.result()  # the time-skipping server runs the 8 days
    assert final.status is ReturnStatus.CANCELLED
    kinds = [e.kind for e in final.timeline]
    assert "ship_reminder" in kinds and kinds[-1] == "cancelled"
    assert final.return_parcel is not None
    with redress.sessions() as session:
        parcel = session.get(SandboxParcel, final.return_parcel.parcel_id)
        assert parcel is not None and parcel.status == "cancelled"
    assert ledger(redress.sessions, f"return-{final.return_id}") == []


async def test_parcel_lost_in_transit_is_traced_refunded_and_claimed(redress: Redress) -> None:
    handle = await start_return(redress, return_request())
    view = await until(redress, handle, lambda v: v.return_parcel is not None, "a label")
    await track(redress, handle, view, TrackingStatus.PICKED_UP)
    final = await handle.result()  # no more scans: a trace, then given up as lost
    kinds = [e.kind for e in final.timeline]
    assert "trace_opened" in kinds
    assert final.status is ReturnStatus.COMPLETED
    assert final.root_cause is RootCause.CARRIER
    assert final.refunded_total == Decimal("80.00")
    assert final.claim is not None and final.claim.amount == Decimal("80.00")


async def test_inspection_rejects_goods_damaged_by_the_customer(redress: Redress) -> None:
    handle = await start_return(redress, return_request())
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.DAMAGED_BY_CUSTOMER)
    )
    final = await handle.result()
    assert final.status is ReturnStatus.COMPLETED
    assert final.refunded_total == 0
    assert ledger(redress.sessions, f"return-{final.return_id}") == []
    assert restocked(redress.sessions, final.return_id) == []


async def test_partial_inspection_refunds_what_was_accepted(redress: Redress) -> None:
    handle = await start_return(redress, return_request(quantity=2))
    await ship_to_warehouse(redress, handle)
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            ReturnWorkflow.report_inspection,
            inspection(InspectionVerdict.PARTIAL, ("SHOE-42", 3)),
        )
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.PARTIAL, ("SHOE-42", 1))
    )
    final = await handle.result()
    assert final.refunded_total == Decimal("80.00")
    assert restocked(redress.sessions, final.return_id) == [("SHOE-42", 1)]


async def test_wrong_item_playbook(redress: Redress) -> None:
    handle = await start_return(redress, return_request(reason="wrong_item", evidence=True))
    view = await until_status(redress, handle, ReturnStatus.AWAITING_CONSENT)
    # The plan is data on the view; the customer's message words it in their language.
    coupon = Money(amount=Decimal("10.00"), currency="CNY")
    assert view.plan == PlaybookPlan(reason=ReturnReason.WRONG_ITEM, amount=coupon)
    proposed = await until_sent(redress, view.return_id, "return_plan_proposed")
    assert "we sent the wrong item" in proposed and "apology coupon worth CN¥10.00" in proposed
    await handle.execute_update(ReturnWorkflow.give_consent, ConsentDecision(accepted=True))
    await ship_to_warehouse(redress, handle)
    report = inspection(InspectionVerdict.ACCEPTED).model_copy(
        update={"root_cause": RootCause.LABEL}
    )
    await handle.execute_update(ReturnWorkflow.report_inspection, report)
    final = await deliver_exchange(redress, handle)
    assert final.root_cause is RootCause.LABEL, "the warehouse's finding is kept"
    assert final.outbound_parcel is not None, "the right item is shipped"
    assert ledger(redress.sessions, f"return-{final.return_id}") == [("coupon", Decimal("10.00"))]
    templates = [t for t, _ in outbox(redress.sessions, f"return-{final.return_id}")]
    assert "return_plan_proposed" in templates and "exchange_shipped" in templates


async def test_transit_damage_playbook_claims_from_the_carrier(redress: Redress) -> None:
    handle = await start_return(redress, return_request(reason="damaged_in_transit", evidence=True))
    await until_status(redress, handle, ReturnStatus.AWAITING_CONSENT)
    await handle.execute_update(ReturnWorkflow.give_consent, ConsentDecision(accepted=True))
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    final = await handle.result()
    assert final.root_cause is RootCause.CARRIER
    assert final.refunded_total == Decimal("80.00")
    with redress.sessions() as session:
        claims = session.exec(
            select(CarrierClaim).where(CarrierClaim.return_id == final.return_id)
        ).all()
    assert [claim.amount for claim in claims] == [Decimal("80.00")]


async def test_permanent_refund_failure_is_undone_and_handed_to_a_person(
    time_skipping_env: WorkflowEnvironment, sessions: SessionFactory
) -> None:
    declines = FaultPlan(decline_kinds={CompensationKind.COUPON})
    async with open_redress(time_skipping_env, sessions, declines) as redress:
        handle = await start_return(redress, return_request(reason="wrong_item", evidence=True))
        await until_status(redress, handle, ReturnStatus.AWAITING_CONSENT)
        await handle.execute_update(ReturnWorkflow.give_consent, ConsentDecision(accepted=True))
        await ship_to_warehouse(redress, handle)
        await handle.execute_update(
            ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
        )
        supervisor_told = ("return_needs_person", "returns-supervisor")
        # The view changes first; the message goes out in the same turn, just after.
        view = await until(
            redress,
            handle,
            lambda v: (
                v.needs_person and supervisor_told in outbox(sessions, f"return-{v.return_id}")
            ),
            "a person told",
        )
        assert view.status is ReturnStatus.SETTLING
        assert view.outbound_parcel is None
        with sessions() as session:
            parcels = session.exec(
                select(SandboxParcel).where(SandboxParcel.return_id == view.return_id)
            ).all()
        outbound = [p for p in parcels if p.direction == "outbound"]
        assert [p.status for p in outbound] == ["cancelled"], "the exchange was called back"
        assert restocked(sessions, view.return_id) == [("SHOE-42", -1), ("SHOE-42", 1)]


async def test_manual_review_approved(redress: Redress) -> None:
    # Transit damage without photos does not match its reason: a person looks first.
    handle = await start_return(redress, return_request(reason="defective"))
    await until_status(redress, handle, ReturnStatus.UNDER_REVIEW)
    await handle.execute_update(
        ReturnWorkflow.decide_review, ReviewDecision(reviewer="sup-r", approved=True)
    )
    view = await until(redress, handle, lambda v: v.return_parcel is not None, "a label")
    assert view.status is ReturnStatus.AWAITING_SHIPMENT


async def test_manual_review_denied(redress: Redress) -> None:
    handle = await start_return(redress, return_request(reason="defective"))
    await until_status(redress, handle, ReturnStatus.UNDER_REVIEW)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            ReturnWorkflow.decide_review, ReviewDecision(reviewer="sup-r", approved=False)
        )
    assert isinstance(refused.value.cause, ApplicationError)
    await handle.execute_update(
        ReturnWorkflow.decide_review,
        ReviewDecision(reviewer="sup-r", approved=False, reason="Photos show wear"),
    )
    final = await handle.result()
    assert final.status is ReturnStatus.REJECTED
    assert ("return_rejected", "cust-2002") in outbox(redress.sessions, f"return-{final.return_id}")


async def until_sent(redress: Redress, return_id: str, template: str) -> str:
    """Returns the text of the return's `template` message, once the activity wrote it."""
    for _ in range(100):
        with redress.sessions() as session:
            message = session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.complaint_id == f"return-{return_id}",
                    OutboxMessage.template == template,
                )
            ).first()
        if message is not None:
            return message.body
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {template} message about return {return_id}")


async def test_ineligible_request_is_rejected_with_reasons(redress: Redress) -> None:
    request = return_request()
    request.lines[0].product_category = "food"
    handle = await start_return(redress, request)
    final = await handle.result()
    assert final.status is ReturnStatus.REJECTED
    food = (
        "Line 1 (order ORD-500, SKU SHOE-42): food items cannot be returned unless they "
        "arrived wrong, damaged or defective."
    )
    # In English for logs and the API; the message words the reasons from their codes.
    assert final.eligibility and final.eligibility.reasons == [food]
    assert f"for the following reasons:\n\n{food}\n" in await until_sent(
        redress, final.return_id, "return_rejected"
    )


async def start_complaint_resolved_by_a_return(
    redress: Redress,
) -> tuple[WorkflowHandle[Any, Any], WorkflowHandle[Any, ReturnView]]:
    """Opens a kettle complaint (with a photo) and resolves it by a return of the kettle;
    returns the complaint and its return, once the return's label is out."""
    intake = complaint_intake(
        "The kettle stopped working after two days, it does not heat at all.", paid="120.00"
    ).model_copy(update={"evidence_urls": ["https://img.example/kettle.jpg"]})
    complaint = await redress.start(intake)
    return complaint, await resolve_by_a_return_of_the_kettle(redress, complaint)


async def resolve_by_a_return_of_the_kettle(
    redress: Redress, complaint: WorkflowHandle[Any, Any]
) -> WorkflowHandle[Any, ReturnView]:
    """Resolves the kettle complaint by a return of the kettle; returns the return once
    its label is out."""
    await redress.until_status(complaint, ComplaintStatus.OPEN)
    await complaint.execute_update(
        ComplaintWorkflow.act,
        AgentAction(
            actor="agent-quality-1",
            action=ProposeResolutionAction(
                proposal=ResolutionProposal(
                    message="Please send the kettle back; we will refund it.",
                    return_plan=ReturnPlan(lines=[ReturnPlanLine(sku="KETTLE-1", quantity=1)]),
                )
            ),
        ),
    )
    view = await redress.until(complaint, lambda v: bool(v.return_ids), "a return")
    child = redress.client.get_workflow_handle_for(
        ReturnWorkflow.run, return_workflow_id(view.return_ids[0])
    )
    redress.started.append(child.id)
    await until(redress, child, lambda v: v.return_parcel is not None, "a label")
    return child


async def test_complaint_resolved_by_a_return_closes_when_the_return_closes(
    redress: Redress,
) -> None:
    complaint, child = await start_complaint_resolved_by_a_return(redress)
    complaint_id = complaint.id.removeprefix("complaint-")
    await ship_to_warehouse(redress, child)
    await child.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    returned = await child.result()
    assert returned.request.complaint_id == complaint_id
    assert returned.request.reason == "defective"
    final = await complaint.result()
    assert final.status is ComplaintStatus.CLOSED
    kinds = [str(e.kind) for e in final.timeline]
    assert kinds.index("return_started") < kinds.index("return_closed") < kinds.index("closed")
    assert ledger(redress.sessions, f"return-{returned.return_id}") == [
        ("refund", Decimal("120.00"))
    ]


async def test_permanent_refund_failure_on_a_later_order_reverses_the_first_refund(
    redress: Redress,
) -> None:
    request = return_request()
    second = request.orders[0].model_copy(
        update={"order_id": "ORD-501", "payment_id": None, "paid_amount": Decimal("20.00")}
    )
    request = request.model_copy(
        update={
            "orders": [request.orders[0], second],
            "lines": [
                request.lines[0],
                request.lines[0].model_copy(update={"order_id": "ORD-501", "sku": "SOCK-1"}),
            ],
        }
    )
    handle = await start_return(redress, request)
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    view = await until(redress, handle, lambda v: v.needs_person, "a person")
    assert view.refunded_total == 0
    assert ledger(redress.sessions, f"return-{view.return_id}") == [
        ("refund", Decimal("80.00")),
        ("refund_reversal", Decimal("80.00")),
    ]
    kinds = [e.kind for e in view.timeline]
    assert kinds[-3:] == ["step_failed", "step_undone", "needs_person"]


async def test_refund_retried_after_lost_responses_is_paid_once(
    time_skipping_env: WorkflowEnvironment, sessions: SessionFactory
) -> None:
    # Most provider answers are lost after the ledger row is written: the activity is
    # retried, and the idempotency key must turn every retry into the same refund.
    lossy = FaultPlan(fail_after_commit_rate=0.8, rng=random.Random(11))
    async with open_redress(time_skipping_env, sessions, lossy) as redress:
        handle = await start_return(redress, return_request(quantity=2))
        await ship_to_warehouse(redress, handle)
        await handle.execute_update(
            ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
        )
        final = await handle.result()
        assert ledger(sessions, f"return-{final.return_id}") == [("refund", Decimal("160.00"))]
        history = await handle.fetch_history()
        attempts = [
            event.activity_task_started_event_attributes.attempt
            for event in history.events
            if event.HasField("activity_task_started_event_attributes")
        ]
        assert max(attempts) > 1, "the fault plan forced retries"


async def test_rejection_reaches_a_chinese_customer_in_chinese(redress: Redress) -> None:
    request = return_request()
    request.lines[0].product_category = "food"
    request.customer.locale = Locale.ZH_CN
    handle = await start_return(redress, request)
    final = await handle.result()
    with redress.sessions() as session:
        message = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.complaint_id == f"return-{final.return_id}",
                OutboxMessage.template == "return_rejected",
            )
        ).one()
    assert message.locale == "zh-CN"
    assert "SHOE-42" in message.body and "食品类" in message.body and "不支持退货" in message.body
    assert "cannot be returned" not in message.body
