"""The console's Mail page: admins see what Redress e-mailed, newest first, with each
message's delivery (a real acknowledgement sent over SMTP to aiosmtpd, a staff message
kept in the outbox and why, a refusal), filtered by status and paged, and the inbound mail
that waits for a person; everyone else gets the 403 page; bad filters and pages are
refused in words; the page in Chinese."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from activities.notifications.errors import MessageUndeliverable
from activities.notifications.factory import notification_provider
from domain.access import Role
from domain.notifications import Notification, NotificationTemplate, Recipient, RecipientKind
from domain.taxonomy import Locale
from store.db import SessionFactory
from store.mail_log import MAIL_PAGE_SIZE
from store.tables.inbound_mail import InboundOutcome
from store.tables.outbox import DeliveryStatus, OutboxMessage
from tests.api.conftest import running_api
from tests.api.support import Api, eventually, intake
from tests.console.conftest import console_settings
from tests.console.mail_support import a_mail_log, inbound_row, outbox_row, store_rows
from tests.console.support import signed_in
from tests.mail import mail_catcher, received

MAIL = "/console/mail"


@pytest.fixture
async def mail_api(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[Api, Path]]:
    """Yields the API and workers e-mailing through the smtp provider to a real SMTP
    server, and the Maildir that server writes."""
    maildir = tmp_path / "mail"
    with mail_catcher(maildir) as smtp_url:
        settings = console_settings(
            dev_server_env,
            database_url,
            tmp_path,
            notifications_provider="smtp",
            smtp_url=smtp_url,
        )
        async with running_api(dev_server_env.client, sessions, settings) as api:
            yield api, maildir


def _rows(html: str, kind: str) -> list[str]:
    """Returns the ids of a list's rows (`outbox` or `inbound`), in page order."""
    return re.findall(rf'<tr data-{kind}="(\d+)"', html)


def _row(html: str, kind: str, row_id: int | str) -> str:
    return html.split(f'data-{kind}="{row_id}"')[1].split("</tr>")[0]


def _staff_message(complaint_id: str, recipient_id: str) -> Notification:
    return Notification(
        idempotency_key=f"{complaint_id}/needs-person/{recipient_id}",
        complaint_id=complaint_id,
        template=NotificationTemplate.NEEDS_PERSON,
        locale=Locale.ZH_CN,
        recipient=Recipient(kind=RecipientKind.STAFF, id=recipient_id),
        params={"complaint_id": complaint_id, "reason": "退款撤销被拒"},
    )


async def test_an_admin_sees_each_message_s_delivery_and_the_mail_for_a_person(
    mail_api: tuple[Api, Path],
) -> None:
    api, maildir = mail_api
    created = await api.create(intake())
    assert created.status_code == 201, created.text
    complaint_id = created.json()["complaint_id"]

    async def acknowledgement_sent() -> OutboxMessage | None:
        with api.sessions() as session:
            row = session.exec(
                select(OutboxMessage).where(OutboxMessage.complaint_id == complaint_id)
            ).first()
        return row if row is not None and row.delivery_status == DeliveryStatus.SENT else None

    sent = await eventually(acknowledgement_sent)
    # The same provider the workers run: a staff desk with no user, then a bad address.
    provider = notification_provider(api.settings, api.sessions)
    provider.send(_staff_message(complaint_id, "returns-supervisor"))
    bad_address = _staff_message(complaint_id, "cust-x").model_copy(
        update={
            "idempotency_key": f"{complaint_id}/bad-address",
            "template": NotificationTemplate.AGENT_REPLY,
            "recipient": Recipient(kind=RecipientKind.CUSTOMER, id="cust-x", address="lin@"),
            "params": {"complaint_id": complaint_id, "customer_name": "Lin", "message": "Hi"},
        }
    )
    with pytest.raises(MessageUndeliverable):
        provider.send(bad_address)
    store_rows(
        api.sessions,
        inbound_row(1, InboundOutcome.NEEDS_PERSON, detail="malformed: a bad boundary"),
        inbound_row(2, InboundOutcome.REPLIED, case_id=complaint_id),
        inbound_row(3, InboundOutcome.NEEDS_PERSON, detail="a reply to a closed complaint",
                    case_id=complaint_id),
        inbound_row(4, InboundOutcome.REFUSED, detail="addressed to no support or case address"),
    )  # fmt: skip

    async with signed_in(api, "ops-mail", Role.ADMIN) as admin:
        everything = await admin.get(MAIL)
        failed = await admin.get(MAIL, params={"status": "failed"})
        outbox_only = await admin.get(MAIL, params={"status": "outbox_only"})

    assert everything.status_code == 200, everything.text
    assert '<a href="/console/mail">Mail</a>' in everything.text
    listed = [int(row_id) for row_id in _rows(everything.text, "outbox")]
    assert len(listed) == 3 and listed == sorted(listed, reverse=True)
    assert listed[-1] == sent.id
    ack = _row(everything.text, "outbox", sent.id)
    [(_, mailed)] = received(maildir)
    assert mailed["Message-ID"] == sent.mail_message_id
    assert sent.mail_message_id is not None
    # The id as text: its angle brackets escaped.
    assert sent.mail_message_id.replace("<", "&lt;").replace(">", "&gt;") in ack
    assert ">Sent</span>" in ack and "Tries: 1" in ack and "lin.wei@example.com" in ack
    assert f'<a href="/console/complaints/{complaint_id}">Complaint {complaint_id}</a>' in ack
    assert "<code>acknowledgement</code>" in ack

    [failed_id] = _rows(failed.text, "outbox")
    refused = _row(failed.text, "outbox", failed_id)
    assert ">Failed</span>" in refused and "Last error: invalid address &#39;lin@&#39;" in refused
    [kept_id] = _rows(outbox_only.text, "outbox")
    kept = _row(outbox_only.text, "outbox", kept_id)
    assert ">Outbox only</span>" in kept and "Staff returns-supervisor" in kept
    assert "Kept in the outbox: no active staff user &#39;returns-supervisor&#39;" in kept
    assert '<option value="outbox_only" selected>' in outbox_only.text

    # Inbound: what a person reads, newest first; a reply that went onto its case is not.
    inbound = _rows(everything.text, "inbound")
    assert len(inbound) == 3
    subjects = re.findall(r"<td>(搅拌机坏了 \(\d\))", everything.text)
    assert subjects == ["搅拌机坏了 (4)", "搅拌机坏了 (3)", "搅拌机坏了 (1)"]
    closed = _row(everything.text, "inbound", inbound[1])
    assert ">Needs a person</span>" in closed and "a reply to a closed complaint" in closed
    assert f'href="/console/complaints/{complaint_id}"' in closed
    assert "Raw mail: /var/redress/mail-in/" in closed
    assert ">Refused</span>" in _row(everything.text, "inbound", inbound[0])
    assert "No case" in _row(everything.text, "inbound", inbound[2])


