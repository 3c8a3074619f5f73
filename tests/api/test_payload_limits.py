"""Every request the API takes stays far below Temporal's payload limits.

Temporal refuses a payload over 2 MB and warns from 512 KB. Each request body becomes a
workflow input, an update or a signal, and the workflow's state carries the start input
again, so each one, filled to every field limit with the widest characters there are, must
stay within PAYLOAD_BUDGET; and the API's body limit must still admit it, however its JSON
is escaped.
"""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import BaseModel

from api.body_limit import MAX_REQUEST_BODY_BYTES
from domain.compensation import (
    MAX_COMPENSATION_STEPS,
    MAX_REPLACEMENT_ITEMS,
    Compensation,
    CompensationKind,
    ReplacementItem,
    ResolutionProposal,
    ReturnPlan,
    ReturnPlanLine,
)
from domain.complaints import (
    MAX_DESCRIPTION_CHARS,
    MAX_EVIDENCE_URLS,
    MAX_ORDER_ITEMS,
    AgentAction,
    ComplaintInput,
    ComplaintIntake,
    Customer,
    CustomerMessage,
    OrderItem,
    OrderReference,
    ProposeResolutionAction,
)
from domain.customer_contact import CustomerChannel
from domain.policy_document import (
    MAX_AUTO_RULES,
    MAX_CATEGORIES,
    MAX_RULE_COMPENSATIONS,
    MAX_RULE_MESSAGE_CHARS,
    PolicyDocument,
    policy_problems,
    shipped_policy,
)
from domain.returns import (
    MAX_RETURN_LINES,
    MAX_RETURN_ORDER_ITEMS,
    MAX_RETURN_ORDERS,
    Address,
    InspectedLine,
    InspectionReport,
    ReturnInput,
    ReturnLine,
    ReturnOrder,
    ReturnRequest,
    TrackingEvent,
)
from domain.taxonomy import Locale

# Half of Temporal's warning level: the start input and its copy in the state fit in it.
PAYLOAD_BUDGET = 256 * 1024

# A control character is 6 bytes in JSON ("\u0001"); an emoji 4 in UTF-8, 12 escaped.
WIDEST = ["\x01", "\U0001f600"]
ID = "i" * 64  # identifiers, SKUs: ASCII by their pattern
URL = "https://" + "u" * 1992
MONEY = Decimal("999999999999.99")
AT = datetime(2026, 5, 6, tzinfo=UTC)


def _customer(char: str) -> Customer:
    return Customer(
        id=ID,
        name=char * 200,
        email="a@" + "b" * 240 + ".cn",
        phone="+" + "1" * 15,
        platform_user_id="p" * 128,
        preferred_channel=CustomerChannel.PLATFORM,
    )


def _order(char: str, items: int) -> dict[str, object]:
    item = OrderItem(sku=ID, name=char * 200, price=MONEY, quantity=10_000)
    return {
        "order_id": ID,
        "items": [item] * items,
        "paid_amount": MONEY,
        "payment_id": ID,
        "tracking_number": char * 64,
    }


def _intake(char: str) -> ComplaintIntake:
    return ComplaintIntake(
        channel="web",
        customer=_customer(char),
        order=OrderReference.model_validate(_order(char, MAX_ORDER_ITEMS)),
        description=char * MAX_DESCRIPTION_CHARS,
        evidence_urls=[URL] * MAX_EVIDENCE_URLS,
    )


def _return_request(char: str) -> ReturnRequest:
    per_order = MAX_RETURN_ORDER_ITEMS // MAX_RETURN_ORDERS
    line = ReturnLine(
        order_id=ID, sku=ID, quantity=10_000, product_category=char * 40, exchange_sku=ID
    )
    address = Address(
        name=char * 100,
        phone="+" + "1" * 31,
        line1=char * 200,
        line2=char * 200,
        city=char * 100,
        region=char * 100,
        postcode=char * 20,
    )
    return ReturnRequest(
        customer=_customer(char),
        orders=[ReturnOrder.model_validate(_order(char, per_order))] * MAX_RETURN_ORDERS,
        lines=[line] * MAX_RETURN_LINES,
        reason="defective",
        description=char * MAX_DESCRIPTION_CHARS,
        evidence_urls=[URL] * MAX_EVIDENCE_URLS,
        pickup_address=address,
        complaint_id=ID,
    )


