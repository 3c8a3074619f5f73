"""Complaints e-mail their customers through the `smtp` provider, on a real SMTP server:
the acknowledgement lands in a Maildir, and a message the server refuses for good puts
`notification_failed` on the case's timeline while the case carries on."""

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from activities.notifications.factory import notification_provider
from core.settings import Settings
from domain import policy
from domain.access import Role
from domain.complaints import ComplaintStatus, TimelineKind
from domain.taxonomy import EscalationLevel
from store.db import SessionFactory
from store.staff import create_user
from store.tables.outbox import DeliveryStatus, OutboxMessage
from tests.factories import make_intake
from tests.mail import RefusingHandler, mail_catcher, mail_server, received
from tests.workflows.conftest import TEST_SECRET_KEY, open_redress
from tests.workflows.helpers import intake


@pytest.fixture
def catcher(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Yields the URL of a mail catcher and the Maildir it writes."""
    maildir = tmp_path / "mail"
    with mail_catcher(maildir) as url:
        yield url, maildir


def smtp_settings(url: str) -> Settings:
    return Settings(notifications_provider="smtp", smtp_url=url, secret_key=TEST_SECRET_KEY)


async def test_a_complaints_acknowledgement_arrives_by_mail(
    time_skipping_env: WorkflowEnvironment,
    sessions: SessionFactory,
    catcher: tuple[str, Path],
) -> None:
    url, maildir = catcher
    notifier = notification_provider(smtp_settings(url), sessions)
    async with open_redress(time_skipping_env, sessions, notifier=notifier) as redress:
        handle = await redress.start(make_intake())
        view = await redress.until(
            handle,
            lambda v: any(e.kind is TimelineKind.ACKNOWLEDGED for e in v.timeline),
            "acknowledged",
        )
        for _ in range(200):
            if received(maildir):
                break
            await asyncio.sleep(0.05)

    [(_, message)] = received(maildir)
    assert message["To"] == "王芳 <wang.fang@example.com>"
    assert view.complaint_id in str(message["Subject"])
    assert message["Reply-To"] == f"case+{view.complaint_id}@redress.localhost"


async def test_a_refused_message_is_on_the_timeline_and_the_case_goes_on(
    time_skipping_env: WorkflowEnvironment, sessions: SessionFactory
) -> None:
    with mail_server(RefusingHandler()) as url:
        notifier = notification_provider(smtp_settings(url), sessions)
        async with open_redress(time_skipping_env, sessions, notifier=notifier) as redress:
            handle = await redress.start(make_intake())
            view = await redress.until(
                handle,
                lambda v: any(e.kind is TimelineKind.NOTIFICATION_FAILED for e in v.timeline),
                "a failed notification on the timeline",
            )
            view = await redress.until_status(handle, ComplaintStatus.OPEN)

    [failed] = [e for e in view.timeline if e.kind is TimelineKind.NOTIFICATION_FAILED]
    assert "acknowledgement" in failed.detail and "550" in failed.detail


async def test_an_escalation_reaches_the_supervisor_s_mailbox_in_the_staff_language_once(
    time_skipping_env: WorkflowEnvironment,
    sessions: SessionFactory,
    catcher: tuple[str, Path],
) -> None:
    url, maildir = catcher
    notifier = notification_provider(smtp_settings(url), sessions)
    async with open_redress(time_skipping_env, sessions, notifier=notifier) as redress:
        # An English-speaking customer: the acknowledgement is English, staff mail is not.
        handle = await redress.start(intake("The kettle stopped heating after two days."))
        view = await redress.until_status(handle, ComplaintStatus.OPEN)
        assert view.routing is not None and view.routing.supervisor_id
        supervisor = view.routing.supervisor_id
        with sessions() as session:
            create_user(
                session,
                user_id=supervisor,
                display_name="李娜",
                role=Role.SUPERVISOR,
                email="li.na@shop.example",
            )

        # The first response is due in 24 h: past it, the complaint goes to the supervisor.
        await redress.env.sleep(timedelta(hours=25))

        def escalation_sent(complaint_id: str) -> bool:
            with sessions() as session:
                rows = session.exec(
                    select(OutboxMessage)
                    .where(OutboxMessage.complaint_id == complaint_id)
                    .where(OutboxMessage.template == "escalation")
                    .where(OutboxMessage.recipient_id == supervisor)
                ).all()
            return any(row.delivery_status == DeliveryStatus.SENT for row in rows)

        view = await redress.until(
            handle, lambda v: escalation_sent(v.complaint_id), "the escalation e-mailed"
        )
        assert view.escalation_level is EscalationLevel.SUPERVISOR

    # Once: the supervisor's mailbox holds the escalation and nothing else.
    [escalation] = [
        message
        for _, message in received(maildir)
        if message["To"].addresses[0].addr_spec == "li.na@shop.example"
    ]
    assert escalation["Content-Language"] == policy.STAFF_LOCALE.value == "zh-CN"
    assert view.complaint_id in escalation["Subject"] and "升级" in escalation["Subject"]
    assert escalation["Reply-To"] is None
