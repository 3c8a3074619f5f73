"""The `smtp` notification provider against a real SMTP server (aiosmtpd) and a real store:
what arrives, how it threads, and what each kind of failure leaves on the outbox row."""

import uuid
from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.notifications.activities import NotificationActivities
from activities.notifications.base import NotificationProvider
from activities.notifications.errors import MessageUndeliverable, ProviderUnavailable
from activities.notifications.factory import notification_provider
from activities.notifications.smtp import mail_message_id
from core.mail_catcher import MaildirHandler
from core.settings import Settings
from core.stack import free_port
from domain.notifications import Notification, NotificationTemplate, Recipient, RecipientKind
from domain.taxonomy import Locale
from store.db import SessionFactory
from store.tables.outbox import DeliveryStatus, OutboxMessage
from tests.mail import RefusingHandler, mail_server, password_check, received

DOMAIN = "shop.example"
SECRET = "test-secret-key-for-signing-case-links-0123456789abcdef"


@pytest.fixture
def provider(smtp_url: str, sessions: SessionFactory) -> NotificationProvider:
    return notification_provider(settings_for(smtp_url), sessions)


def settings_for(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "notifications_provider": "smtp",
        "smtp_url": url,
        "mail_domain": DOMAIN,
        "secret_key": SECRET,
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


def acknowledgement(
    case_ref: str = "CMP-7781",
    key: str | None = None,
    template: NotificationTemplate = NotificationTemplate.ACKNOWLEDGEMENT,
    **params: str,
) -> Notification:
    return Notification(
        idempotency_key=key or f"{case_ref}:{template.value}:{uuid.uuid4().hex[:6]}",
        complaint_id=case_ref,
        template=template,
        locale=Locale.ZH_CN,
        recipient=Recipient(
            kind=RecipientKind.CUSTOMER, id="cust-10086", address="wang.fang@example.com"
        ),
        params={
            "complaint_id": case_ref,
            "customer_name": "王芳",
            "deadline": "2026-12-06 18:00",
            "message": "您好，我们已联系商家核实。",
        }
        | params,
    )


def outbox_row(sessions: SessionFactory, key: str) -> OutboxMessage:
    with sessions() as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()
        return row


def test_a_chinese_acknowledgement_arrives_encoded_threaded_and_marked_automatic(
    provider: NotificationProvider, maildir: Path, sessions: SessionFactory
) -> None:
    first = acknowledgement()

    receipt = provider.send(first)

    [(raw, message)] = received(maildir)
    # On the wire, the subject and the names are RFC 2047 encoded words, not raw UTF-8.
    headers = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    assert headers.isascii()
    assert b"=?utf-8?" in headers.lower()
    assert message["Subject"] == outbox_row(sessions, first.idempotency_key).subject
    assert "CMP-7781" in message["Subject"] and "投诉" in message["Subject"]
    assert message["To"].addresses[0].display_name == "王芳"
    assert message["To"].addresses[0].addr_spec == "wang.fang@example.com"
    assert message["From"].addresses[0].display_name == "客服中心"
    assert message["Message-ID"] == mail_message_id(first.idempotency_key, DOMAIN)
    assert message["Message-ID"].endswith(f"@{DOMAIN}>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "zh-CN"
    assert message["Reply-To"] == f"case+CMP-7781@{DOMAIN}"
    assert message["Delivered-To"] == "wang.fang@example.com"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content_charset() == "utf-8"
    text = body.get_content()
    assert "王芳" in text and "CMP-7781" in text
    # The acknowledgement carries the customer's page link, as it does in the outbox.
    assert "http://127.0.0.1:8000/my/" in text
    # The same letter as HTML beside it, the link clickable.
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(preferencelist=("html",))
    assert html is not None and html.get_content_charset() == "utf-8"
    page = html.get_content()
    assert "王芳" in page and '<a href="http://127.0.0.1:8000/my/' in page

    row = outbox_row(sessions, first.idempotency_key)
    assert row.id == receipt.message_id
    assert row.delivery_status == DeliveryStatus.SENT
    assert row.delivery_attempts == 1
    assert row.sent_at is not None
    assert row.mail_message_id == message["Message-ID"]


def test_messages_of_one_case_thread_and_each_key_has_its_own_stable_id(
    provider: NotificationProvider, maildir: Path, sessions: SessionFactory
) -> None:
    first = acknowledgement(case_ref="CMP-42")
    reply = acknowledgement(case_ref="CMP-42", template=NotificationTemplate.AGENT_REPLY)
    other_case = acknowledgement(case_ref="CMP-43")

    for notification in (first, reply, other_case):
        provider.send(notification)

    by_id = {message["Message-ID"]: message for _, message in received(maildir)}
    assert len(by_id) == 3
    one, two = (
        by_id[mail_message_id(first.idempotency_key, DOMAIN)],
        by_id[mail_message_id(reply.idempotency_key, DOMAIN)],
    )
    assert one["In-Reply-To"] == two["In-Reply-To"] == one["References"] == two["References"]
    assert one["In-Reply-To"] not in by_id  # the thread's root is no message of its own
    three = by_id[mail_message_id(other_case.idempotency_key, DOMAIN)]
    assert three["In-Reply-To"] != one["In-Reply-To"]
    # The id depends on the key alone: the same key on another day makes the same id.
    assert mail_message_id(first.idempotency_key, DOMAIN) == mail_message_id(
        first.idempotency_key, DOMAIN
    )
    assert mail_message_id(first.idempotency_key, DOMAIN) != mail_message_id(
        reply.idempotency_key, DOMAIN
    )


def test_a_retry_after_a_successful_send_sends_nothing_more(
    provider: NotificationProvider, maildir: Path, sessions: SessionFactory
) -> None:
    notification = acknowledgement()

    first = provider.send(notification)
    again = provider.send(notification)

    assert len(received(maildir)) == 1
    assert (first.created, again.created) == (True, False)
    assert again.message_id == first.message_id
    assert outbox_row(sessions, notification.idempotency_key).delivery_attempts == 1


def test_a_permanent_refusal_marks_the_row_failed_and_is_not_retried(
    sessions: SessionFactory,
) -> None:
    notification = acknowledgement()
    with mail_server(RefusingHandler()) as url:
        provider = notification_provider(settings_for(url), sessions)
        with pytest.raises(MessageUndeliverable, match="550"):
            provider.send(notification)
        # Through the activity, as the workflow meets it: a non-retryable typed error.
        with pytest.raises(ApplicationError) as raised:
            ActivityEnvironment().run(
                NotificationActivities(provider).send_notification, notification
            )

    assert raised.value.type == "MessageUndeliverable"
    assert raised.value.non_retryable
    row = outbox_row(sessions, notification.idempotency_key)
    assert row.delivery_status == DeliveryStatus.FAILED
    assert row.last_delivery_error is not None and "550" in row.last_delivery_error
    assert row.sent_at is None


def test_an_unreachable_server_raises_the_retryable_error_and_counts_the_attempt(
    maildir: Path, sessions: SessionFactory
) -> None:
    # Nothing listens on a port that was free a moment ago: the connection is refused.
    provider = notification_provider(settings_for(f"smtp://127.0.0.1:{free_port()}"), sessions)
    notification = acknowledgement()

    with pytest.raises(ProviderUnavailable):
        provider.send(notification)
    with pytest.raises(ApplicationError) as raised:
        ActivityEnvironment().run(NotificationActivities(provider).send_notification, notification)

    assert raised.value.type == "ProviderUnavailable"
    assert not raised.value.non_retryable
    row = outbox_row(sessions, notification.idempotency_key)
    assert row.delivery_status is None
    assert row.delivery_attempts == 2
    assert row.last_delivery_error


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_url_s_credentials_log_in_and_a_refused_login_is_retried(
    maildir: Path, sessions: SessionFactory
) -> None:
    login = {
        "authenticator": password_check("redress", "p@ss:word"),
        "auth_required": True,
        # Only on this loopback test server: real servers take AUTH over TLS alone.
        "auth_require_tls": False,
    }
    good, bad = acknowledgement(), acknowledgement()
    with mail_server(MaildirHandler(maildir), **login) as url:
        host = url.removeprefix("smtp://")
        notification_provider(settings_for(f"smtp://redress:p%40ss%3Aword@{host}"), sessions).send(
            good
        )
        with pytest.raises(ProviderUnavailable, match="535"):
            notification_provider(settings_for(f"smtp://redress:wrong@{host}"), sessions).send(bad)

    assert [m["Message-ID"] for _, m in received(maildir)] == [
        mail_message_id(good.idempotency_key, DOMAIN)
    ]
    assert outbox_row(sessions, bad.idempotency_key).delivery_status is None


def test_a_message_undelivered_past_the_retry_period_fails_for_good(
    sessions: SessionFactory,
) -> None:
    settings = settings_for(f"smtp://127.0.0.1:{free_port()}", mail_retry_hours=1e-9)
    provider = notification_provider(settings, sessions)
    notification = acknowledgement()

    with pytest.raises(MessageUndeliverable, match="not delivered within"):
        provider.send(notification)

    assert outbox_row(sessions, notification.idempotency_key).delivery_status == "failed"


def test_phone_only_customers_stay_in_the_outbox(
    provider: NotificationProvider, maildir: Path, sessions: SessionFactory
) -> None:
    by_phone = acknowledgement().model_copy(
        update={
            "recipient": Recipient(
                kind=RecipientKind.CUSTOMER, id="cust-1", address="+86 138 0013 8000"
            )
        }
    )

    provider.send(by_phone)

    assert received(maildir) == []
    row = outbox_row(sessions, by_phone.idempotency_key)
    assert (row.delivery_status, row.delivery_attempts) == (None, 0)


def test_smtp_urls_name_tls_and_credentials() -> None:
    from activities.notifications.smtp import SmtpServer

    assert SmtpServer.from_url("smtps://mailer:p%40ss@mail.example.com") == SmtpServer(
        "mail.example.com", 465, "mailer", "p@ss", use_tls=True
    )
    assert SmtpServer.from_url("smtp://mail.example.com:587?starttls=1") == SmtpServer(
        "mail.example.com", 587, start_tls=True
    )
    with pytest.raises(ValueError, match="REDRESS_SMTP_URL"):
        SmtpServer.from_url("http://mail.example.com")
