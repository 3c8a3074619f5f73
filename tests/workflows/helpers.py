"""Building complaints and reading what Redress did, for workflow tests."""

from decimal import Decimal
from typing import Any

from sqlmodel import select

from domain.compensation import Compensation, CompensationKind, ResolutionProposal
from domain.complaints import (
    AgentAction,
    ComplaintIntake,
    ProposeResolutionAction,
)
from domain.taxonomy import RootCause
from store.db import SessionFactory
from store.tables.ledger import LedgerEntry
from store.tables.outbox import OutboxMessage


def intake(
    description: str,
    *,
    paid: str | None = "120.00",
    customer_tier: str = "regular",
    locale: str = "en",
    customer_id: str = "cust-1001",
    payment_id: str = "PAY-1001",
) -> ComplaintIntake:
    """Returns a web complaint, with an order of two lines unless `paid` is None."""
    data: dict[str, Any] = {
        "channel": "web",
        "customer": {
            "id": customer_id,
            "tier": customer_tier,
            "locale": locale,
            "name": "Lin Wei",
            "email": "lin.wei@example.com",
        },
        "description": description,
    }
    if paid is not None:
        data["order"] = {
            "order_id": "ORD-77",
            "items": [
                {"sku": "KETTLE-1", "price": paid, "quantity": 1},
                {"sku": "FILTER-2", "price": "0.00", "quantity": 1},
            ],
            "paid_amount": paid,
            "currency": "CNY",
            "payment_id": payment_id,
        }
    return ComplaintIntake.model_validate(data)


def propose(actor: str, *steps: tuple[CompensationKind, str], final: bool = True) -> AgentAction:
    """Returns an agent's proposal of the given (kind, amount) steps."""
    return AgentAction(
        actor=actor,
        action=ProposeResolutionAction(
            proposal=ResolutionProposal(
                compensations=[
                    Compensation(kind=kind, amount=Decimal(amount)) for kind, amount in steps
                ],
                message="We are sorry; here is what we will do.",
                root_cause=RootCause.SUPPLIER_DEFECT,
                final=final,
            )
        ),
    )


def ledger(sessions: SessionFactory, complaint_id: str) -> list[tuple[str, Decimal]]:
    """Returns (kind, amount) of the sandbox ledger's entries for a complaint, in order."""
    with sessions() as session:
        rows = session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.complaint_id == complaint_id)
            .order_by(LedgerEntry.id)  # type: ignore[arg-type]
        ).all()
        return [(str(row.kind), row.amount) for row in rows]


def outbox(sessions: SessionFactory, complaint_id: str) -> list[tuple[str, str]]:
    """Returns (template, recipient id) of every message sent about a complaint, in order."""
    with sessions() as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.complaint_id == complaint_id)
            .order_by(OutboxMessage.id)  # type: ignore[arg-type]
        ).all()
        return [(str(row.template), row.recipient_id) for row in rows]
