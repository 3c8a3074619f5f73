"""Customer messages by channel, on a real store and a real SMTP server (aiosmtpd): what
each `REDRESS_CUSTOMER_CHANNEL` sends where, the platform's `notification.requested`
event written once with its outbox row, and a message nobody would receive failing
aloud."""

import json
import uuid
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.notifications.activities import NotificationActivities
from activities.notifications.case_page_links import notified_case
from activities.notifications.errors import MessageUndeliverable
from activities.notifications.factory import notification_provider
from core.links import CaseKind
from core.settings import Settings
from domain.case_event_payloads import complaint_case_events
from domain.case_events import notification_event_id
from domain.customer_contact import CustomerChannel, CustomerChannelSetting, CustomerContact
from domain.notifications import Notification, NotificationTemplate, Recipient, RecipientKind
from domain.taxonomy import Locale
from store.db import SessionFactory
from store.tables.outbox import DeliveryStatus, OutboxMessage
from store.tables.webhook_subscriptions import WebhookDelivery, WebhookEvent
from store.webhook_outbox import publish_events
from store.webhook_subscriptions import create_subscription
from tests.factories import make_projection
from tests.mail import received

SECRET = "test-secret-key-for-signing-case-links-0123456789abcdef"
NOTIFICATION_REQUESTED = "notification.requested"

APP_USER = CustomerContact(platform_user_id="u-8812")
MAIL_USER = CustomerContact(email="lin@example.com")
PLATFORM = CustomerChannel.PLATFORM


def settings(channel: CustomerChannelSetting, smtp_url: str = "") -> Settings:
    provider = "smtp" if smtp_url else "outbox"
    return Settings(
        customer_channel=channel,
        notifications_provider=provider,
        smtp_url=smtp_url,
        secret_key=SECRET,
        public_base_url="https://help.shop.example",
    )


def subscribe(sessions: SessionFactory, event_types: list[str]) -> str:
    subscription_id = f"sub_{uuid.uuid4().hex[:12]}"
    with sessions() as session:
        create_subscription(
            session,
            subscription_id=subscription_id,
            url="https://platform.example/events",
            event_types=event_types,
            description="",
            secret="whsec_" + "A" * 32,
            created_by="admin",
        )
    return subscription_id


def to_customer(
    contact: CustomerContact,
    *,
    complaint_id: str = "C7781",
    template: NotificationTemplate = NotificationTemplate.ACKNOWLEDGEMENT,
    locale: Locale = Locale.EN,
) -> Notification:
    return Notification(
        idempotency_key=f"{complaint_id}/1/{template.value}/cust-{uuid.uuid4().hex[:6]}",
        complaint_id=complaint_id,
        template=template,
        locale=locale,
        recipient=Recipient(
            kind=RecipientKind.CUSTOMER,
            id="cust-42",
            address=contact.email or contact.phone,
            contact=contact,
        ),
        params={"complaint_id": complaint_id, "customer_name": "Lin", "deadline": "18:00"},
    )


def row_of(sessions: SessionFactory, notification: Notification) -> OutboxMessage:
    with sessions() as session:
        row = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.idempotency_key == notification.idempotency_key
            )
        ).one()
        session.expunge(row)
        return row


def events_of(session: Session, event_type: str) -> list[WebhookEvent]:
    query = select(WebhookEvent).where(WebhookEvent.type == event_type)
    return list(session.exec(query.order_by(col(WebhookEvent.created_at))).all())