def _proposal(char: str) -> AgentAction:
    replacement = Compensation(
        kind="replacement",
        amount=MONEY,
        items=[ReplacementItem(sku=ID, quantity=100)] * MAX_REPLACEMENT_ITEMS,
    )
    plan_line = ReturnPlanLine(sku=ID, quantity=10_000, exchange_sku=ID, product_category=char * 40)
    proposal = ResolutionProposal(
        compensations=[replacement] * MAX_COMPENSATION_STEPS,
        message=char * 5000,
        return_plan=ReturnPlan(lines=[plan_line] * MAX_REPLACEMENT_ITEMS),
    )
    return AgentAction(actor=ID, action=ProposeResolutionAction(proposal=proposal))


def _largest_policy() -> PolicyDocument:
    """Returns the largest policy an admin can save (`domain.policy_document`'s bounds):
    every rule, message and category at its limit. Messages take the widest characters a
    rule's message may hold (control characters are refused)."""
    policy = shipped_policy()
    rule = policy.complaints.auto_resolution_rules[0]
    coupon = Compensation(kind=CompensationKind.COUPON, amount=Decimal("999999999999.99"))
    policy.complaints.auto_resolution_rules = [
        rule.model_copy(
            update={
                "name": f"{number}".ljust(64, "r"),
                "compensations": [coupon] * MAX_RULE_COMPENSATIONS,
                "message": {locale: "\U0001f600" * MAX_RULE_MESSAGE_CHARS for locale in Locale},
                "max_paid_amount": Decimal("999999999999.99"),
            }
        )
        for number in range(MAX_AUTO_RULES)
    ]
    windows = policy.returns.windows
    names = [f"{number:03d}".ljust(40, "c") for number in range(MAX_CATEGORIES)]
    windows.days_by_category = dict.fromkeys(names, 365)
    windows.non_returnable = names
    assert policy_problems(policy) == []
    return policy


def _largest_bodies(char: str) -> dict[str, BaseModel]:
    """Returns each kind of input the API hands a workflow, at every field limit, under
    the largest policy."""
    policy = _largest_policy()
    return {
        "complaint start": ComplaintInput(
            complaint_id=ID,
            intake=_intake(char),
            received_at=AT,
            policy=policy.complaints,
            return_policy=policy.returns,
            policy_version=2**31 - 1,
        ),
        "return start": ReturnInput(
            return_id=ID,
            request=_return_request(char),
            received_at=AT,
            policy=policy.returns,
            policy_version=2**31 - 1,
        ),
        "customer message": CustomerMessage(
            message=char * MAX_DESCRIPTION_CHARS, evidence_urls=[URL] * MAX_EVIDENCE_URLS
        ),
        "agent proposal": _proposal(char),
        "inspection": InspectionReport(
            inspector=ID,
            verdict="partial",
            lines=[InspectedLine(sku=ID, accepted_quantity=10_000)] * MAX_RETURN_LINES,
            note=char * 1000,
        ),
        "courier event": TrackingEvent(
            event_id=char * 100,
            parcel_id=char * 64,
            tracking_number=char * 64,
            status="in_transit",
            at=AT,
            detail=char * 500,
        ),
    }


@pytest.mark.parametrize("char", WIDEST, ids=["control-chars", "emoji"])
def test_every_workflow_input_at_its_limits_fits_the_budget(char: str) -> None:
    sizes = {name: len(body.model_dump_json()) for name, body in _largest_bodies(char).items()}

    too_big = {name: size for name, size in sizes.items() if size > PAYLOAD_BUDGET}
    assert not too_big, f"over {PAYLOAD_BUDGET} bytes at the field limits: {too_big}"


@pytest.mark.parametrize("char", WIDEST, ids=["control-chars", "emoji"])
def test_the_body_limit_admits_every_valid_request_however_escaped(char: str) -> None:
    for name, body in _largest_bodies(char).items():
        # ensure_ascii writes an emoji as a surrogate pair: 12 bytes for one character.
        sent = json.dumps(body.model_dump(mode="json"), ensure_ascii=True).encode()
        assert len(sent) < MAX_REQUEST_BODY_BYTES, f"{name}: {len(sent)} bytes"


def test_a_return_takes_at_most_one_orders_worth_of_items() -> None:
    request = _return_request("x").model_dump()
    request["orders"][0]["items"] *= 2

    with pytest.raises(ValueError, match=f"at most {MAX_RETURN_ORDER_ITEMS}"):
        ReturnRequest.model_validate(request)
