"""Messages and events leaving the chaos stack: the customers' mail server and the
platform's webhook endpoint the run owns, the stack pointed at them, the subscription made
through the API, the wait for the last delivery, and the checks of what arrived."""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, func, select

from chaos.api_client import ApiClient
from chaos.findings import Findings
from chaos.mail_checks import MailFigures, check_mail
from chaos.mail_sink import MailSink
from chaos.monkey import WorkerKill
from chaos.plan import ChaosPlan
from chaos.snapshot import StoreSnapshot
from chaos.webhook_checks import WebhookFigures, check_webhooks
from chaos.webhook_receiver import WebhookReceiver
from domain.case_events import CaseEventType
from domain.notifications import RecipientKind
from store.db import SessionFactory
from store.tables.outbox import OutboxMessage
from store.tables.webhook_subscriptions import DeliveryState, WebhookDelivery

# A worker killed mid-send holds its message for the notification's 30 s timeout and its
# webhook delivery for its lease (the dispatcher's timeout plus a minute) before another
# worker sends it again; then retries back off for a few seconds more.
SETTLE_SECONDS = 150.0
POLL_SECONDS = 1.0


@dataclass
class DeliveryFigures:
    mail: MailFigures
    webhooks: WebhookFigures


class Outside:
    """The world the stack sends to: a mail server and a platform's endpoint."""

    def __init__(self, plan: ChaosPlan, work_dir: Path, sender_pids: Callable[[], list[int]]):
        self.mail = MailSink(work_dir / "mail", sender_pids)
        self.endpoint = WebhookReceiver(
            failure_rate=plan.webhook_failure_rate,
            # Late enough that the dispatcher has stopped waiting, whatever the load.
            late_by_seconds=plan.webhook_timeout_seconds + 1.0,
            seed=plan.seed,
        )
        self.subscription_id = ""

    def stack_settings(self) -> dict[str, str]:
        """Returns the REDRESS_* variables that make the stack e-mail customers here."""
        return {"REDRESS_NOTIFICATIONS_PROVIDER": "smtp", "REDRESS_SMTP_URL": self.mail.url}

    def start(self) -> None:
        self.mail.start()
        self.endpoint.start()

    def stop(self) -> None:
        self.endpoint.stop()
        self.mail.stop()

    async def subscribe(self, api: ApiClient) -> None:
        """Subscribes the endpoint to every event type, as a platform's admin would."""
        answer = await api.post(
            "/webhook-subscriptions",
            {
                "url": self.endpoint.url,
                "description": "chaos run: the platform's endpoint",
                "event_types": [event_type.value for event_type in CaseEventType],
            },
            role="admin",
            idempotency_key="chaos-platform-endpoint",
        )
        if answer.status_code not in (200, 201):
            raise RuntimeError(f"subscribing the endpoint failed: {answer.text[:300]}")
        created = answer.json()
        self.subscription_id = created["subscription_id"]
        self.endpoint.secret = created["secret"]

    async def settle(self, sessions: SessionFactory, say: Callable[[str], None]) -> None:
        """Waits until every customer's e-mail is sent or failed and no event is pending
        (or gives up, and the checks say what is missing)."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            unsent, pending = await asyncio.to_thread(_in_flight, sessions)
            if unsent == pending == 0:
                return
            await asyncio.sleep(POLL_SECONDS)
        say(f"after {SETTLE_SECONDS:.0f} s, {unsent} e-mails unsent, {pending} events pending")

    def check(
        self, snapshot: StoreSnapshot, kills: list[WorkerKill], findings: Findings
    ) -> DeliveryFigures:
        rows = [row for rows in snapshot.outbox.values() for row in rows]
        return DeliveryFigures(
            mail=check_mail(rows, self.mail.caught(), kills, findings),
            webhooks=check_webhooks(
                snapshot.webhook_events,
                snapshot.webhook_deliveries,
                self.subscription_id,
                self.endpoint.taken(),
                self.endpoint.figures,
                findings,
            ),
        )


def _in_flight(sessions: SessionFactory) -> tuple[int, int]:
    """Returns (customers' e-mails not yet sent or failed, event deliveries pending)."""
    with sessions() as session:
        unsent = session.exec(
            select(func.count()).where(
                col(OutboxMessage.recipient_kind) == RecipientKind.CUSTOMER.value,
                col(OutboxMessage.address).contains("@"),
                col(OutboxMessage.delivery_status).is_(None),
            )
        ).one()
        pending = session.exec(
            select(func.count()).where(col(WebhookDelivery.status) == DeliveryState.PENDING.value)
        ).one()
    return unsent, pending