@pytest.mark.both_stores
def test_the_platform_gets_the_message_once_written_with_its_outbox_row(
    sessions: SessionFactory,
) -> None:
    subscription = subscribe(sessions, [NOTIFICATION_REQUESTED, "complaint.opened"])
    # The case already published its first steps: the message goes out after them.
    projection = make_projection()
    complaint_id = projection.view.complaint_id
    with sessions() as session:
        publish_events(session, complaint_case_events(projection.view, projection.new_events))
        session.commit()
    provider = notification_provider(settings(CustomerChannelSetting.PLATFORM), sessions)
    notification = to_customer(APP_USER, complaint_id=complaint_id)

    first = provider.send(notification)
    # A retried activity: the same row, and nothing published again.
    again = provider.send(notification)

    assert first.created and not again.created and again.message_id == first.message_id
    row = row_of(sessions, notification)
    assert (row.delivery_channel, row.delivery_status) == ("platform", DeliveryStatus.SENT)
    with sessions() as session:
        [event] = events_of(session, NOTIFICATION_REQUESTED)
        published = session.exec(
            select(WebhookEvent).where(WebhookEvent.type != NOTIFICATION_REQUESTED)
        ).all()
        queued = session.exec(
            select(WebhookDelivery).where(WebhookDelivery.event_id == event.event_id)
        ).all()
    assert event.event_id == notification_event_id(notification.idempotency_key)
    assert [d.subscription_id for d in queued] == [subscription]
    # The seq of the case's latest event, queued after it: delivered after it.
    assert event.seq == max(e.seq for e in published) > 1 and event.case_id == complaint_id
    body = json.loads(event.body)
    assert body["type"] == NOTIFICATION_REQUESTED
    data = body["data"]
    assert data["case_kind"] == "complaint" and data["case_id"] == complaint_id
    assert (data["subject"], data["text"]) == (row.subject, row.body)
    assert complaint_id in data["subject"] and "Lin" in data["text"]
    assert data["locale"] == "en" and data["template"] == "acknowledgement"
    assert data["message_key"] == notification.idempotency_key
    assert data["outbox_id"] == row.id
    assert data["customer_id"] == "cust-42"
    assert data["contact"] == {
        "email": None,
        "phone": None,
        "platform_user_id": "u-8812",
        "preferred_channel": None,
    }
    assert data["case_url"].startswith("https://help.shop.example/my/")
    # The text the platform pushes links the page too, as the e-mail does.
    assert data["case_url"] in data["text"]


@pytest.mark.both_stores
def test_without_a_subscription_the_message_fails_aloud_and_nothing_is_published(
    sessions: SessionFactory,
) -> None:
    # Subscribed to other events only: nobody takes the message.
    subscribe(sessions, ["complaint.opened"])
    provider = notification_provider(settings(CustomerChannelSetting.PLATFORM), sessions)
    notification = to_customer(APP_USER)

    # Through the activity, as the workflow meets it: a non-retryable typed error, which
    # puts `notification_failed` on the case's timeline.
    with pytest.raises(ApplicationError) as raised:
        ActivityEnvironment().run(NotificationActivities(provider).send_notification, notification)
    assert raised.value.type == "MessageUndeliverable" and raised.value.non_retryable
    assert "no enabled webhook subscription takes notification.requested" in str(raised.value)
    # A retry fails the same way, and still publishes nothing.
    with pytest.raises(MessageUndeliverable, match="REDRESS_CUSTOMER_CHANNEL"):
        provider.send(notification)

    row = row_of(sessions, notification)
    assert (row.delivery_channel, row.delivery_status) == ("platform", DeliveryStatus.FAILED)
    assert row.last_delivery_error and "POST /webhook-subscriptions" in row.last_delivery_error
    with sessions() as session:
        assert events_of(session, NOTIFICATION_REQUESTED) == []


def test_email_keeps_a_customer_without_an_address_in_the_outbox_as_before(
    sessions: SessionFactory, smtp_url: str, maildir: Path
) -> None:
    subscribe(sessions, [NOTIFICATION_REQUESTED])
    provider = notification_provider(settings(CustomerChannelSetting.EMAIL, smtp_url), sessions)
    by_app, by_mail = to_customer(APP_USER), to_customer(MAIL_USER)

    provider.send(by_app)
    provider.send(by_mail)

    assert row_of(sessions, by_app).delivery_status is None
    assert row_of(sessions, by_app).delivery_channel is None
    mailed = row_of(sessions, by_mail)
    assert (mailed.delivery_channel, mailed.delivery_status) == ("email", DeliveryStatus.SENT)
    [(_, message)] = received(maildir)
    assert message["To"].addresses[0].addr_spec == "lin@example.com"
    with sessions() as session:
        assert events_of(session, NOTIFICATION_REQUESTED) == []


