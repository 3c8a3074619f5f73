"""The mail gateway end to end: real SMTP into its aiosmtpd listener, complaints on the
dev server with real workers, Redress's answers caught by a real SMTP server."""

import base64
from email.headerregistry import Address
from email.message import EmailMessage

import aiosmtplib
import pytest
from sqlmodel import select

from store.tables.complaints import ComplaintRecord
from store.tables.inbound_mail import InboundMail, InboundOutcome
from store.tables.outbox import OutboxMessage
from tests.api.support import eventually
from tests.inbound.mail.support import (
    SUPPORT,
    TEST_MAX_BYTES,
    MailHarness,
    customer_mail,
)


async def test_a_new_mail_opens_a_complaint_acknowledged_in_its_thread_and_language(
    mail: MailHarness,
) -> None:
    sent = customer_mail(
        "收到的搅拌机完全不能用，电机不转。\n\n王芳\n-- \n发自我的手机",
        subject="搅拌机坏了",
        sender=Address("王芳", "Wang.Fang", "example.com"),
    )
    await mail.deliver(sent)

    row = await mail.taken(sent["Message-ID"])
    assert row.outcome == InboundOutcome.OPENED and row.case_id is not None
    view = await mail.api.wait_for_view(row.case_id, lambda v: v["status"] == "open")
    intake = view["intake"]
    assert intake["channel"] == "email"
    assert intake["customer"]["email"] == "wang.fang@example.com"
    assert intake["customer"]["id"] == "email:wang.fang:example.com"
    assert intake["customer"]["locale"] == "zh-CN"
    assert intake["description"].startswith("搅拌机坏了\n\n收到的搅拌机完全不能用")

    [acknowledgement] = await mail.mail_to("wang.fang@example.com")
    assert acknowledgement["In-Reply-To"] == sent["Message-ID"]
    assert sent["Message-ID"] in acknowledgement["References"]
    assert acknowledgement["Content-Language"] == "zh-CN"
    assert acknowledgement["Reply-To"] == f"case+{row.case_id}@redress.localhost"


async def test_an_emailed_reply_lands_on_the_case_and_stops_the_waiting_clock(
    mail: MailHarness,
) -> None:
    opening = customer_mail("The motor does not turn on.")
    await mail.deliver(opening)
    complaint_id = (await mail.taken(opening["Message-ID"])).case_id
    assert complaint_id is not None
    question = await mail.ask_for_a_photo(complaint_id, "lin.wei@example.com")

    reply = customer_mail(
        "Here it is: https://photos.example.com/blender.jpg\n\n"
        f"On Tue, Dec 1, 2026 at 10:15 AM Customer Care <{SUPPORT}> wrote:\n"
        "> Could you send a photo?\n",
        subject="Re: " + str(question["Subject"]),
        to=str(question["Reply-To"]),
        In_Reply_To=question["Message-ID"],
    )
    await mail.deliver(reply, str(question["Reply-To"]))

    row = await mail.taken(reply["Message-ID"])
    assert (row.outcome, row.case_id) == (InboundOutcome.REPLIED, complaint_id)
    view = await mail.api.wait_for_view(complaint_id, lambda v: v["status"] == "open")
    [replied] = [e for e in view["timeline"] if e["kind"] == "customer_replied"]
    assert replied["detail"] == "Here it is: https://photos.example.com/blender.jpg"
    assert view["waiting_since"] is None


async def test_an_auto_reply_is_recorded_and_opens_nothing(mail: MailHarness) -> None:
    out_of_office = customer_mail(
        "I am out of the office until Monday.", Auto_Submitted="auto-replied"
    )
    await mail.deliver(out_of_office)

    row = await mail.taken(out_of_office["Message-ID"])
    assert row.outcome == InboundOutcome.AUTOMATIC
    assert row.detail == "Auto-Submitted: auto-replied"
    assert row.case_id is None
    with mail.api.sessions() as session:
        assert session.exec(select(ComplaintRecord)).all() == []


