"""Picks the notification provider the settings name."""

from activities.notifications.base import NotificationProvider
from activities.notifications.case_page_links import CaseLinkNotifier
from activities.notifications.channels import CustomerChannelRouter
from activities.notifications.outbox import OutboxNotifier
from activities.notifications.platform import PlatformNotifier
from activities.notifications.smtp import SmtpNotifier
from core.settings import Settings
from store.db import SessionFactory


def notification_provider(settings: Settings, sessions: SessionFactory) -> NotificationProvider:
    """Returns the provider named by `settings.notifications_provider` for e-mail, beside
    the platform channel for the customers `settings.customer_channel` sends there, behind
    the notifier that gives the customer's first message its page link (the outbox row,
    the e-mail and the platform's event all carry it)."""
    outbox = OutboxNotifier(sessions)
    router = CustomerChannelRouter(
        settings.customer_channel,
        email=_email_provider(settings, sessions, outbox),
        platform=PlatformNotifier(outbox, sessions, settings),
    )
    return CaseLinkNotifier(router, settings)


def _email_provider(
    settings: Settings, sessions: SessionFactory, outbox: OutboxNotifier
) -> NotificationProvider:
    if settings.notifications_provider == "outbox":
        return outbox
    if settings.notifications_provider == "smtp":
        if not settings.smtp_url:
            raise ValueError("notifications_provider 'smtp' needs REDRESS_SMTP_URL")
        return SmtpNotifier(outbox, sessions, settings)
    raise ValueError(
        f"unknown notifications_provider {settings.notifications_provider!r}; "
        "the built-in ones are 'outbox' and 'smtp'"
    )
