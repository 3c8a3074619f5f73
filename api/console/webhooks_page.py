"""Webhook subscriptions in the console, for admins (everyone else gets the 403 page): the
list, with each subscription's endpoint, event types, state and what its deliveries came
to (delivered, failing, dead, waiting); and a subscription's page with its delivery log,
every attempt of each delivery, the forms that send one delivery or everything since a
time again and rotate its secret (`webhook_forms`), and its audit trail.

Subscriptions are created and changed through the API (`/webhook-subscriptions`), which
platforms' engineers script; the console is where their deliveries are followed.
"""

from dataclasses import dataclass
from math import ceil
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.admin_forms import ADMIN_PREFIX, done_notice, new_form_key
from api.console.admin_user_page import OneTimeSecret
from api.console.rendering import render
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem, ConsoleUser, SignedIn, require
from api.deps import SessionDep
from api.subscription_models import DEFAULT_GRACE_HOURS
from domain.access import Permission
from store.admin_changes import SubjectKind, recent_changes
from store.tables.admin_changes import AdminChange
from store.tables.webhook_subscriptions import DeliveryState, WebhookSubscription
from store.webhook_deliveries import LoggedDelivery, delivery_log
from store.webhook_subscriptions import (
    DeliveryCounts,
    delivery_counts,
    event_types_of,
    get_subscription,
    list_subscriptions,
)

router = APIRouter(route_class=ConsoleRoute)

WEBHOOKS_PATH = f"{ADMIN_PREFIX}/webhooks"
API_PATH = "/webhook-subscriptions"
LOG_PAGE_SIZE = 25
# Subscriptions are few (admins add them): one page holds them all.
MAX_SUBSCRIPTIONS = 200
# The grace choices of the rotation form, in hours (the API takes any from 0 to 168).
GRACE_CHOICES = (0, 1, DEFAULT_GRACE_HOURS, 72, 168)
SubscriptionIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


@dataclass(frozen=True)
class SubscriptionRow:
    """A subscription as the list shows it, with its event types and delivery counts."""

    subscription: WebhookSubscription
    event_types: list[str]
    counts: DeliveryCounts


@dataclass(frozen=True)
class DeliveryLogPage:
    """One page of a subscription's delivery log, newest event first."""

    items: list[LoggedDelivery]
    total: int
    page: int
    pages: int
    status: DeliveryState | None


def _rows(session: Session) -> list[SubscriptionRow]:
    counts = delivery_counts(session)
    return [
        SubscriptionRow(
            subscription=row,
            event_types=event_types_of(row),
            counts=counts.get(row.subscription_id, DeliveryCounts()),
        )
        for row in list_subscriptions(session, limit=MAX_SUBSCRIPTIONS)
    ]


def require_webhooks(user: ConsoleUser) -> None:
    """Raises the 403 page unless the user may manage webhook subscriptions."""
    require(user, Permission.MANAGE_WEBHOOKS, "forbidden_webhooks")


@router.get("/admin/webhooks")
async def webhooks_page(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Lists the subscriptions with what their deliveries came to."""
    require_webhooks(user)
    rows = await run_in_threadpool(_rows, session)
    return render(
        request,
        "admin_webhooks.html",
        user=user,
        rows=rows,
        api_path=API_PATH,
        notice=done_notice(request),
    )


def _found(session: Session, subscription_id: str) -> WebhookSubscription:
    subscription = get_subscription(session, subscription_id=subscription_id)
    if subscription is None:
        raise ConsoleProblem(404, "webhook_no_such_subscription")
    return subscription


@dataclass(frozen=True)
class SubscriptionView:
    row: SubscriptionRow
    log: DeliveryLogPage
    changes: list[AdminChange]


def _read(
    session: Session, subscription_id: str, status: DeliveryState | None, page: int
) -> SubscriptionView:
    subscription = _found(session, subscription_id)
    counts = delivery_counts(session).get(subscription_id, DeliveryCounts())
    items, total = delivery_log(
        session,
        subscription_id=subscription_id,
        status=status,
        limit=LOG_PAGE_SIZE,
        offset=(page - 1) * LOG_PAGE_SIZE,
    )
    return SubscriptionView(
        row=SubscriptionRow(subscription, event_types_of(subscription), counts),
        log=DeliveryLogPage(
            items=items,
            total=total,
            page=page,
            pages=max(1, ceil(total / LOG_PAGE_SIZE)),
            status=status,
        ),
        changes=recent_changes(session, kinds=(SubjectKind.WEBHOOK,), subject=subscription_id),
    )


async def subscription_page(
    request: Request,
    user: ConsoleUser,
    session: Session,
    subscription_id: str,
    *,
    status: DeliveryState | None = None,
    page: int = 1,
    status_code: int = 200,
    problem: ConsoleProblem | None = None,
    typed: dict[str, str] | None = None,
    secret: OneTimeSecret | None = None,
) -> Response:
    """Returns the subscription's page, with a refused form, or a secret to show once."""
    view = await run_in_threadpool(_read, session, subscription_id, status, page)
    path = f"{WEBHOOKS_PATH}/{subscription_id}"

    def page_url(number: int) -> str:
        query = {"status": status.value} if status else {}
        return f"{path}?{urlencode(query | {'page': str(number)})}"

    return render(
        request,
        "admin_webhook.html",
        user=user,
        status_code=status_code,
        view=view,
        path=path,
        states=list(DeliveryState),
        page_url=page_url,
        result=view.log,
        grace_choices=GRACE_CHOICES,
        default_grace=DEFAULT_GRACE_HOURS,
        problem=problem,
        typed=typed or {},
        secret=secret,
        form_keys={name: new_form_key() for name in ("since", "rotate")},
        redeliver_keys={logged.delivery.id: new_form_key() for logged in view.log.items},
        notice=done_notice(request),
    )


@router.get("/admin/webhooks/{subscription_id}")
async def webhook_page(
    request: Request,
    subscription_id: SubscriptionIdPath,
    user: SignedIn,
    session: SessionDep,
    status: DeliveryState | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Shows one subscription with its delivery log and the forms that act on it."""
    require_webhooks(user)
    return await subscription_page(
        request, user, session, subscription_id, status=status, page=page
    )
