"""The delivery log of events for platforms: what is due, who is sending it, how each
attempt went, and queueing deliveries again.

A dispatcher takes a delivery with a lease: a conditional UPDATE that only one of several
dispatchers (worker processes) can win, on SQLite and PostgreSQL alike. A lease that runs
out (its dispatcher died mid-send) lets another dispatcher take the delivery again, so an
event is sent at least once, and rarely twice under the same `webhook-id`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from store.admin_changes import ChangeAction, ChangeNote, SubjectKind, commit_change, details
from store.tables.webhook_subscriptions import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from store.upsert import insert_on_conflict

MAX_PAGE_SIZE = 200
_ERROR_CHARS = 1000


@dataclass(frozen=True)
class DeliveryJob:
    """A claimed delivery: where it goes, how it is signed, what it sends."""

    delivery_id: int
    url: str
    secret: str
    event_id: str
    body: str
    queued_at: datetime
    failures: int
    # The secret a rotation replaced, while it still signs too (None: only `secret`).
    previous_secret: str | None = None


@dataclass(frozen=True)
class AttemptOutcome:
    """How one attempt went: the endpoint's status code, or the error that stopped it."""

    attempted_at: datetime
    duration_ms: int
    response_code: int | None = None
    error: str | None = None


def due_delivery_ids(session: Session, *, now: datetime, limit: int) -> list[int]:
    """Returns up to `limit` deliveries that may be sent now, the longest-waiting first.

    A delivery waits while an earlier event of its case is still pending for the same
    subscription: a platform gets each case's events in order. Other cases go on.
    Earlier is a lower seq, or the same seq queued first: a customer's message goes out
    after the event of the step it follows, which shares its seq.
    """
    earlier = aliased(WebhookDelivery)
    blocked = exists().where(
        col(earlier.subscription_id) == col(WebhookDelivery.subscription_id),
        col(earlier.case_id) == col(WebhookDelivery.case_id),
        col(earlier.status) == DeliveryState.PENDING.value,
        or_(
            col(earlier.seq) < col(WebhookDelivery.seq),
            and_(
                col(earlier.seq) == col(WebhookDelivery.seq),
                col(earlier.id) < col(WebhookDelivery.id),
            ),
        ),
    )
    query = (
        select(WebhookDelivery.id)
        .join(
            WebhookSubscription,
            col(WebhookSubscription.subscription_id) == col(WebhookDelivery.subscription_id),
        )
        .where(
            col(WebhookDelivery.status) == DeliveryState.PENDING.value,
            col(WebhookDelivery.next_attempt_at) <= now,
            _lease_free(now),
            col(WebhookSubscription.enabled),
            ~blocked,
        )
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
    )
    return [delivery_id for delivery_id in session.exec(query) if delivery_id is not None]


def _lease_free(now: datetime) -> ColumnElement[bool]:
    return or_(col(WebhookDelivery.lease_until).is_(None), col(WebhookDelivery.lease_until) < now)


def claim_delivery(
    session: Session, *, delivery_id: int, owner: str, now: datetime, lease: timedelta
) -> DeliveryJob | None:
    """Takes the delivery for `owner` until `now + lease`; returns what to send, or None
    when another dispatcher holds it or it is no longer pending. Commits."""
    taken = session.exec(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.id) == delivery_id,
            col(WebhookDelivery.status) == DeliveryState.PENDING.value,
            _lease_free(now),
        )
        .values(lease_until=now + lease, lease_owner=owner)
    )
    session.commit()
    if taken.rowcount != 1:
        return None
    row = session.exec(
        select(WebhookDelivery, WebhookEvent.body, WebhookSubscription)
        .join(WebhookEvent, col(WebhookEvent.event_id) == col(WebhookDelivery.event_id))
        .join(
            WebhookSubscription,
            col(WebhookSubscription.subscription_id) == col(WebhookDelivery.subscription_id),
        )
        .where(col(WebhookDelivery.id) == delivery_id)
    ).one()
    delivery, body, subscription = row
    return DeliveryJob(
        delivery_id=delivery_id,
        url=subscription.url,
        secret=subscription.secret,
        event_id=delivery.event_id,
        body=body,
        queued_at=delivery.queued_at,
        failures=delivery.failures,
        previous_secret=previous_secret(subscription, now),
    )


def previous_secret(subscription: WebhookSubscription, now: datetime) -> str | None:
    """Returns the secret a rotation replaced while it still signs, else None."""
    until = subscription.previous_secret_until
    return subscription.previous_secret if until is not None and until > now else None


def record_attempt(
    session: Session,
    *,
    job: DeliveryJob,
    owner: str,
    outcome: AttemptOutcome,
    status: DeliveryState,
    next_attempt_at: datetime | None = None,
) -> None:
    """Logs the attempt and, if `owner` still holds the delivery, moves it to `status`
    (retrying at `next_attempt_at` when pending) and releases it. Commits."""
    error = outcome.error[:_ERROR_CHARS] if outcome.error else None
    session.add(
        WebhookAttempt(
            delivery_id=job.delivery_id,
            attempted_at=outcome.attempted_at,
            response_code=outcome.response_code,
            error=error,
            duration_ms=outcome.duration_ms,
        )
    )
    delivered = status is DeliveryState.DELIVERED
    changes: dict[str, object] = {
        "status": status.value,
        "lease_until": None,
        "lease_owner": None,
        "failures": job.failures + (0 if delivered else 1),
        "delivered_at": outcome.attempted_at if delivered else None,
    }
    if next_attempt_at is not None:
        changes["next_attempt_at"] = next_attempt_at
    # A dispatcher whose lease ran out while it sent may find the delivery taken (or
    # requeued) by then: it logs its attempt and leaves the delivery to the new holder.
    moved = session.exec(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.id) == job.delivery_id, col(WebhookDelivery.lease_owner) == owner
        )
        .values(**changes)
    )
    _count(session, job, failed=not delivered, ended=status if moved.rowcount == 1 else None)
    session.commit()


