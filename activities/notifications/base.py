"""The interface every notification provider implements (the outbox, or an email gateway)."""

from typing import Protocol

from domain.notifications import Notification, NotificationReceipt


class NotificationProvider(Protocol):
    """Sends each notification once; repeats of an idempotency key send nothing.

    Calls raise the errors in `activities.notifications.errors`.
    """

    def send(self, notification: Notification) -> NotificationReceipt:
        """Returns the message id, and whether this call created the message."""
        ...
