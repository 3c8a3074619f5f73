"""The inbound mail table: one row per Message-ID, however often a mail is delivered."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from store.db import SessionFactory
from store.inbound_mail import (
    customer_message_ids,
    link_case,
    mail_not_acted_on,
    record_arrival,
    record_outcome,
)
from store.tables.inbound_mail import InboundMail, InboundOutcome


def arrival(message_id: str) -> InboundMail:
    return InboundMail(
        message_id=message_id,
        envelope_from="lin@example.com",
        envelope_to="support@redress.localhost",
        sender="lin@example.com",
        subject="搅拌机坏了",
        text="电机不转。",
        raw_sha256="0" * 64,
        raw_size=120,
        raw_path="/var/mail-in/" + "0" * 64 + ".eml",
    )


@pytest.mark.both_stores
def test_a_mail_delivered_at_once_twice_is_recorded_once(sessions: SessionFactory) -> None:
    def record() -> bool:
        with sessions() as session:
            return record_arrival(session, mail=arrival("<twice@example.com>"))[1]

    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(pool.map(lambda _: record(), range(4)))

    assert created.count(True) == 1
    with sessions() as session:
        [waiting] = mail_not_acted_on(session)
    assert waiting.subject == "搅拌机坏了"


@pytest.mark.both_stores
def test_outcomes_and_the_customers_thread(sessions: SessionFactory) -> None:
    with sessions() as session:
        for message_id in ("<first@example.com>", "<auto@example.com>", "<second@example.com>"):
            record_arrival(session, mail=arrival(message_id))
        link_case(session, message_id="<first@example.com>", case_id="CABCDEFGHIJKL")
        record_outcome(session, message_id="<first@example.com>", outcome=InboundOutcome.OPENED)
        record_outcome(
            session, message_id="<auto@example.com>", outcome=InboundOutcome.AUTOMATIC,
            detail="Auto-Submitted: auto-replied", case_id="CABCDEFGHIJKL",
        )  # fmt: skip
        record_outcome(
            session, message_id="<second@example.com>", outcome=InboundOutcome.REPLIED,
            case_id="CABCDEFGHIJKL",
        )  # fmt: skip

        assert mail_not_acted_on(session) == []
        assert customer_message_ids(session, case_id="CABCDEFGHIJKL") == [
            "<first@example.com>",
            "<second@example.com>",
        ]


@pytest.mark.both_stores
def test_a_mail_still_being_acted_on_already_threads_its_case(sessions: SessionFactory) -> None:
    # The gateway links the mail to its case, then starts the workflow, then records the
    # outcome; the case's first answers can be sent in between and must thread under it.
    with sessions() as session:
        record_arrival(session, mail=arrival("<opening@example.com>"))
        link_case(session, message_id="<opening@example.com>", case_id="CABCDEFGHIJKL")

        assert customer_message_ids(session, case_id="CABCDEFGHIJKL") == ["<opening@example.com>"]

        record_arrival(session, mail=arrival("<refused@example.com>"))
        record_outcome(
            session, message_id="<refused@example.com>", outcome=InboundOutcome.NEEDS_PERSON,
            case_id="CABCDEFGHIJKL",
        )  # fmt: skip
        assert customer_message_ids(session, case_id="CABCDEFGHIJKL") == ["<opening@example.com>"]
