"""Mail the inbound gateway took in, and what it reads of Redress's own outbox."""

from datetime import UTC, datetime

from sqlmodel import Session, col, or_, select

from store.tables.complaints import ComplaintRecord
from store.tables.inbound_mail import InboundMail, InboundOutcome
from store.tables.outbox import DeliveryStatus, OutboxMessage
from store.upsert import insert_on_conflict


def record_arrival(session: Session, *, mail: InboundMail) -> tuple[InboundMail, bool]:
    """Stores `mail` unless a mail with its Message-ID is stored, then commits; returns the
    stored row and whether this call stored it (redeliveries race on the unique id)."""
    values = mail.model_dump(exclude={"id"})
    insert = insert_on_conflict(session, InboundMail).values(**values)
    written = session.execute(
        insert.on_conflict_do_nothing(index_elements=["message_id"]).returning(col(InboundMail.id))
    ).first()
    session.commit()
    stored = find_mail(session, message_id=mail.message_id)
    if stored is None:  # pragma: no cover - the row was just written or already there
        raise LookupError(f"mail {mail.message_id} vanished after being recorded")
    return stored, written is not None


def find_mail(session: Session, *, message_id: str) -> InboundMail | None:
    """Returns the stored mail with `message_id`, or None."""
    statement = select(InboundMail).where(InboundMail.message_id == message_id)
    return session.exec(statement.execution_options(populate_existing=True)).first()


def link_case(session: Session, *, message_id: str, case_id: str) -> None:
    """Records the case the mail concerns before acting on it, then commits."""
    row = find_mail(session, message_id=message_id)
    if row is not None and row.case_id != case_id:
        row.case_id = case_id
        session.add(row)
        session.commit()


def record_outcome(
    session: Session,
    *,
    message_id: str,
    outcome: InboundOutcome,
    detail: str = "",
    case_id: str | None = None,
) -> None:
    """Records what became of the mail, then commits."""
    row = find_mail(session, message_id=message_id)
    if row is None:
        raise LookupError(f"no mail {message_id} was recorded")
    row.outcome = outcome
    row.detail = detail[:1000]
    row.case_id = case_id or row.case_id
    row.acted_at = datetime.now(UTC)
    session.add(row)
    session.commit()


def mail_not_acted_on(session: Session, *, limit: int = 100) -> list[InboundMail]:
    """Returns stored mail nothing was done with yet (Temporal was away), oldest first."""
    statement = (
        select(InboundMail)
        .where(col(InboundMail.outcome).is_(None))
        .order_by(col(InboundMail.id))
        .limit(limit)
    )
    return list(session.exec(statement))


def customer_message_ids(session: Session, *, case_id: str) -> list[str]:
    """Returns the Message-IDs of the customer's mail on a case, oldest first.

    A mail still being acted on counts: the gateway links it to its case before starting
    the workflow (`link_case`), and the case's first answers can be sent before the
    gateway records the outcome."""
    taken = col(InboundMail.outcome).in_([InboundOutcome.OPENED, InboundOutcome.REPLIED])
    statement = (
        select(InboundMail.message_id)
        .where(InboundMail.case_id == case_id)
        .where(or_(taken, col(InboundMail.outcome).is_(None)))
        .order_by(col(InboundMail.id))
    )
    return list(session.exec(statement))


def outbox_message_by_mail_id(session: Session, *, mail_message_id: str) -> OutboxMessage | None:
    """Returns the outbox message Redress e-mailed with `mail_message_id`, or None."""
    statement = select(OutboxMessage).where(OutboxMessage.mail_message_id == mail_message_id)
    return session.exec(statement).first()


def case_was_written_to(session: Session, *, case_ref: str) -> bool:
    """Returns whether Redress knows the case `case_ref` names: a complaint, or any case it
    wrote a message about (which carried the case's reply address)."""
    if session.get(ComplaintRecord, case_ref) is not None:
        return True
    statement = select(OutboxMessage.id).where(OutboxMessage.complaint_id == case_ref).limit(1)
    return session.exec(statement).first() is not None


def mark_bounced(session: Session, *, mail_message_id: str, reason: str) -> OutboxMessage | None:
    """Marks the outbox message sent as `mail_message_id` failed, with the bounce's
    reason, then commits; returns it, or None when Redress sent no such mail."""
    row = outbox_message_by_mail_id(session, mail_message_id=mail_message_id)
    if row is None:
        return None
    row.delivery_status = DeliveryStatus.FAILED
    row.last_delivery_error = reason[:1000]
    session.add(row)
    session.commit()
    return row
