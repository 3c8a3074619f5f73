"""Mail the way customers' servers deliver it: built here, sent over real SMTP (aiosmtplib)
to the gateway's own aiosmtpd listener, beside the API, workers on the dev server, and a
mail catcher taking what Redress sends."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
from temporalio.testing import WorkflowEnvironment

from activities.notifications.factory import notification_provider
from core.stack import free_port
from inbound.mail.gateway import MailGateway
from inbound.mail.smtp_server import serve_smtp
from store.db import SessionFactory
from store.inbound_mail import find_mail
from store.tables.inbound_mail import InboundMail
from tests.api.conftest import api_test_settings, running_api
from tests.api.support import Api, eventually
from tests.mail import mail_catcher, received

SUPPORT = "support@redress.localhost"
# Small, so the oversize test sends little; the default is 25 MB.
TEST_MAX_BYTES = 64 * 1024


@dataclass
class MailHarness:
    api: Api
    gateway: MailGateway
    port: int
    maildir: Path

    async def deliver(self, message: EmailMessage | bytes, *recipients: str) -> None:
        """Hands `message` to the gateway over SMTP, as the customer's server would."""
        await aiosmtplib.send(
            message,
            sender="bounces@example.com",
            recipients=list(recipients) or [SUPPORT],
            hostname="127.0.0.1",
            port=self.port,
            timeout=30,
        )

    async def taken(self, message_id: str) -> InboundMail:
        """Returns the gateway's record of the mail once it has an outcome."""

        async def settled() -> InboundMail | None:
            with self.api.sessions() as session:
                row = find_mail(session, message_id=message_id)
            return row if row is not None and row.outcome is not None else None

        return await eventually(settled)

    async def ask_for_a_photo(self, complaint_id: str, customer: str) -> EmailMessage:
        """Asks the customer at `customer` for a photo once the complaint opened; returns
        the question as it was mailed (after the acknowledgement)."""
        await self.api.wait_for_view(complaint_id, lambda v: v["status"] == "open")
        asked = await self.api.http.post(
            f"/complaints/{complaint_id}/actions",
            json={"action": {"type": "request_info", "question": "Could you send a photo?"}},
        )
        assert asked.status_code == 200, asked.text
        [_, question] = await self.mail_to(customer, count=2)
        return question

    async def mail_to(self, address: str, count: int = 1) -> list[EmailMessage]:
        """Returns what Redress mailed to `address`, once `count` messages arrived."""

        async def arrived() -> list[EmailMessage] | None:
            found = [m for _, m in received(self.maildir) if address in str(m["To"])]
            return found if len(found) >= count else None

        return await eventually(arrived)


@asynccontextmanager
async def mail_harness(
    env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
    **overrides: Any,
) -> AsyncIterator[MailHarness]:
    maildir = tmp_path / "caught"
    with mail_catcher(maildir) as catcher_url:
        settings = api_test_settings(
            env.client,
            database_url,
            tmp_path,
            queue="mail-in",
            notifications_provider="smtp",
            smtp_url=catcher_url,
            mail_max_bytes=TEST_MAX_BYTES,
            **overrides,
        )
        notifier = notification_provider(settings, sessions)
        async with running_api(env.client, sessions, settings, notifier) as api:
            gateway = MailGateway(sessions=sessions, temporal=env.client, settings=settings)
            port = free_port()
            server = await serve_smtp(
                gateway, host="127.0.0.1", port=port, max_bytes=settings.mail_max_bytes
            )
            async with server:
                yield MailHarness(api, gateway, port, maildir)


def customer_mail(
    body: str,
    *,
    subject: str = "The blender arrived broken",
    sender: Address | None = None,
    to: str = SUPPORT,
    **headers: Any,
) -> EmailMessage:
    """Returns a customer's plain-text mail with a fresh Message-ID."""
    message = EmailMessage()
    message["From"] = sender or Address("Lin Wei", "lin.wei", "example.com")
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@mail.example.com>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message
