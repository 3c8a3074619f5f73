"""Picks the notification provider the settings name."""

from activities.notifications.base import NotificationProvider
from activities.notifications.case_page_links import CaseLinkNotifier
from activities.notifications.outbox import OutboxNotifier
from activities.notifications.smtp import SmtpNotifier
from core.settings import Settings
from store.db import SessionFactory


def notification_provider(settings: Settings, sessions: SessionFactory) -> NotificationProvider:
    """Returns the provider named by `settings.notifications_provider`, behind the
    notifier that gives the customer's first message its page link (both the outbox row
    and the e-mail carry it)."""
    outbox = OutboxNotifier(sessions)
    if settings.notifications_provider == "outbox":
        return CaseLinkNotifier(outbox, settings)
    if settings.notifications_provider == "smtp":
        if not settings.smtp_url:
            raise ValueError("notifications_provider 'smtp' needs REDRESS_SMTP_URL")
        return CaseLinkNotifier(SmtpNotifier(outbox, sessions, settings), settings)
    raise ValueError(
        f"unknown notifications_provider {settings.notifications_provider!r}; "
        "the built-in ones are 'outbox' and 'smtp'"
    )
