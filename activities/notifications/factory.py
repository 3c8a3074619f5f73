"""Picks the notification provider the settings name."""

from activities.notifications.base import NotificationProvider
from activities.notifications.case_page_links import CaseLinkNotifier
from activities.notifications.outbox import OutboxNotifier
from core.settings import Settings
from store.db import SessionFactory


def notification_provider(settings: Settings, sessions: SessionFactory) -> NotificationProvider:
    """Returns the provider named by `settings.notifications_provider`."""
    if settings.notifications_provider == "outbox":
        return CaseLinkNotifier(OutboxNotifier(sessions), settings)
    raise ValueError(
        f"unknown notifications_provider {settings.notifications_provider!r}; "
        "the built-in one is 'outbox'"
    )
