"""The outbox of events for platforms: written in the same transaction as the timeline
entries that publish them, so an event is stored exactly when its entry is.

Each event is stored once under its id (derived from its case and seq): a replayed or
retried projection inserts nothing, and queues no delivery twice. Only an event stored
by this call gets deliveries, one per enabled subscription that wants its type.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from domain.case_event_payloads import PublishedEvent
from store.tables import table_of
from store.tables.webhook_subscriptions import WebhookDelivery, WebhookEvent, WebhookSubscription
from store.upsert import insert_on_conflict


def publish_events(session: Session, events: Sequence[PublishedEvent]) -> None:
    """Stores the events not stored yet and queues their deliveries. The caller commits."""
    if not events:
        return
    now = datetime.now(UTC)
    rows = [
        {
            "event_id": event.event_id,
            "type": event.type.value,
            "case_id": event.case_id,
            "seq": event.seq,
            "occurred_at": event.occurred_at,
            "body": event.body,
            "created_at": now,
        }
        for event in events
    ]
    inserted = _insert_new(session, rows)
    if not inserted:
        return
    wanted_by = subscriptions_by_type(session)
    deliveries = [
        {
            "subscription_id": subscription_id,
            "event_id": event.event_id,
            "case_id": event.case_id,
            "seq": event.seq,
            "status": "pending",
            "queued_at": now,
            "next_attempt_at": now,
            "failures": 0,
        }
        for event in events
        if event.event_id in inserted
        for subscription_id in wanted_by.get(event.type.value, ())
    ]
    if deliveries:
        queue = insert_on_conflict(session, table_of(WebhookDelivery))
        session.execute(
            queue.on_conflict_do_nothing(index_elements=["subscription_id", "event_id"]),
            deliveries,
        )


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Inserts the rows whose event id is new; returns those ids."""
    table = table_of(WebhookEvent)
    # Events already stored are read first rather than taken from INSERT ... RETURNING,
    # whose rows with ON CONFLICT and many parameter sets differ between drivers. Two
    # projections of one case do not run at once (the journal projects one at a time),
    # and the unique delivery key catches them if they ever did.
    ids = [row["event_id"] for row in rows]
    stored = set(
        session.exec(select(WebhookEvent.event_id).where(col(WebhookEvent.event_id).in_(ids)))
    )
    new_rows = [row for row in rows if row["event_id"] not in stored]
    if new_rows:
        insert = insert_on_conflict(session, table)
        session.execute(insert.on_conflict_do_nothing(index_elements=["event_id"]), new_rows)
    return {row["event_id"] for row in new_rows}


def subscriptions_by_type(session: Session) -> dict[str, list[str]]:
    """Returns, per event type, the ids of the enabled subscriptions that want it."""
    wanted: dict[str, list[str]] = {}
    enabled = select(WebhookSubscription.subscription_id, WebhookSubscription.event_types).where(
        col(WebhookSubscription.enabled)
    )
    for subscription_id, event_types in session.exec(enabled):
        for event_type in json.loads(event_types):
            wanted.setdefault(event_type, []).append(subscription_id)
    return wanted


def latest_case_seq(session: Session, *, case_id: str) -> int:
    """Returns the seq of the case's latest stored event, 0 before its first: an event
    published with it goes out after everything the case published so far."""
    latest = session.exec(
        select(func.max(WebhookEvent.seq)).where(col(WebhookEvent.case_id) == case_id)
    ).one()
    return latest or 0
