"""The cases a chaos run drives: what is asked through the API, what the sandbox gateway
knows beforehand, and what each case must end in.

Every case ends in money or goods for the customer: refunds, a replacement, store credit
(coupons ride along). Two scenarios fail on purpose first, so that compensation is undone
under fire too: the gateway captured less than the order says, so a refund is refused.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Scenario(StrEnum):
    # Complaints
    DOUBLE_CHARGE_AUTO_REFUND = "double_charge_auto_refund"
    AGENT_REFUND = "agent_refund"
    APPROVED_REFUND_AND_COUPON = "approved_refund_and_coupon"
    REPLACEMENT = "replacement"
    STORE_CREDIT = "store_credit"
    REFUND_REFUSED_THEN_STORE_CREDIT = "refund_refused_then_store_credit"
    # Returns
    RETURN_REFUND = "return_refund"
    RETURN_STORE_CREDIT_PICKUP = "return_store_credit_pickup"
    RETURN_PARTIAL_REFUND = "return_partial_refund"
    RETURN_REVIEWED_REFUND = "return_reviewed_refund"
    RETURN_PLAN_DECLINED_REFUND = "return_plan_declined_refund"
    RETURN_SETTLEMENT_RETRIED = "return_settlement_retried"


COMPLAINT_SCENARIOS = [s for s in Scenario if not s.value.startswith("return_")]
RETURN_SCENARIOS = [s for s in Scenario if s.value.startswith("return_")]

KETTLE_BROKEN = "The kettle I bought stopped working after two days, it does not heat at all."
CHARGED_TWICE = "I was charged twice for the same order, please refund the extra charge!"

# What the agent proposes in each complaint scenario (the auto-resolved one proposes none).
PROPOSED_STEPS: dict[Scenario, list[dict[str, Any]]] = {
    Scenario.AGENT_REFUND: [{"kind": "refund", "amount": "60.00"}],
    Scenario.APPROVED_REFUND_AND_COUPON: [
        {"kind": "refund", "amount": "300.00"},
        {"kind": "coupon", "amount": "20.00"},
    ],
    Scenario.REPLACEMENT: [{"kind": "replacement", "items": [{"sku": "KETTLE-1", "quantity": 1}]}],
    Scenario.STORE_CREDIT: [{"kind": "store_credit", "amount": "25.00"}],
    Scenario.REFUND_REFUSED_THEN_STORE_CREDIT: [
        {"kind": "coupon", "amount": "10.00"},
        {"kind": "refund", "amount": "80.00"},
    ],
}
# What the agent proposes after a resolution failed and was undone.
FALLBACK_STEPS: list[dict[str, Any]] = [{"kind": "store_credit", "amount": "30.00"}]


@dataclass(frozen=True)
class GatewayCharge:
    """What the sandbox gateway knows of a payment before the case starts."""

    payment_id: str
    order_id: str
    amount: Decimal
    captures: int = 1


@dataclass
class Case:
    """One complaint or return of the run, and what became of it."""

    number: int
    scenario: Scenario
    body: dict[str, Any]
    # The gateway's records set up before the case opens, and after a person "fixes" it.
    charges: list[GatewayCharge] = field(default_factory=list)
    fixed_charges: list[GatewayCharge] = field(default_factory=list)
    case_id: str | None = None
    final_status: str | None = None
    # What the driver ran into on the way (unexpected states, refusals, giving up).
    notes: list[str] = field(default_factory=list)

    @property
    def is_return(self) -> bool:
        return self.scenario in RETURN_SCENARIOS

    @property
    def idempotency_key(self) -> str:
        return f"chaos-{self.number:05d}-{self.scenario.value}"

    @property
    def path(self) -> str:
        return f"/{'returns' if self.is_return else 'complaints'}/{self.case_id}"

    @property
    def workflow_id(self) -> str:
        return f"{'return' if self.is_return else 'complaint'}-{self.case_id}"

    @property
    def ledger_case(self) -> str:
        """Returns the case id the providers file this case's entries under."""
        return f"return-{self.case_id}" if self.is_return else str(self.case_id)


