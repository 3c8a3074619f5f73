"""Compensation: what an agent proposes, and the requests sent to providers to carry it out."""

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from domain.client_input import ClientInput
from domain.money import Amount, Currency
from domain.taxonomy import RootCause

MAX_COMPENSATION_STEPS = 5
MAX_REPLACEMENT_ITEMS = 20


class CompensationKind(StrEnum):
    REFUND = "refund"
    REPLACEMENT = "replacement"
    COUPON = "coupon"
    STORE_CREDIT = "store_credit"


class ReplacementItem(ClientInput):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=100)


class Compensation(ClientInput):
    """One step of a resolution; a replacement carries items, the others an amount."""

    model_config = ConfigDict(extra="forbid")

    kind: CompensationKind
    amount: Amount = Decimal("0")
    items: list[ReplacementItem] = Field(default_factory=list, max_length=MAX_REPLACEMENT_ITEMS)


class ReturnPlanLine(ClientInput):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=10_000)
    exchange_sku: str | None = Field(default=None, min_length=1, max_length=64)
    product_category: str = Field(default="general", min_length=1, max_length=40)


class ReturnPlan(ClientInput):
    """Goods to take back as part of a resolution: the complaint starts a return for them
    and closes when the return closes."""

    model_config = ConfigDict(extra="forbid")

    lines: list[ReturnPlanLine] = Field(min_length=1, max_length=MAX_REPLACEMENT_ITEMS)
    outcome: Literal["refund", "exchange", "store_credit"] = "refund"


class ResolutionProposal(ClientInput):
    """A resolution: its compensation steps run in order as a saga; none means apology only.

    `final=False` keeps the complaint open afterwards (for example a first partial refund).
    """

    model_config = ConfigDict(extra="forbid")

    compensations: list[Compensation] = Field(
        default_factory=list, max_length=MAX_COMPENSATION_STEPS
    )
    message: str = Field(min_length=1, max_length=5000)
    root_cause: RootCause | None = None
    final: StrictBool = True
    return_plan: ReturnPlan | None = None

    def total_amount(self) -> Decimal:
        """Returns the money value of the proposal (refunds, coupons and credit)."""
        return sum((c.amount for c in self.compensations), Decimal("0"))

    def refund_amount(self) -> Decimal:
        """Returns the part of the proposal paid back to the customer's payment method."""
        return sum(
            (c.amount for c in self.compensations if c.kind is CompensationKind.REFUND),
            Decimal("0"),
        )


class CompensationRequest(BaseModel):
    """Asks a provider for one compensation step; `idempotency_key` makes a retry harmless."""

    idempotency_key: str
    complaint_id: str
    customer_id: str
    kind: CompensationKind
    amount: Amount = Decimal("0")
    currency: Currency = "CNY"
    payment_id: str | None = None
    # What the customer paid on `payment_id`: providers refuse refunds above it.
    paid_amount: Amount | None = None
    order_id: str | None = None
    items: list[ReplacementItem] = Field(default_factory=list)


class CompensationReceipt(BaseModel):
    """Returns the provider's reference for a step that was carried out."""

    idempotency_key: str
    kind: CompensationKind
    reference: str
    amount: Amount = Decimal("0")


class UndoRequest(BaseModel):
    """Asks a provider to undo a step it carried out (reverse a refund, void a coupon...)."""

    idempotency_key: str
    receipt: CompensationReceipt


class DuplicateChargeQuery(BaseModel):
    payment_id: str
    order_id: str | None = None


class DuplicateChargeResult(BaseModel):
    """Returns whether the provider sees the payment captured twice, and the surplus."""

    duplicated: bool
    surplus: Amount = Decimal("0")
