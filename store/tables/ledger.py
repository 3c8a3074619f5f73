"""The sandbox payments ledger: what customers paid, and every refund, coupon and credit.

Kinds are stored as their string values (plain VARCHAR), like every enumeration in the
store, so a new kind needs no migration.
"""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, Session, SQLModel, col, select

from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS
from store.types import MONEY, UtcDateTime


class LedgerKind(StrEnum):
    REFUND = "refund"
    REFUND_REVERSAL = "refund_reversal"
    COUPON = "coupon"
    COUPON_VOID = "coupon_void"
    STORE_CREDIT = "store_credit"
    STORE_CREDIT_REVOKE = "store_credit_revoke"


def _utcnow() -> datetime:
    return datetime.now(UTC)


class LedgerEntry(SQLModel, table=True):
    """One refund, coupon or credit the sandbox carried out, or the reversal of one."""

    __tablename__ = "ledger_entries"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=MAX_IDEMPOTENCY_KEY_CHARS)
    # A `LedgerKind` value.
    kind: str = Field(max_length=32)
    complaint_id: str = Field(index=True, max_length=64)
    customer_id: str = Field(index=True, max_length=64)
    payment_id: str | None = Field(default=None, index=True, max_length=64)
    amount: Decimal = Field(sa_type=MONEY)
    currency: str = Field(max_length=3)
    # "RF-000123" (refund), "RR-" (reversal), "CP-"/"CV-" (coupon/void), "SC-"/"SR-" (credit).
    reference: str = Field(unique=True, max_length=40)
    # On reversals only: the entry they undo; unique, so an entry is undone at most once.
    reverses_reference: str | None = Field(default=None, unique=True, max_length=40)
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)


class SandboxCharge(SQLModel, table=True):
    """What a customer paid on one payment, as the sandbox provider knows it."""

    __tablename__ = "sandbox_charges"

    payment_id: str = Field(primary_key=True, max_length=64)
    order_id: str | None = Field(default=None, index=True, max_length=64)
    amount: Decimal = Field(sa_type=MONEY)
    currency: str = Field(max_length=3)
    # How many times `amount` was captured; two or more is a duplicate charge.
    captures: int = Field(default=1, ge=1)
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)

    @property
    def captured_total(self) -> Decimal:
        """Returns everything taken from the customer on this payment."""
        return self.amount * self.captures


def record_charge(
    session: Session,
    *,
    payment_id: str,
    order_id: str | None,
    amount: Decimal,
    currency: str,
    captures: int = 1,
) -> SandboxCharge:
    """Returns the charge on `payment_id`, added to `session` or updated; the caller commits."""
    charge = session.get(SandboxCharge, payment_id)
    if charge is None:
        charge = SandboxCharge(payment_id=payment_id, amount=amount, currency=currency)
    charge.order_id = order_id
    charge.amount = amount
    charge.currency = currency
    charge.captures = captures
    session.add(charge)
    session.flush()
    return charge


def refunded_amount(session: Session, *, payment_id: str) -> Decimal:
    """Returns the sum of the refunds on `payment_id` that were not reversed."""
    reversed_references = select(col(LedgerEntry.reverses_reference)).where(
        LedgerEntry.kind == LedgerKind.REFUND_REVERSAL,
        LedgerEntry.payment_id == payment_id,
        col(LedgerEntry.reverses_reference).is_not(None),
    )
    refunds = session.exec(
        select(LedgerEntry).where(
            LedgerEntry.kind == LedgerKind.REFUND,
            LedgerEntry.payment_id == payment_id,
            col(LedgerEntry.reference).not_in(reversed_references),
        )
    )
    # Summed here, not in SQL: SQLite would add the amounts as floats.
    return sum((refund.amount for refund in refunds), Decimal("0"))