def test_auto_mails_who_has_an_address_and_hands_the_rest_to_the_platform(
    sessions: SessionFactory, smtp_url: str, maildir: Path
) -> None:
    subscribe(sessions, [NOTIFICATION_REQUESTED])
    provider = notification_provider(settings(CustomerChannelSetting.AUTO, smtp_url), sessions)
    by_mail = to_customer(MAIL_USER)
    by_phone = to_customer(CustomerContact(phone="+8613800138000"))
    prefers_app = to_customer(
        CustomerContact(
            email="wang@example.com", platform_user_id="u-1", preferred_channel="platform"
        )
    )
    staff = Notification(
        idempotency_key=f"C7781/2/escalation/sup-{uuid.uuid4().hex[:6]}",
        complaint_id="C7781",
        template=NotificationTemplate.ESCALATION,
        locale=Locale.ZH_CN,
        recipient=Recipient(kind=RecipientKind.STAFF, id="sup-quality"),
        params={"complaint_id": "C7781", "level": "supervisor", "reason": "SLA"},
    )

    for notification in (by_mail, by_phone, prefers_app):
        provider.send(notification)
    provider.send(staff)

    assert row_of(sessions, by_mail).delivery_channel == "email"
    assert row_of(sessions, by_phone).delivery_channel == "platform"
    assert row_of(sessions, prefers_app).delivery_channel == "platform"
    # Staff messages never go to the platform.
    assert row_of(sessions, staff).delivery_channel != "platform"
    assert [m["To"].addresses[0].addr_spec for _, m in received(maildir)] == ["lin@example.com"]
    with sessions() as session:
        pushed = [json.loads(e.body)["data"] for e in events_of(session, NOTIFICATION_REQUESTED)]
    assert sorted(d["message_key"] for d in pushed) == sorted(
        [by_phone.idempotency_key, prefers_app.idempotency_key]
    )
    assert {d["contact"]["phone"] for d in pushed} == {"+8613800138000", None}


def test_a_return_s_message_names_the_return_as_its_events_do(sessions: SessionFactory) -> None:
    subscribe(sessions, [NOTIFICATION_REQUESTED])
    provider = notification_provider(settings(CustomerChannelSetting.PLATFORM), sessions)
    # A return files its messages under its workflow id, and its events under its id.
    notification = to_customer(APP_USER, complaint_id="return-R5512").model_copy(
        update={
            "template": NotificationTemplate.RETURN_RECEIVED,
            "params": {"return_id": "R5512", "customer_name": "Lin", "deadline": "18:00"},
        }
    )

    provider.send(notification)

    with sessions() as session:
        [event] = events_of(session, NOTIFICATION_REQUESTED)
    data = json.loads(event.body)["data"]
    assert (event.case_id, data["case_kind"], data["case_id"]) == ("R5512", "return", "R5512")
    assert data["case_url"] in data["text"]


@pytest.mark.parametrize(
    ("complaint_id", "params", "case"),
    [
        ("C1", {"complaint_id": "C1"}, (CaseKind.COMPLAINT, "C1")),
        ("return-R1", {"return_id": "R1"}, (CaseKind.RETURN, "R1")),
        # A survey's messages name the case they follow.
        ("return-R1", {"case_kind": "return", "case_ref": "R1"}, (CaseKind.RETURN, "R1")),
        ("C1", {"case_kind": "complaint", "case_ref": "C1"}, (CaseKind.COMPLAINT, "C1")),
        ("return-R1", {}, (CaseKind.RETURN, "R1")),
    ],
)
def test_every_message_knows_its_case(
    complaint_id: str, params: dict[str, str], case: tuple[CaseKind, str]
) -> None:
    notification = to_customer(APP_USER, complaint_id=complaint_id)
    assert notified_case(notification.model_copy(update={"params": params})) == case
