"""Staff messages e-mailed by the `smtp` provider to the staff user their recipient names,
on a real SMTP server (aiosmtpd) and a real store; recipients without an address stay in
the outbox with the reason on the row."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from activities.notifications.base import NotificationProvider
from activities.notifications.factory import notification_provider
from activities.notifications.smtp import mail_message_id
from domain.access import Role
from domain.notifications import Notification, NotificationTemplate, Recipient, RecipientKind
from domain.taxonomy import Locale
from store.db import SessionFactory
from store.staff import create_user, disable_user, set_email
from store.tables.outbox import DeliveryStatus
from store.tables.teams import Team
from tests.activities.test_smtp_notifications import DOMAIN, outbox_row, settings_for
from tests.mail import mail_catcher, received


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def provider(maildir: Path, sessions: SessionFactory) -> Iterator[NotificationProvider]:
    with mail_catcher(maildir) as url:
        yield notification_provider(settings_for(url), sessions)


@pytest.fixture
def staff(sessions: SessionFactory) -> None:
    """A team whose supervisor has an address and whose manager has none."""
    with sessions() as session:
        create_user(
            session,
            user_id="supervisor-care",
            display_name="李娜",
            role=Role.SUPERVISOR,
            email="li.na@shop.example",
        )
        create_user(session, user_id="manager-care", display_name="Wu", role=Role.SUPERVISOR)
        session.add(
            Team(
                name="care",
                calendar_json="{}",
                supervisor_id="supervisor-care",
                manager_id="manager-care",
            )
        )
        session.commit()


def escalation(recipient_id: str, case_ref: str = "CMP-7781") -> Notification:
    return Notification(
        idempotency_key=f"{case_ref}/escalation/{recipient_id}/{uuid.uuid4().hex[:6]}",
        complaint_id=case_ref,
        template=NotificationTemplate.ESCALATION,
        locale=Locale.ZH_CN,
        recipient=Recipient(kind=RecipientKind.STAFF, id=recipient_id),
        params={
            "complaint_id": case_ref,
            "level": "supervisor",
            "reason": "first_response deadline passed",
        },
    )


@pytest.mark.usefixtures("staff")
def test_a_message_to_a_user_or_their_team_mailbox_reaches_their_address_once(
    provider: NotificationProvider, maildir: Path, sessions: SessionFactory
) -> None:
    by_id = escalation("supervisor-care")
    by_team = escalation("team:care:supervisor")

    for notification in (by_id, by_team, by_id):
        provider.send(notification)

    messages = {message["Message-ID"]: message for _, message in received(maildir)}
    assert len(messages) == 2
    for notification in (by_id, by_team):
        message = messages[mail_message_id(notification.idempotency_key, DOMAIN, to_staff=True)]
        assert message["To"].addresses[0].addr_spec == "li.na@shop.example"
        assert message["To"].addresses[0].display_name == "李娜"
        assert "CMP-7781" in message["Subject"]
        assert message["Content-Language"] == "zh-CN"
        assert message["Auto-Submitted"] == "auto-generated"
        # Staff answer on the console: no case reply address, a thread apart from the
        # customer's, ids the mail gateway knows for staff mail.
        assert message["Reply-To"] is None
        assert message["In-Reply-To"] == f"<staff.case.CMP-7781@{DOMAIN}>"
        assert message["Message-ID"].startswith("<staff.")
        row = outbox_row(sessions, notification.idempotency_key)
        assert (row.delivery_status, row.delivery_attempts) == (DeliveryStatus.SENT, 1)
        assert row.mail_message_id == message["Message-ID"]


@pytest.mark.usefixtures("staff")
def test_recipients_without_an_address_stay_in_the_outbox_saying_why(
    provider: NotificationProvider, maildir: Path, sessions: SessionFactory
) -> None:
    with sessions() as session:
        create_user(
            session,
            user_id="agent-gone",
            display_name="Gone",
            role=Role.AGENT,
            email="gone@shop.example",
        )
        disable_user(session, user_id="agent-gone")
    reasons = {
        "manager-care": "user 'manager-care' has no e-mail address",
        "team:care:manager": "user 'manager-care' has no e-mail address",
        "team:care:agent": "names no person",
        "team:unrouted:supervisor": "team 'unrouted' has no supervisor",
        "returns-supervisor": "no active staff user 'returns-supervisor'",
        "agent-gone": "no active staff user 'agent-gone'",
    }
    sent = {who: escalation(who) for who in reasons}

    for notification in sent.values():
        provider.send(notification)
    # A later address changes nothing already decided: a retry sends nothing.
    with sessions() as session:
        set_email(session, user_id="manager-care", email="wu@shop.example")
    provider.send(sent["manager-care"])

    assert received(maildir) == []
    for who, reason in reasons.items():
        row = outbox_row(sessions, sent[who].idempotency_key)
        assert row.delivery_status == DeliveryStatus.OUTBOX_ONLY, who
        assert row.outbox_only_reason is not None and reason in row.outbox_only_reason
        assert (row.delivery_attempts, row.mail_message_id, row.last_delivery_error) == (
            0,
            None,
            None,
        )
