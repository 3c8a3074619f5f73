"""The notification activity: renders and sends one message, once per idempotency key."""

from temporalio import activity

from activities.errors import call_provider
from activities.notifications.base import NotificationProvider
from domain.notifications import Notification, NotificationReceipt


class NotificationActivities:
    """Notification activities over one `NotificationProvider`, built once by the worker."""

    def __init__(self, provider: NotificationProvider) -> None:
        self._provider = provider

    @activity.defn(name="send_notification")
    def send_notification(self, notification: Notification) -> NotificationReceipt:
        """Returns the outbox id of the message, and whether this call created it."""
        return call_provider(self._provider.send, notification)
