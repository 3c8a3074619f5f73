"""The outbox notifier: each message rendered (`core.wording.mail`) and written once to
the store's outbox.

A delivery relay (email, SMS, app push) reads unsent rows and marks them sent; writing
here is what makes a notification durable and exactly-once across activity retries.
"""

import logging
from collections.abc import Callable

from sqlmodel import Session, select

from activities.idempotency import write_once
from activities.notifications.errors import IdempotencyKeyReused, MissingTemplateParameters
from core.wording.mail import MessageNotRenderable, RenderedMessage, render_notification
from domain.notifications import Notification, NotificationReceipt
from store.db import SessionFactory
from store.tables.outbox import OutboxMessage

logger = logging.getLogger(__name__)

Renderer = Callable[[Notification], RenderedMessage]
# Writes more with a new outbox row, in its transaction.
RowWriter = Callable[[Session, OutboxMessage], None]


class OutboxNotifier:
    """A `NotificationProvider` that writes messages to `store.tables.outbox`."""

    def __init__(self, sessions: SessionFactory, renderer: Renderer = render_notification) -> None:
        self._sessions = sessions
        self._render = renderer

    def send(
        self, notification: Notification, *, within_write: RowWriter | None = None
    ) -> NotificationReceipt:
        """Returns the outbox id of the message, created unless its key was seen before.

        `within_write` runs on the new row before it is committed, in the same
        transaction: what it writes is stored exactly when the row is (the platform
        channel's event, `activities.notifications.platform`)."""
        # The outbox keeps the plain text: what was sent, as the console shows it.
        try:
            subject, body, _ = self._render(notification)
        except MessageNotRenderable as error:
            raise MissingTemplateParameters(
                str(error), template=notification.template.value
            ) from error
        recipient = notification.recipient

        def create(session: Session) -> OutboxMessage:
            message = OutboxMessage(
                idempotency_key=notification.idempotency_key,
                complaint_id=notification.complaint_id,
                template=notification.template.value,
                locale=notification.locale.value,
                recipient_kind=recipient.kind.value,
                recipient_id=recipient.id,
                address=recipient.address,
                subject=subject,
                body=body,
            )
            session.add(message)
            session.flush()
            if within_write is not None:
                within_write(session, message)
            return message

        message, created = write_once(
            self._sessions,
            find=lambda session: session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.idempotency_key == notification.idempotency_key
                )
            ).first(),
            create=create,
        )
        assert message.id is not None
        if not created:
            if (message.template, message.recipient_id) != (
                notification.template.value,
                recipient.id,
            ):
                raise IdempotencyKeyReused(
                    f"idempotency key {notification.idempotency_key} already sent "
                    f"{message.template} to {message.recipient_id}; "
                    "send a new key for a new message",
                    message_id=str(message.id),
                )
            return NotificationReceipt(message_id=message.id, created=False)
        logger.info(
            "outbox message %d: %s to %s %s for complaint %s",
            message.id,
            notification.template.value,
            recipient.kind.value,
            recipient.id,
            notification.complaint_id,
        )
        return NotificationReceipt(message_id=message.id, created=True)
