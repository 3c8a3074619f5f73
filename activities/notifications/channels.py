"""Sends each customer message by the channel `REDRESS_CUSTOMER_CHANNEL` and the
customer's contact data pick (`domain.customer_contact.customer_channel`): e-mail through
the deployment's provider (`outbox` or `smtp`), or the platform. Staff messages always
take the e-mail provider."""

from activities.notifications.base import NotificationProvider
from domain.customer_contact import CustomerChannel, CustomerChannelSetting, customer_channel
from domain.notifications import Notification, NotificationReceipt, RecipientKind


class CustomerChannelRouter:
    """A `NotificationProvider` that hands each message to `email` or `platform`."""

    def __init__(
        self,
        setting: CustomerChannelSetting,
        *,
        email: NotificationProvider,
        platform: NotificationProvider,
    ) -> None:
        self._setting = setting
        self._email = email
        self._platform = platform

    def send(self, notification: Notification) -> NotificationReceipt:
        """Returns the receipt of the provider of the message's channel."""
        return self._provider_for(notification).send(notification)

    def _provider_for(self, notification: Notification) -> NotificationProvider:
        recipient = notification.recipient
        if recipient.kind is not RecipientKind.CUSTOMER:
            return self._email
        channel = customer_channel(self._setting, recipient.customer_contact())
        return self._platform if channel is CustomerChannel.PLATFORM else self._email
