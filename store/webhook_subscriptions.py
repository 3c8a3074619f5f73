"""Reads and writes of platforms' webhook subscriptions."""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from store.tables.webhook_subscriptions import WebhookSubscription
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
