"""The forms of a webhook subscription's page (admins): send one delivery again, send
every event since a time again, and rotate the signing secret.

Each changes the store through the functions the API's routes use
(`store.webhook_deliveries`, `store.webhook_subscriptions`), with its audit-trail entry
in the same transaction and the form's key on it: the same form sent twice queues
nothing twice, and a secret is made and shown once. A refusal shows the page again in
the user's language, naming the field; nothing changes.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Path, Request, Response
from sqlmodel import Session

from api.console.admin_forms import SentForm, done, run_change, sent_by
from api.console.admin_user_page import OneTimeSecret
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem
from api.console.webhooks_page import (
    GRACE_CHOICES,
    WEBHOOKS_PATH,
    SubscriptionIdPath,
    subscription_page,
)
from api.deps import SessionDep
from api.routes.subscriptions import MAX_DELIVERY_ID
from api.subscription_models import new_secret
from domain.access import Permission
from domain.policy import STAFF_TIMEZONE
from store.tables.webhook_subscriptions import WebhookSubscription
from store.webhook_deliveries import redeliver, redeliver_since
from store.webhook_subscriptions import event_types_of, get_subscription, rotate_secret

router = APIRouter(route_class=ConsoleRoute)

WebhooksForm = Annotated[
    SentForm, Depends(sent_by(Permission.MANAGE_WEBHOOKS, refusal="forbidden_webhooks"))
]
DeliveryIdPath = Annotated[int, Path(ge=1, le=MAX_DELIVERY_ID)]


def _known(session: Session, subscription_id: str) -> WebhookSubscription:
    subscription = get_subscription(session, subscription_id=subscription_id)
    if subscription is None:
        raise ConsoleProblem(404, "webhook_no_such_subscription")
    return subscription


async def _answer(
    request: Request,
    form: SentForm,
    session: Session,
    subscription_id: str,
    outcome: str | OneTimeSecret | ConsoleProblem | None,
    *,
    subject: str = "",
    typed: dict[str, str] | None = None,
) -> Response:
    """Returns the redirect saying what the form did, the page with a secret to show
    once, or the page with the refusal."""
    if isinstance(outcome, ConsoleProblem):
        return await subscription_page(
            request,
            form.user,
            session,
            subscription_id,
            status_code=outcome.status_code,
            problem=outcome,
            typed=typed,
        )
    if isinstance(outcome, OneTimeSecret):
        return await subscription_page(request, form.user, session, subscription_id, secret=outcome)
    if outcome is None:
        return done(f"{WEBHOOKS_PATH}/{subscription_id}", "webhook_already")
    return done(f"{WEBHOOKS_PATH}/{subscription_id}", outcome, subject=subject)


@router.post("/admin/webhooks/{subscription_id}/deliveries/{delivery_id}/redeliver")
async def redeliver_one(
    request: Request,
    subscription_id: SubscriptionIdPath,
    delivery_id: DeliveryIdPath,
    form: WebhooksForm,
    session: SessionDep,
) -> Response:
    """Queues one delivery again, delivered or dead, with a fresh retry window."""

    def change(session: Session) -> str:
        _known(session, subscription_id)
        queued = redeliver(
            session,
            subscription_id=subscription_id,
            delivery_id=delivery_id,
            now=datetime.now(UTC),
            note=form.note(),
        )
        if not queued:
            raise ConsoleProblem(404, "webhook_no_such_delivery")
        return "redelivered"

    outcome = await run_change(session, change, form_key=form.form_key)
    return await _answer(request, form, session, subscription_id, outcome, subject=str(delivery_id))


def since_of(typed: str) -> datetime:
    """Returns the moment the form's "Since" names, in the staff's time zone unless it
    says otherwise; raises the refusal naming the field."""
    try:
        moment = datetime.fromisoformat(typed.strip())
    except ValueError:
        raise ConsoleProblem(422, "webhook_since_invalid") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(STAFF_TIMEZONE))
    return moment.astimezone(UTC)


@router.post("/admin/webhooks/{subscription_id}/redeliver")
async def redeliver_everything_since(
    request: Request,
    subscription_id: SubscriptionIdPath,
    form: WebhooksForm,
    session: SessionDep,
    since: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Queues again every event of the subscription's types since a time, in case order."""
    queued = 0

    def change(session: Session) -> str:
        nonlocal queued
        subscription = _known(session, subscription_id)
        queued = redeliver_since(
            session,
            subscription_id=subscription_id,
            event_types=event_types_of(subscription),
            since=since_of(since),
            now=datetime.now(UTC),
            note=form.note(),
        )
        return "redelivered_since" if queued else "nothing_to_redeliver"

    outcome = await run_change(session, change, form_key=form.form_key)
    typed = {"since": since, "reason": form.reason}
    return await _answer(
        request, form, session, subscription_id, outcome, subject=str(queued), typed=typed
    )


@router.post("/admin/webhooks/{subscription_id}/rotate-secret")
async def rotate_signing_secret(
    request: Request,
    subscription_id: SubscriptionIdPath,
    form: WebhooksForm,
    session: SessionDep,
    grace_hours: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Makes a new signing secret, shown once on the answer; the old one signs too for
    the grace chosen."""

    def change(session: Session) -> OneTimeSecret:
        subscription = _known(session, subscription_id)
        if not grace_hours.isdigit() or int(grace_hours) not in GRACE_CHOICES:
            raise ConsoleProblem(422, "webhook_grace_invalid")
        rotated = rotate_secret(
            session,
            subscription,
            secret=new_secret(),
            grace=timedelta(hours=int(grace_hours)),
            now=datetime.now(UTC),
            note=form.note(),
        )
        return OneTimeSecret("webhook_secret", rotated.secret)

    outcome = await run_change(session, change, form_key=form.form_key)
    typed = {"grace_hours": grace_hours, "reason": form.reason}
    return await _answer(request, form, session, subscription_id, outcome, typed=typed)