def plan_cases(count: int) -> list[Case]:
    """Returns `count` cases, complaints and returns alternating, scenarios in turn."""
    cases = []
    for number in range(1, count + 1):
        pool = COMPLAINT_SCENARIOS if number % 2 else RETURN_SCENARIOS
        scenario = pool[(number // 2) % len(pool)]
        cases.append(_case(number, scenario))
    return cases


def _case(number: int, scenario: Scenario) -> Case:
    if scenario in RETURN_SCENARIOS:
        return _return_case(number, scenario)
    paid = {
        Scenario.APPROVED_REFUND_AND_COUPON: Decimal("500.00"),
        Scenario.REFUND_REFUSED_THEN_STORE_CREDIT: Decimal("150.00"),
    }.get(scenario, Decimal("120.00"))
    order = _order(number, "a", sku="KETTLE-1", price=paid)
    body: dict[str, Any] = {
        "channel": "web",
        "customer": _customer(number),
        "order": order,
        "description": CHARGED_TWICE
        if scenario is Scenario.DOUBLE_CHARGE_AUTO_REFUND
        else KETTLE_BROKEN,
        "desired_outcome": "refund",
    }
    case = Case(number, scenario, body)
    if scenario is Scenario.DOUBLE_CHARGE_AUTO_REFUND:
        case.charges = [GatewayCharge(order["payment_id"], order["order_id"], paid, captures=2)]
    if scenario is Scenario.REFUND_REFUSED_THEN_STORE_CREDIT:
        # The gateway captured only part of the payment: a larger refund is refused.
        case.charges = [GatewayCharge(order["payment_id"], order["order_id"], Decimal("20.00"))]
    return case


def _return_case(number: int, scenario: Scenario) -> Case:
    quantity = 2 if scenario is Scenario.RETURN_PARTIAL_REFUND else 1
    first = _order(number, "a", sku="SHOE-42", price=Decimal("80.00"), quantity=quantity)
    orders = [_delivered(first)]
    if scenario is Scenario.RETURN_SETTLEMENT_RETRIED:
        orders.append(_delivered(_order(number, "b", sku="SOCK-1", price=Decimal("20.00"))))
    reason = {
        Scenario.RETURN_STORE_CREDIT_PICKUP: "defective",
        Scenario.RETURN_REVIEWED_REFUND: "defective",
        Scenario.RETURN_PLAN_DECLINED_REFUND: "wrong_item",
    }.get(scenario, "changed_mind")
    body: dict[str, Any] = {
        "customer": _customer(number),
        "orders": orders,
        "lines": [
            {
                "order_id": order["order_id"],
                "sku": order["items"][0]["sku"],
                "quantity": order["items"][0]["quantity"],
                "product_category": "apparel",
            }
            for order in orders
        ],
        "reason": reason,
        "preferred_outcome": "store_credit"
        if scenario is Scenario.RETURN_STORE_CREDIT_PICKUP
        else "refund",
    }
    # Claims of a fault come with photos, except the one that must go to a person.
    if reason != "changed_mind" and scenario is not Scenario.RETURN_REVIEWED_REFUND:
        body["evidence_urls"] = [f"https://img.example/chaos-{number}.jpg"]
    if scenario is Scenario.RETURN_STORE_CREDIT_PICKUP:
        body["pickup_address"] = {
            "name": "Chaos Customer",
            "phone": "+86 138 0000 0000",
            "line1": f"{number} Garden Road",
            "city": "Hangzhou",
        }
    case = Case(number, scenario, body)
    if scenario is Scenario.RETURN_SETTLEMENT_RETRIED:
        # The second order's card was only partly captured: its refund is refused until
        # a person has it fixed, and the first order's refund must be undone meanwhile.
        second = orders[1]
        case.charges = [GatewayCharge(second["payment_id"], second["order_id"], Decimal("5.00"))]
        case.fixed_charges = [
            GatewayCharge(second["payment_id"], second["order_id"], Decimal("20.00"))
        ]
    return case


def _customer(number: int) -> dict[str, Any]:
    return {
        "id": f"chaos-cust-{number:05d}",
        "tier": "regular",
        "locale": "en" if number % 3 else "zh-CN",
        "name": f"Chaos Customer {number}",
        "email": f"customer{number}@example.com",
    }


def _order(
    number: int, suffix: str, *, sku: str, price: Decimal, quantity: int = 1
) -> dict[str, Any]:
    return {
        "order_id": f"ord-{number:05d}-{suffix}",
        "items": [{"sku": sku, "name": sku.title(), "price": str(price), "quantity": quantity}],
        "paid_amount": str(price * quantity),
        "currency": "CNY",
        "payment_id": f"pay-{number:05d}-{suffix}",
    }


def _delivered(order: dict[str, Any]) -> dict[str, Any]:
    """Returns a return's order: delivered two days ago, well inside every return window."""
    return order | {"delivered_at": (datetime.now(UTC) - timedelta(days=2)).isoformat()}


def complaint_proposal(case: Case, *, after_failure: bool) -> dict[str, Any]:
    """Returns the agent's proposal: the scenario's own, or store credit once one failed."""
    steps = FALLBACK_STEPS if after_failure else PROPOSED_STEPS[case.scenario]
    return {
        "type": "propose_resolution",
        "proposal": {
            "compensations": steps,
            "message": "We are sorry about the kettle; here is what we will do.",
            "root_cause": "supplier_defect",
        },
    }


def inspection_findings(case: Case) -> dict[str, Any]:
    """Returns what the warehouse reports: one of two pairs accepted, or everything."""
    if case.scenario is Scenario.RETURN_PARTIAL_REFUND:
        return {
            "verdict": "partial",
            "lines": [{"sku": "SHOE-42", "accepted_quantity": 1}],
            "note": "one pair worn",
        }
    return {"verdict": "accepted", "note": "as described"}