async def test_a_gbk_mail_opens_a_correctly_decoded_complaint(mail: MailHarness) -> None:
    # As Foxmail sends it: GBK bytes, base64, the subject an RFC 2047 word labelled GB2312
    # although "镕" is in GBK only.
    subject = base64.b64encode("朱镕的耳机坏了".encode("gbk")).decode()
    body = base64.b64encode("耳机左耳没有声音，请尽快处理。".encode("gbk")).decode()
    raw = (
        "From: =?GB2312?B?" + base64.b64encode("朱镕".encode("gbk")).decode() + "?= "
        "<zhu.rong@example.cn>\r\n"
        f"To: {SUPPORT}\r\n"
        f"Subject: =?GB2312?B?{subject}?=\r\n"
        "Message-ID: <gbk-0001@foxmail.example.cn>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: text/plain; charset="gbk"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        f"{body}\r\n"
    ).encode("ascii")
    await mail.deliver(raw)

    row = await mail.taken("<gbk-0001@foxmail.example.cn>")
    assert row.outcome == InboundOutcome.OPENED and row.case_id is not None
    view = await mail.api.wait_for_view(row.case_id, lambda v: v["status"] == "open")
    assert view["intake"]["description"] == "朱镕的耳机坏了\n\n耳机左耳没有声音，请尽快处理。"
    assert view["intake"]["customer"]["name"] == "朱镕"


async def test_the_same_mail_delivered_twice_opens_one_complaint(mail: MailHarness) -> None:
    sent = customer_mail("The kettle leaks from the bottom.")
    await mail.deliver(sent)
    await mail.deliver(sent)

    row = await mail.taken(sent["Message-ID"])
    assert row.case_id is not None
    await mail.api.wait_for_view(row.case_id, lambda v: v["status"] == "open")
    with mail.api.sessions() as session:
        assert len(session.exec(select(InboundMail)).all()) == 1
        assert [c.complaint_id for c in session.exec(select(ComplaintRecord))] == [row.case_id]
    assert len(await mail.mail_to("lin.wei@example.com")) == 1


async def test_an_unknown_case_address_is_refused_at_rcpt(mail: MailHarness) -> None:
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
        await mail.deliver(customer_mail("Any news?"), "case+CAAAAAAAAAAAA@redress.localhost")

    [recipient] = refused.value.recipients
    assert recipient.code == 550
    assert "no case CAAAAAAAAAAAA here" in recipient.message
    with mail.api.sessions() as session:
        assert session.exec(select(InboundMail)).all() == []


async def test_oversize_mail_is_refused_at_smtp_time(mail: MailHarness) -> None:
    with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
        await mail.deliver(customer_mail("x" * (TEST_MAX_BYTES + 1)))

    assert refused.value.code == 552
    with mail.api.sessions() as session:
        assert session.exec(select(InboundMail)).all() == []


def delivery_report(bounced: EmailMessage) -> bytes:
    """Returns the DSN (RFC 3464) a receiving server sends back for `bounced`, with the
    bounced mail's headers returned."""
    returned = "".join(f"{name}: {value}\r\n" for name, value in bounced.items())
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        f"To: {SUPPORT}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn-0001@mx.example.com>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "This is the mail system at host mx.example.com. Your mail could not be delivered.\r\n"
        "\r\n--B\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.com\r\n\r\n"
        "Final-Recipient: rfc822; lin.wei@example.com\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <lin.wei@example.com>: user unknown\r\n"
        "\r\n--B\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"{returned}"
        "\r\n--B--\r\n"
    ).encode()


async def test_a_bounce_marks_the_message_failed_and_shows_on_the_timeline(
    mail: MailHarness,
) -> None:
    opening = customer_mail("The lid is cracked.")
    await mail.deliver(opening)
    complaint_id = (await mail.taken(opening["Message-ID"])).case_id
    assert complaint_id is not None
    [acknowledgement] = await mail.mail_to("lin.wei@example.com")

    report = delivery_report(acknowledgement)
    await mail.deliver(report)

    row = await mail.taken("<dsn-0001@mx.example.com>")
    assert (row.outcome, row.case_id) == (InboundOutcome.BOUNCE, complaint_id)

    async def failed() -> OutboxMessage | None:
        with mail.api.sessions() as session:
            sent = session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.mail_message_id == acknowledgement["Message-ID"]
                )
            ).one()
        return sent if sent.delivery_status == "failed" else None

    assert "5.1.1" in ((await eventually(failed)).last_delivery_error or "")
    view = await mail.api.wait_for_view(
        complaint_id, lambda v: any(e["kind"] == "notification_failed" for e in v["timeline"])
    )
    [entry] = [e for e in view["timeline"] if e["kind"] == "notification_failed"]
    assert entry["detail"].startswith("acknowledgement to ")
    assert "user unknown" in entry["detail"]