def _count(
    session: Session, job: DeliveryJob, *, failed: bool, ended: DeliveryState | None
) -> None:
    """Adds the attempt to its subscription's counts: a failed attempt, and the delivery
    delivered or gone dead when this attempt `ended` it so."""
    counts = {
        "failed_attempts_total": failed,
        "delivered_total": ended is DeliveryState.DELIVERED,
        "dead_total": ended is DeliveryState.DEAD,
    }
    changes = {
        name: getattr(WebhookSubscription, name) + 1 for name, counted in counts.items() if counted
    }
    if not changes:
        return
    subscription = select(WebhookDelivery.subscription_id).where(
        col(WebhookDelivery.id) == job.delivery_id
    )
    session.exec(
        update(WebhookSubscription)
        .where(col(WebhookSubscription.subscription_id) == subscription.scalar_subquery())
        .values(**changes)
    )


@dataclass(frozen=True)
class LoggedDelivery:
    """A delivery as its subscription's log shows it, with its event and attempts."""

    delivery: WebhookDelivery
    event_type: str
    attempts: list[WebhookAttempt]


def delivery_log(
    session: Session,
    *,
    subscription_id: str,
    status: DeliveryState | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[LoggedDelivery], int]:
    """Returns one page of the subscription's deliveries (newest event first) and the total."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    filters = [col(WebhookDelivery.subscription_id) == subscription_id]
    if status is not None:
        filters.append(col(WebhookDelivery.status) == status.value)
    total = session.exec(select(func.count()).select_from(WebhookDelivery).where(*filters)).one()
    rows = session.exec(
        select(WebhookDelivery, WebhookEvent.type)
        .join(WebhookEvent, col(WebhookEvent.event_id) == col(WebhookDelivery.event_id))
        .where(*filters)
        .order_by(col(WebhookEvent.occurred_at).desc(), col(WebhookDelivery.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    ids = [delivery.id for delivery, _ in rows]
    attempts: dict[int, list[WebhookAttempt]] = {}
    if ids:
        logged = select(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(ids))
        for attempt in session.exec(logged.order_by(col(WebhookAttempt.id))):
            attempts.setdefault(attempt.delivery_id, []).append(attempt)
    page = [
        LoggedDelivery(
            delivery=delivery, event_type=event_type, attempts=attempts.get(delivery.id or 0, [])
        )
        for delivery, event_type in rows
    ]
    return page, total


def _requeue(now: datetime) -> dict[str, object]:
    # A fresh retry window and backoff; the attempts already made stay in the log.
    return {
        "status": DeliveryState.PENDING.value,
        "queued_at": now,
        "next_attempt_at": now,
        "failures": 0,
        "delivered_at": None,
    }


def redeliver(
    session: Session,
    *,
    subscription_id: str,
    delivery_id: int,
    now: datetime,
    note: ChangeNote | None = None,
) -> bool:
    """Queues one delivery of the subscription again; returns False when it has no such
    delivery. Commits, with the audit entry when a `note` is given (raising
    `FormAlreadySent`, with nothing queued, when its form queued something before)."""
    requeued = session.exec(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.id) == delivery_id,
            col(WebhookDelivery.subscription_id) == subscription_id,
        )
        .values(**_requeue(now))
    )
    if requeued.rowcount != 1:
        session.rollback()
        return False
    commit_change(
        session,
        note,
        subject_kind=SubjectKind.WEBHOOK,
        subject=subscription_id,
        action=ChangeAction.REDELIVERED,
        detail=details(delivery=delivery_id),
    )
    return True


def redeliver_since(
    session: Session,
    *,
    subscription_id: str,
    event_types: list[str],
    since: datetime,
    now: datetime,
    note: ChangeNote | None = None,
) -> int:
    """Queues again every event of the subscription's types that occurred at or after
    `since`, those it never had a delivery of included; returns how many. Commits, with
    the audit entry when a `note` is given (see `redeliver`)."""
    recent = and_(
        col(WebhookEvent.occurred_at) >= since,
        col(WebhookEvent.type).in_(event_types),
    )
    events = session.exec(
        select(WebhookEvent.event_id, WebhookEvent.case_id, WebhookEvent.seq).where(recent)
    ).all()
    if not events:
        return 0
    rows = [
        {
            "subscription_id": subscription_id,
            "event_id": event_id,
            "case_id": case_id,
            "seq": seq,
            **_requeue(now),
        }
        for event_id, case_id, seq in events
    ]
    insert = insert_on_conflict(session, WebhookDelivery)
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["subscription_id", "event_id"],
            set_={name: insert.excluded[name] for name in _requeue(now)},
        ),
        rows,
    )
    commit_change(
        session,
        note,
        subject_kind=SubjectKind.WEBHOOK,
        subject=subscription_id,
        action=ChangeAction.REDELIVERED_SINCE,
        detail=details(since=since.isoformat(), queued=len(rows)),
    )
    return len(rows)
