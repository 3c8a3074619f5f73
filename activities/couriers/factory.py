"""Picks the courier provider the settings name, and the sandbox's simulator."""

import httpx

from activities.couriers.base import CourierProvider
from activities.couriers.http import HttpCourier
from activities.couriers.plan import CourierPlan
from activities.couriers.sandbox import SandboxCourier
from activities.couriers.simulator import CourierSimulator
from activities.faults import FaultPlan
from core.settings import Settings
from store.db import SessionFactory

HTTP_COURIER_TIMEOUT = httpx.Timeout(15.0, connect=5.0)


def courier_provider(
    settings: Settings,
    sessions: SessionFactory,
    *,
    faults: FaultPlan | None = None,
    plan: CourierPlan | None = None,
) -> CourierProvider:
    """Returns the provider named by `settings.courier_provider` ("sandbox" or "http")."""
    if settings.courier_provider == "sandbox":
        return SandboxCourier(sessions, faults, plan or CourierPlan.from_settings(settings))
    if settings.courier_provider == "http":
        return HttpCourier(
            settings.courier_base_url,
            settings.courier_webhook_secret,
            httpx.Client(timeout=HTTP_COURIER_TIMEOUT),
        )
    raise ValueError(
        f"unknown courier_provider {settings.courier_provider!r}; "
        "use 'sandbox' (built in) or 'http' (with courier_base_url)"
    )


def courier_simulator(
    settings: Settings, sessions: SessionFactory, *, plan: CourierPlan | None = None
) -> CourierSimulator:
    """Returns the simulator that moves sandbox parcels and posts their events to the API."""
    return CourierSimulator(
        sessions,
        plan or CourierPlan.from_settings(settings),
        settings.effective_courier_webhook_url,
        settings.courier_webhook_secret,
    )