async def test_others_get_the_403_page_and_no_link(api: Api) -> None:
    a_mail_log(api.sessions, "CABCDEFGHIJKL")

    for role in (Role.SUPERVISOR, Role.AGENT):
        async with signed_in(api, f"mail-{role.value}", role) as staff:
            refused = await staff.get(MAIL)
            queue = await staff.get("/console/queue")
        assert refused.status_code == 403, refused.text
        assert "Only admins may see the mail log." in refused.text
        assert "wang.fang@example.com" not in refused.text
        assert 'href="/console/mail"' not in queue.text


async def test_both_lists_page_apart_and_keep_the_filter(api: Api) -> None:
    rows = [outbox_row(n, DeliveryStatus.SENT) for n in range(1, MAIL_PAGE_SIZE + 4)]
    failed = outbox_row(100, DeliveryStatus.FAILED, last_delivery_error="550 no such user")
    inbound = [inbound_row(n, InboundOutcome.REFUSED) for n in range(1, MAIL_PAGE_SIZE + 2)]
    store_rows(api.sessions, *rows, failed, *inbound)

    async with signed_in(api, "ops-pages", Role.ADMIN) as admin:
        first = await admin.get(MAIL, params={"status": "sent"})
        second = await admin.get(MAIL, params={"status": "sent", "page": "2"})
        inbound_second = await admin.get(MAIL, params={"status": "sent", "inbound_page": "2"})
        past_the_end = await admin.get(MAIL, params={"page": "99"})

    assert len(_rows(first.text, "outbox")) == MAIL_PAGE_SIZE
    assert f"{MAIL_PAGE_SIZE + 3} messages match." in first.text
    assert 'href="/console/mail?status=sent&amp;page=2#outbound" rel="next"' in first.text
    assert 'href="/console/mail?status=sent&amp;inbound_page=2#inbound" rel="next"' in first.text
    assert len(_rows(second.text, "outbox")) == 3
    assert str(failed.id) not in _rows(second.text, "outbox")
    # The other list stays on its page while one moves.
    assert _rows(inbound_second.text, "outbox") == _rows(first.text, "outbox")
    assert len(_rows(inbound_second.text, "inbound")) == 1
    assert "Page 2 of 2" in past_the_end.text


async def test_bad_filters_and_pages_are_refused_in_words_and_the_page_speaks_chinese(
    api: Api,
) -> None:
    a_mail_log(api.sessions, "CABCDEFGHIJKL")
    store_rows(api.sessions, outbox_row(9, DeliveryStatus.SENT, subject="<script>x()</script>"))

    async with signed_in(api, "ops-zh", Role.ADMIN, locale="zh-CN") as admin:
        status = await admin.get(MAIL, params={"status": "bounced"})
        page = await admin.get(MAIL, params={"page": "0"})
        inbound_page = await admin.get(MAIL, params={"inbound_page": "two", "lang": "en"})
        zh = await admin.get(MAIL, params={"lang": "zh-CN"})

    assert status.status_code == 422 and "队列不认识“状态”的取值" in status.text
    assert page.status_code == 422 and "页码必须是从 1 开始的整数。" in page.text
    assert inbound_page.status_code == 422
    assert "The page number must be a whole number from 1." in inbound_page.text
    for refused in (status, page, inbound_page):
        assert _rows(refused.text, "outbox") == _rows(refused.text, "inbound") == []
    assert zh.status_code == 200 and '<html lang="zh-CN">' in zh.text
    for chinese in ("Redress 发出的邮件", "需要人工处理的来信", "发送失败", "仅发件箱", "待发送",
                    "已拒收", "尚未处理", "尝试次数：1"):  # fmt: skip
        assert chinese in zh.text, chinese
    for english in ("Sent by Redress", "Outbox only", "Needs a person", "No case"):
        assert english not in zh.text, english
    assert "<script>x()</script>" not in zh.text
    assert "&lt;script&gt;x()&lt;/script&gt;" in zh.text
