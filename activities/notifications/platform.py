"""The platform channel: a customer's message handed to the platform as a
`notification.requested` event, for it to push in its app or by SMS.

The event is written in the same transaction as the message's outbox row (the record of
what was sent, marked `platform`), so it is published exactly when the message is
stored: once per idempotency key, however often the activity is retried. The worker's
webhook dispatcher then delivers it as it delivers every event: signed, at least once,
in order per case, retried, logged. Its `webhook-id` is derived from the idempotency key,
so a platform that drops ids it has seen pushes each message once.

With no enabled subscription taking `notification.requested`, nobody would ever receive
the message: its row is marked failed with the reason, and `MessageUndeliverable` puts
`notification_failed` on the case's timeline, as a mail server's refusal does.
"""

import logging
from datetime import UTC, datetime

from sqlmodel import Session

from activities.notifications.case_page_links import CASE_URL, case_page_link, notified_case
from activities.notifications.errors import MessageUndeliverable
from activities.notifications.outbox import OutboxNotifier
from core.settings import Settings
from domain.case_event_payloads import NotificationRequestedData, notification_requested_event
from domain.case_events import CaseEventType, notification_event_id
from domain.customer_contact import CustomerChannel
from domain.notifications import Notification, NotificationReceipt
from store.db import SessionFactory
from store.tables.outbox import DeliveryStatus, OutboxMessage
from store.webhook_outbox import latest_case_seq, publish_events, subscriptions_by_type

logger = logging.getLogger(__name__)

# Who hands the message over, as the event's `actor` (the timeline's word for Redress).
ACTOR = "redress"

NO_SUBSCRIPTION = (
    "no enabled webhook subscription takes notification.requested, so the platform "
    "cannot push this message: subscribe its endpoint to that event "
    "(POST /webhook-subscriptions) or set REDRESS_CUSTOMER_CHANNEL to email or auto"
)


class PlatformNotifier:
    """A `NotificationProvider` for customer messages the platform pushes: each written to
    the outbox through `outbox` with its `notification.requested` event, once."""

    def __init__(
        self, outbox: OutboxNotifier, sessions: SessionFactory, settings: Settings
    ) -> None:
        self._outbox = outbox
        self._sessions = sessions
        self._settings = settings

    def send(self, notification: Notification) -> NotificationReceipt:
        """Returns the outbox receipt once the message and its event are stored.

        Raises `MessageUndeliverable` when no subscription takes the event (the row is
        marked failed), on the first try and on every retry of it."""

        def publish(session: Session, row: OutboxMessage) -> None:
            self._publish(session, row, notification)

        receipt = self._outbox.send(notification, within_write=publish)
        with self._sessions() as session:
            row = session.get(OutboxMessage, receipt.message_id)
            assert row is not None
            failed = row.delivery_status == DeliveryStatus.FAILED
            reason = row.last_delivery_error
        if failed:
            raise MessageUndeliverable(
                f"message {receipt.message_id} to customer {notification.recipient.id} "
                f"went nowhere: {reason}",
                outbox_id=str(receipt.message_id),
            )
        return receipt

    def _publish(self, session: Session, row: OutboxMessage, notification: Notification) -> None:
        """Marks the new row `platform` and stores its event, or marks it failed when no
        subscription takes the event. Runs in the row's transaction."""
        row.delivery_channel = CustomerChannel.PLATFORM.value
        event_type = CaseEventType.NOTIFICATION_REQUESTED
        if not subscriptions_by_type(session).get(event_type.value):
            row.delivery_status = DeliveryStatus.FAILED.value
            row.last_delivery_error = NO_SUBSCRIPTION
            session.add(row)
            logger.warning("outbox message %s: %s", row.id, NO_SUBSCRIPTION)
            return
        assert row.id is not None
        kind, case_id = notified_case(notification)
        recipient = notification.recipient
        data = NotificationRequestedData(
            case_kind=kind.value,
            case_id=case_id,
            seq=latest_case_seq(session, case_id=case_id),
            actor=ACTOR,
            detail=f"{notification.template} to {recipient.id}",
            message_key=notification.idempotency_key,
            outbox_id=row.id,
            template=notification.template.value,
            locale=notification.locale.value,
            subject=row.subject,
            text=row.body,
            case_url=notification.params.get(CASE_URL)
            or case_page_link(self._settings, kind, case_id),
            customer_id=recipient.id,
            contact=recipient.customer_contact(),
        )
        now = datetime.now(UTC)
        event_id = notification_event_id(notification.idempotency_key)
        publish_events(session, [notification_requested_event(data, event_id=event_id, at=now)])
        row.delivery_status = DeliveryStatus.SENT.value
        row.sent_at = now
        session.add(row)
        logger.info("outbox message %s handed to the platform as event %s", row.id, event_id)
