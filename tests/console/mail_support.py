"""Mail for the console's Mail page tests: outbox rows in each delivery status and inbound
mail in each outcome, written to the store as the provider and the gateway write them."""

from datetime import UTC, datetime, timedelta

from store.db import SessionFactory
from store.tables.inbound_mail import InboundMail, InboundOutcome
from store.tables.outbox import DeliveryStatus, OutboxMessage

# Written before the test's own mail (an acknowledgement sent as it runs), as ids order them.
_START = datetime.now(UTC) - timedelta(hours=2)


def outbox_row(
    number: int,
    status: DeliveryStatus | None = DeliveryStatus.SENT,
    *,
    case_ref: str = "CABCDEFGHIJKL",
    subject: str = "",
    **fields: object,
) -> OutboxMessage:
    """Returns outbox message `number` of a case, written a minute after the one before."""
    values: dict[str, object] = {
        "idempotency_key": f"{case_ref}/{number}/acknowledgement/cust-42",
        "complaint_id": case_ref,
        "template": "acknowledgement",
        "locale": "zh-CN",
        "recipient_kind": "customer",
        "recipient_id": "cust-42",
        "address": "wang.fang@example.com",
        "subject": subject or f"您的投诉 {case_ref} 已收到 ({number})",
        "body": "您好",
        "created_at": _START + timedelta(minutes=number),
        "delivery_status": status,
        "delivery_attempts": 0 if status in (None, DeliveryStatus.OUTBOX_ONLY) else 1,
    }
    if status is DeliveryStatus.SENT:
        values |= {
            "mail_message_id": f"<{number:032x}@shop.example>",
            "sent_at": values["created_at"],
        }
    return OutboxMessage.model_validate(values | fields)


def inbound_row(
    number: int, outcome: InboundOutcome | None, *, detail: str = "", **fields: object
) -> InboundMail:
    """Returns inbound mail `number`, received a minute after the one before."""
    values: dict[str, object] = {
        "message_id": f"<in-{number}@mail.example.com>",
        "received_at": _START + timedelta(minutes=number),
        "envelope_from": "lin@example.com",
        "sender": "lin@example.com",
        "subject": f"搅拌机坏了 ({number})",
        "raw_sha256": f"{number:064x}",
        "raw_size": 512,
        "raw_path": f"/var/redress/mail-in/{number:064x}.eml",
        "outcome": outcome,
        "detail": detail,
    }
    return InboundMail.model_validate(values | fields)


def store_rows(sessions: SessionFactory, *rows: OutboxMessage | InboundMail) -> None:
    with sessions() as session:
        session.add_all(rows)
        session.commit()


def a_mail_log(sessions: SessionFactory, case_ref: str) -> None:
    """Stores one message in each delivery status about `case_ref`, and inbound mail in
    each outcome a person reads (and one they need not)."""
    store_rows(
        sessions,
        outbox_row(1, DeliveryStatus.SENT, case_ref=case_ref),
        outbox_row(
            2,
            DeliveryStatus.FAILED,
            case_ref=case_ref,
            last_delivery_error="550 5.1.1 <wang.fang@example.com>: mailbox unavailable",
        ),
        outbox_row(
            3,
            DeliveryStatus.OUTBOX_ONLY,
            case_ref=case_ref,
            template="escalation",
            recipient_kind="staff",
            recipient_id="returns-supervisor",
            address=None,
            outbox_only_reason="no active staff user 'returns-supervisor'",
        ),
        outbox_row(4, None, case_ref=case_ref),
        inbound_row(
            1,
            InboundOutcome.NEEDS_PERSON,
            detail="malformed: StartBoundaryNotFoundDefect",
            case_id=case_ref,
        ),
        inbound_row(2, InboundOutcome.REFUSED, detail="addressed to no support or case address"),
        inbound_row(3, InboundOutcome.OPENED, case_id=case_ref),
        inbound_row(4, None),
    )
