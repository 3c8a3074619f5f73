"""The Mail page's lists: outbound mail by status, newest first, in pages, and inbound
mail that waits for a person; on SQLite and PostgreSQL."""

import pytest

from store.db import SessionFactory
from store.mail_log import (
    OutboundStatus,
    list_inbound_for_a_person,
    list_outbound_mail,
    outbound_status,
)
from store.tables.inbound_mail import InboundMail, InboundOutcome
from store.tables.outbox import DeliveryStatus, OutboxMessage


def outbox_message(number: int, status: DeliveryStatus | None) -> OutboxMessage:
    return OutboxMessage(
        idempotency_key=f"C{number:012d}/1/acknowledgement/cust-{number}",
        complaint_id=f"C{number:012d}",
        template="acknowledgement",
        locale="zh-CN",
        recipient_kind="customer",
        recipient_id=f"cust-{number}",
        address=f"cust{number}@example.com",
        subject=f"投诉 {number}",
        body="您好",
        delivery_status=status,
    )


def inbound(number: int, outcome: InboundOutcome | None) -> InboundMail:
    return InboundMail(
        message_id=f"<in-{number}@example.com>",
        sender=f"lin{number}@example.com",
        subject=f"邮件 {number}",
        raw_sha256="0" * 64,
        raw_size=100,
        raw_path="/var/mail-in/x.eml",
        outcome=outcome,
    )


@pytest.mark.both_stores
def test_outbound_mail_is_listed_newest_first_by_status_in_pages(
    sessions: SessionFactory,
) -> None:
    statuses = [DeliveryStatus.SENT, DeliveryStatus.FAILED, None, DeliveryStatus.OUTBOX_ONLY]
    with sessions() as session:
        for number in range(1, 61):
            session.add(outbox_message(number, statuses[number % 4]))
        session.commit()

        first = list_outbound_mail(session, page_size=25)
        last = list_outbound_mail(session, page=3, page_size=25)
        past_the_end = list_outbound_mail(session, page=9, page_size=25)
        pending = list_outbound_mail(session, status=OutboundStatus.PENDING)
        failed = list_outbound_mail(session, status=OutboundStatus.FAILED, page_size=10)

    assert (first.total, first.pages, len(first.rows)) == (60, 3, 25)
    assert [row.complaint_id for row in first.rows[:2]] == ["C000000000060", "C000000000059"]
    assert (last.page, len(last.rows), last.rows[-1].complaint_id) == (3, 10, "C000000000001")
    assert past_the_end.page == 3 and past_the_end.rows == last.rows
    assert pending.total == 15
    assert {outbound_status(row) for row in pending.rows} == {OutboundStatus.PENDING}
    assert (failed.total, failed.pages) == (15, 2)
    assert {row.delivery_status for row in failed.rows} == {"failed"}


@pytest.mark.both_stores
def test_inbound_mail_for_a_person_is_what_was_kept_refused_or_not_acted_on(
    sessions: SessionFactory,
) -> None:
    outcomes = [
        InboundOutcome.OPENED,
        InboundOutcome.NEEDS_PERSON,
        InboundOutcome.REFUSED,
        InboundOutcome.AUTOMATIC,
        None,
        InboundOutcome.BOUNCE,
        InboundOutcome.REPLIED,
    ]
    with sessions() as session:
        for number, outcome in enumerate(outcomes):
            session.add(inbound(number, outcome))
        session.commit()

        listed = list_inbound_for_a_person(session)

    assert [row.subject for row in listed.rows] == ["邮件 4", "邮件 2", "邮件 1"]
    assert (listed.total, listed.pages) == (3, 1)
