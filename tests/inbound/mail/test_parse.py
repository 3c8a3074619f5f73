"""Parsing real encoded mail: charsets Chinese clients use, quoted history, automatic mail,
attachments, delivery reports and broken MIME."""

import base64
import hashlib
import quopri

import pytest

from inbound.mail.parse import parse_mail

TEXT = "耳机左耳没有声音，请尽快处理。"


def raw_mail(body: bytes, *, charset: str, encoding: str, headers: str = "") -> bytes:
    return (
        (
            "From: =?UTF-8?B?" + base64.b64encode("王芳".encode()).decode() + "?= "
            "<Wang.Fang@Example.com>\r\n"
            "To: support@redress.localhost\r\n"
            "Subject: =?UTF-8?Q?=E8=80=B3=E6=9C=BA?=\r\n"
            "Message-ID: <m1@example.com>\r\n"
            f"{headers}"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: text/plain; charset="{charset}"\r\n'
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
        ).encode()
        + body
        + b"\r\n"
    )


@pytest.mark.parametrize(
    ("text", "charset", "encoding"),
    [
        # "𠀀" exists in GB18030 only; "镕" in GBK, not GB2312 (mislabelled, as clients do).
        (TEXT + "𠀀", "gb18030", "base64"),
        ("朱镕的" + TEXT, "gb2312", "base64"),
        ("耳機左耳沒有聲音，請盡快處理。", "big5", "base64"),
        (TEXT, "utf-8", "quoted-printable"),
        (TEXT, "utf-8", "base64"),
    ],
)
def test_text_decodes_in_the_charsets_chinese_clients_send(
    text: str, charset: str, encoding: str
) -> None:
    codec = {"gb2312": "gbk", "big5": "big5"}.get(charset, charset)
    data = text.encode(codec)
    body = base64.encodebytes(data) if encoding == "base64" else quopri.encodestring(data)

    mail = parse_mail(raw_mail(body, charset=charset, encoding=encoding))

    assert mail.text == text
    assert (mail.sender_name, mail.sender_address) == ("王芳", "wang.fang@example.com")
    assert mail.subject == "耳机"
    assert mail.defects == []


def test_html_only_mail_gives_its_text() -> None:
    html = (
        "<html><head><style>p{}</style></head>"
        "<body><p>坏了</p><div>请退款&amp;换货</div></body></html>"
    )
    mail = parse_mail(
        raw_mail(base64.encodebytes(html.encode()), charset="utf-8", encoding="base64").replace(
            b"text/plain", b"text/html"
        )
    )

    assert mail.text == "坏了\n\n请退款&换货"


@pytest.mark.parametrize(
    "quoted",
    [
        "在 2026年12月1日 周二 10:15，客服中心 <support@redress.localhost> 写道：\n> 请提供照片",
        "------------------ 原始邮件 ------------------\n发件人: 客服中心\n主题: 您的投诉",
        "发件人：客服中心\n发送时间：2026年12月1日 10:15\n主题：您的投诉\n\n请提供照片",
        "On Tue, Dec 1, 2026 at 10:15 AM Care <support@redress.localhost> wrote:\n> A photo?",
    ],
)
def test_quoted_history_is_stripped_from_the_customers_words(quoted: str) -> None:
    body = f"照片在这里。\n\n{quoted}\n"
    mail = parse_mail(raw_mail(body.encode(), charset="utf-8", encoding="8bit"))

    assert mail.reply_text == "照片在这里。"
    assert quoted.splitlines()[0] in mail.text


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied"),
        ("Precedence: bulk", "Precedence: bulk"),
        ("X-Autoreply: yes", "X-Autoreply present"),
        ("X-Autorespond: Out of office", "X-Autorespond present"),
        ("List-Id: <deals.shop.example>", "List-Id present"),
        ("List-Unsubscribe: <mailto:leave@shop.example>", "List-Unsubscribe present"),
    ],
)
def test_automatic_mail_says_why(header: str, reason: str) -> None:
    mail = parse_mail(raw_mail(b"Away", charset="utf-8", encoding="7bit", headers=header + "\r\n"))

    assert mail.automatic == reason


def test_a_person_may_say_auto_submitted_no() -> None:
    mail = parse_mail(
        raw_mail(b"Hi", charset="utf-8", encoding="7bit", headers="Auto-Submitted: no\r\n")
    )

    assert mail.automatic is None


def test_attachments_are_listed_with_size_type_and_hash() -> None:
    photo = bytes(range(256)) * 10
    raw = (
        b"From: lin@example.com\r\nTo: support@redress.localhost\r\nSubject: photo\r\n"
        b"Message-ID: <a1@example.com>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n'
        b"--X\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the photo.\r\n"
        b"--X\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; filename*=UTF-8''%E7%A0%B4%E6%8D%9F.jpg\r\n\r\n"
        + base64.encodebytes(photo)
        + b"--X--\r\n"
    )

    mail = parse_mail(raw)

    [attachment] = mail.attachments
    assert attachment.filename == "破损.jpg"
    assert attachment.content_type == "image/jpeg"
    assert attachment.size == len(photo)
    assert attachment.sha256 == hashlib.sha256(photo).hexdigest()
    assert mail.text == "See the photo."


def test_broken_mime_is_listed_as_defects_not_raised() -> None:
    raw = (
        b"From: lin@example.com\r\nTo: support@redress.localhost\r\nSubject: broken\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="never-used"\r\n\r\n'
        b"Just text, no parts.\r\n"
    )

    mail = parse_mail(raw)

    assert mail.defects
    # No Message-ID: one derived from the bytes, the same on every delivery.
    assert mail.message_id == parse_mail(raw).message_id
    assert mail.message_id.endswith("@no-message-id.invalid>")


def test_a_delivery_report_names_the_mail_that_failed() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example.com\r\nTo: support@redress.localhost\r\n"
        b"Subject: Undelivered\r\nMessage-ID: <dsn@mx.example.com>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nIt bounced.\r\n"
        b"--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.com\r\n\r\n"
        b"Final-Recipient: rfc822; lin@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
        b"--B\r\nContent-Type: message/rfc822\r\n\r\n"
        b"Message-ID: <abc123@redress.localhost>\r\nSubject: hi\r\n\r\nbody\r\n"
        b"--B--\r\n"
    )

    failure = parse_mail(raw).delivery_failure

    assert failure is not None
    assert failure.original_message_ids == ["<abc123@redress.localhost>"]
    assert failure.reason() == "bounced for lin@example.com: 5.1.1 smtp; 550 5.1.1 user unknown"


def test_a_delayed_delivery_report_is_no_failure() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example.com\r\nMessage-ID: <d@mx>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; lin@example.com\r\nAction: delayed\r\nStatus: 4.4.7\r\n"
        b"--B--\r\n"
    )

    assert parse_mail(raw).delivery_failure is None
