"""Reads and writes of platforms' webhook subscriptions, their secrets' rotation, and what
their deliveries came to."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.admin_changes import ChangeAction, ChangeNote, SubjectKind, commit_change, details
from store.tables.webhook_subscriptions import (
    DeliveryState,
    WebhookDelivery,
    WebhookSubscription,
)
from store.upsert import insert_on_conflict

MAX_PAGE_SIZE = 200


def create_subscription(
    session: Session,
    *,
    subscription_id: str,
    url: str,
    event_types: Sequence[str],
    description: str,
    secret: str,
    created_by: str,
) -> WebhookSubscription:
    """Stores a subscription unless one with `subscription_id` exists (a retried request);
    returns the stored one, then commits."""
    now = datetime.now(UTC)
    insert = insert_on_conflict(session, WebhookSubscription).values(
        subscription_id=subscription_id,
        url=url,
        event_types=json.dumps(sorted(set(event_types))),
        description=description,
        secret=secret,
        enabled=True,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.exec(insert.on_conflict_do_nothing(index_elements=["subscription_id"]))
    session.commit()
    stored = session.get(WebhookSubscription, subscription_id)
    assert stored is not None
    return stored


def get_subscription(session: Session, *, subscription_id: str) -> WebhookSubscription | None:
    """Returns the subscription, or None if there is none with that id."""
    return session.get(WebhookSubscription, subscription_id)


def list_subscriptions(
    session: Session, *, limit: int = 50, offset: int = 0
) -> list[WebhookSubscription]:
    """Returns one page of subscriptions, oldest first."""
    query = (
        select(WebhookSubscription)
        .order_by(col(WebhookSubscription.created_at), col(WebhookSubscription.subscription_id))
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query).all())


def update_subscription(
    session: Session,
    subscription: WebhookSubscription,
    *,
    url: str | None = None,
    event_types: Sequence[str] | None = None,
    enabled: bool | None = None,
    description: str | None = None,
) -> WebhookSubscription:
    """Changes the given fields of `subscription` (None leaves one as it is), then commits.

    New event types apply to events published from now on; disabling stops sending and
    keeps what is pending for when it is enabled again.
    """
    if url is not None:
        subscription.url = url
    if event_types is not None:
        subscription.event_types = json.dumps(sorted(set(event_types)))
    if enabled is not None:
        subscription.enabled = enabled
    if description is not None:
        subscription.description = description
    subscription.updated_at = datetime.now(UTC)
    session.add(subscription)
    session.commit()
    session.refresh(subscription)
    return subscription


def event_types_of(subscription: WebhookSubscription) -> list[str]:
    """Returns the event types the subscription wants."""
    types: list[str] = json.loads(subscription.event_types)
    return types


def rotate_secret(
    session: Session,
    subscription: WebhookSubscription,
    *,
    secret: str,
    grace: timedelta,
    now: datetime,
    note: ChangeNote | None = None,
    request_key: str | None = None,
) -> WebhookSubscription:
    """Makes `secret` the subscription's signing secret; the one it replaces still signs
    too (a second signature) for `grace`, not at all when `grace` is zero. A secret
    replaced earlier and still in its grace stops signing at once. Commits, with the
    audit entry when a `note` is given (raising `FormAlreadySent`, with nothing changed,
    when its form rotated the secret before). `request_key` is the API request's key, by
    which its retry is recognised."""
    kept = grace > timedelta(0)
    subscription.previous_secret = subscription.secret if kept else None
    subscription.previous_secret_until = now + grace if kept else None
    subscription.secret = secret
    subscription.secret_rotated_at = now
    subscription.secret_rotation_key = request_key
    subscription.updated_at = now
    session.add(subscription)
    commit_change(
        session,
        note,
        subject_kind=SubjectKind.WEBHOOK,
        subject=subscription.subscription_id,
        action=ChangeAction.SECRET_ROTATED,
        detail=details(grace_hours=f"{grace.total_seconds() / 3600:g}"),
    )
    session.refresh(subscription)
    return subscription


@dataclass(frozen=True)
class DeliveryCounts:
    """What a subscription's deliveries came to: those waiting now (pending, of them
    those that failed at least once, and dead), and the totals counted as attempts
    were logged."""

    pending: int = 0
    failing: int = 0
    dead: int = 0
    delivered_total: int = 0
    failed_attempts_total: int = 0
    dead_total: int = 0


def delivery_counts(session: Session) -> dict[str, DeliveryCounts]:
    """Returns each subscription's delivery counts by its id.

    The totals are the subscription's own counters; what waits is counted among the
    pending and dead deliveries alone, which the delivery status index finds without
    reading those delivered.
    """
    waiting: dict[str, dict[str, int]] = {}
    grouped = (
        select(
            WebhookDelivery.subscription_id,
            WebhookDelivery.status,
            func.count(),
            func.count().filter(col(WebhookDelivery.failures) > 0),
        )
        .where(col(WebhookDelivery.status).in_([DeliveryState.PENDING, DeliveryState.DEAD]))
        .group_by(col(WebhookDelivery.subscription_id), col(WebhookDelivery.status))
    )
    for subscription_id, status, count, failed in session.exec(grouped):
        counts = waiting.setdefault(subscription_id, {})
        counts[status] = count
        if status == DeliveryState.PENDING:
            counts["failing"] = failed
    totals = select(
        WebhookSubscription.subscription_id,
        WebhookSubscription.delivered_total,
        WebhookSubscription.failed_attempts_total,
        WebhookSubscription.dead_total,
    )
    return {
        subscription_id: DeliveryCounts(
            pending=waiting.get(subscription_id, {}).get(DeliveryState.PENDING, 0),
            failing=waiting.get(subscription_id, {}).get("failing", 0),
            dead=waiting.get(subscription_id, {}).get(DeliveryState.DEAD, 0),
            delivered_total=delivered,
            failed_attempts_total=failed_attempts,
            dead_total=dead,
        )
        for subscription_id, delivered, failed_attempts, dead in session.exec(totals)
    }
