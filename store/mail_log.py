"""The console's Mail page: outbound messages by delivery status, newest first, and
inbound mail that waits for a person (`needs_person`, `refused`, or not acted on yet)."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression
from sqlmodel import Session, SQLModel, col, or_, select

from store.tables.inbound_mail import InboundMail, InboundOutcome
from store.tables.outbox import DeliveryStatus, OutboxMessage

MAIL_PAGE_SIZE = 25
Row = TypeVar("Row", bound=SQLModel)


class OutboundStatus(StrEnum):
    """How far a message got, as the Mail page filters by it: the row's
    `DeliveryStatus`, or `pending` while it has none (not delivered yet, or never tried:
    the `outbox` provider, a customer with a phone number only)."""

    SENT = DeliveryStatus.SENT.value
    FAILED = DeliveryStatus.FAILED.value
    PENDING = "pending"
    OUTBOX_ONLY = DeliveryStatus.OUTBOX_ONLY.value


# What a person reads: mail kept for them, mail for no address of ours, and mail nothing
# was done with yet (Temporal was away; the gateway retries it every 30 s).
INBOUND_FOR_A_PERSON = (InboundOutcome.NEEDS_PERSON.value, InboundOutcome.REFUSED.value)


@dataclass(frozen=True)
class MailPage(Generic[Row]):
    """One page of a list, the number of rows matching, and the page's number."""

    rows: list[Row]
    total: int
    page: int
    pages: int


def outbound_status(row: OutboxMessage) -> OutboundStatus:
    """Returns the status the Mail page shows for an outbox row."""
    return OutboundStatus(row.delivery_status or OutboundStatus.PENDING)


def list_outbound_mail(
    session: Session,
    *,
    status: OutboundStatus | None = None,
    page: int = 1,
    page_size: int = MAIL_PAGE_SIZE,
) -> MailPage[OutboxMessage]:
    """Returns page `page` (from 1) of outbox messages (in `status`, when given), newest
    first; a page past the end is the last one."""
    condition: ColumnElement[bool] | None = None
    if status is OutboundStatus.PENDING:
        condition = col(OutboxMessage.delivery_status).is_(None)
    elif status is not None:
        condition = col(OutboxMessage.delivery_status) == status.value
    return _page(session, OutboxMessage, condition, col(OutboxMessage.id).desc(), page, page_size)


def list_inbound_for_a_person(
    session: Session, *, page: int = 1, page_size: int = MAIL_PAGE_SIZE
) -> MailPage[InboundMail]:
    """Returns page `page` (from 1) of inbound mail a person has to read, newest first."""
    condition = or_(
        col(InboundMail.outcome).in_(INBOUND_FOR_A_PERSON), col(InboundMail.outcome).is_(None)
    )
    return _page(session, InboundMail, condition, col(InboundMail.id).desc(), page, page_size)


def _page(
    session: Session,
    table: type[Row],
    condition: ColumnElement[bool] | None,
    newest_first: UnaryExpression[int | None],
    page: int,
    page_size: int,
) -> MailPage[Row]:
    if page < 1:
        raise ValueError(f"page must be 1 or more, got {page}")
    counted = select(func.count()).select_from(table)
    listed = select(table).order_by(newest_first)
    if condition is not None:
        counted, listed = counted.where(condition), listed.where(condition)
    total = session.exec(counted).one()
    pages = max(1, -(-total // page_size))
    # Mail that changed status since the link was made: the last page rather than none.
    page = min(page, pages)
    rows = list(session.exec(listed.limit(page_size).offset((page - 1) * page_size)))
    return MailPage(rows=rows, total=total, page=page, pages=pages)
