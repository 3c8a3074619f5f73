"""Picks the payments provider the settings name."""

from activities.faults import FaultPlan
from activities.payments.base import PaymentsProvider
from activities.payments.sandbox import SandboxPayments
from core.settings import Settings
from store.db import SessionFactory


def payments_provider(settings: Settings, sessions: SessionFactory) -> PaymentsProvider:
    """Returns the provider named by `settings.payments_provider`."""
    if settings.payments_provider == "sandbox":
        return SandboxPayments(sessions, FaultPlan.from_settings(settings))
    raise ValueError(
        f"unknown payments_provider {settings.payments_provider!r}; the built-in one is 'sandbox'"
    )
