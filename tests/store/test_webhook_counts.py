"""What a subscription's deliveries came to, its secret's rotation, and redeliveries on the
audit trail, on both stores: counts kept as each attempt is logged (delivered, failed
attempts, dead) and what waits now; a rotated-out secret handed to the dispatcher only
during its grace; a console form that rotates or redelivers changes things once."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from store.admin_changes import ChangeNote, FormAlreadySent, SubjectKind, recent_changes
from store.complaints import project_complaint
from store.db import SessionFactory
from store.tables.webhook_subscriptions import DeliveryState
from store.webhook_deliveries import (
    AttemptOutcome,
    DeliveryJob,
    claim_delivery,
    due_delivery_ids,
    record_attempt,
    redeliver,
    redeliver_since,
)
from store.webhook_subscriptions import (
    DeliveryCounts,
    delivery_counts,
    get_subscription,
    rotate_secret,
)
from tests.factories import make_projection
from tests.store.test_webhook_outbox import EVERY_TYPE, LEASE, subscribe

pytestmark = pytest.mark.both_stores

OLD, NEW, NEWER = ("whsec_" + letter * 32 for letter in "ABC")


def _claim_all(session: Session, owner: str) -> list[DeliveryJob]:
    now = datetime.now(UTC)
    ids = due_delivery_ids(session, now=now, limit=50)
    jobs = [claim_delivery(session, delivery_id=i, owner=owner, now=now, lease=LEASE) for i in ids]
    return [job for job in jobs if job is not None]


def _attempt(session: Session, job: DeliveryJob, status: DeliveryState, code: int) -> None:
    failed = status is not DeliveryState.DELIVERED
    record_attempt(
        session,
        job=job,
        owner="dispatcher-1",
        outcome=AttemptOutcome(
            attempted_at=datetime.now(UTC),
            duration_ms=3,
            response_code=code,
            error=f"HTTP {code}: no" if failed else None,
        ),
        status=status,
        next_attempt_at=datetime.now(UTC) if status is DeliveryState.PENDING else None,
    )


def test_each_logged_attempt_moves_the_subscriptions_counts(sessions: SessionFactory) -> None:
    projection = make_projection()  # three events: opened, classified, assigned
    with sessions() as session:
        subscribe(session, "sub-counted", EVERY_TYPE)
        subscribe(session, "sub-idle", EVERY_TYPE)
        project_complaint(session, projection=projection)
        assert delivery_counts(session)["sub-counted"] == DeliveryCounts(pending=3)

        # One case's events go one at a time: the first is delivered, the second fails
        # once, then goes dead; the third is delivered after it.
        [opened] = [j for j in _claim_all(session, "dispatcher-1") if j.url.endswith("counted")]
        _attempt(session, opened, DeliveryState.DELIVERED, 204)
        [classified] = [j for j in _claim_all(session, "dispatcher-1") if "counted" in j.url]
        _attempt(session, classified, DeliveryState.PENDING, 500)
        assert delivery_counts(session)["sub-counted"] == DeliveryCounts(
            pending=2, failing=1, delivered_total=1, failed_attempts_total=1
        )
        [again] = [j for j in _claim_all(session, "dispatcher-1") if "counted" in j.url]
        _attempt(session, again, DeliveryState.DEAD, 503)
        [assigned] = [j for j in _claim_all(session, "dispatcher-1") if "counted" in j.url]
        _attempt(session, assigned, DeliveryState.DELIVERED, 200)

        counts = delivery_counts(session)
        assert counts["sub-counted"] == DeliveryCounts(
            dead=1, delivered_total=2, failed_attempts_total=2, dead_total=1
        )
        assert counts["sub-idle"] == DeliveryCounts(pending=3)

        # Redelivered, the dead one waits again; the totals keep what happened.
        assert redeliver(
            session,
            subscription_id="sub-counted",
            delivery_id=again.delivery_id,
            now=datetime.now(UTC),
        )
        assert delivery_counts(session)["sub-counted"] == DeliveryCounts(
            pending=1, delivered_total=2, failed_attempts_total=2, dead_total=1
        )


def test_a_rotated_out_secret_signs_only_during_its_grace(sessions: SessionFactory) -> None:
    with sessions() as session:
        subscribe(session, "sub-rotating", EVERY_TYPE)
        subscription = get_subscription(session, subscription_id="sub-rotating")
        assert subscription is not None and subscription.secret == "whsec_" + "A" * 32
        now = datetime.now(UTC)
        rotate_secret(session, subscription, secret=NEW, grace=timedelta(hours=24), now=now)
        project_complaint(session, projection=make_projection())
        [job, *_] = _claim_all(session, "dispatcher-1")
        assert (job.secret, job.previous_secret) == (NEW, OLD)

        # A second rotation within the grace: the first secret stops at once.
        rotate_secret(session, subscription, secret=NEWER, grace=timedelta(0), now=now)
        assert subscription.previous_secret is None
        _attempt(session, job, DeliveryState.PENDING, 500)
        [retried, *_] = _claim_all(session, "dispatcher-1")
        assert (retried.secret, retried.previous_secret) == (NEWER, None)

        # A grace that has run out hands the dispatcher the new secret alone.
        rotate_secret(session, subscription, secret=NEW, grace=timedelta(hours=1), now=now)
        subscription.previous_secret_until = datetime.now(UTC) - timedelta(seconds=1)
        session.add(subscription)
        session.commit()
        _attempt(session, retried, DeliveryState.PENDING, 500)
        [late, *_] = _claim_all(session, "dispatcher-1")
        assert (late.secret, late.previous_secret) == (NEW, None)


def test_a_console_form_rotates_or_redelivers_once_and_says_so_on_the_trail(
    sessions: SessionFactory,
) -> None:
    projection = make_projection()
    with sessions() as session:
        subscribe(session, "sub-audited", EVERY_TYPE)
        project_complaint(session, projection=projection)
        subscription = get_subscription(session, subscription_id="sub-audited")
        assert subscription is not None
        note = ChangeNote(actor="admin-1", reason="key leaked in a log", form_key="k" * 24)
        now = datetime.now(UTC)
        rotate_secret(
            session, subscription, secret=NEW, grace=timedelta(hours=24), now=now, note=note
        )
        with pytest.raises(FormAlreadySent):
            rotate_secret(
                session, subscription, secret=NEWER, grace=timedelta(0), now=now, note=note
            )
        session.refresh(subscription)
        assert (subscription.secret, subscription.previous_secret) == (NEW, OLD)

        since = projection.view.created_at
        resend = ChangeNote(actor="admin-1", form_key="r" * 24)
        queued = redeliver_since(
            session,
            subscription_id="sub-audited",
            event_types=EVERY_TYPE,
            since=since,
            now=now,
            note=resend,
        )
        assert queued == 3
        with pytest.raises(FormAlreadySent):
            redeliver_since(
                session,
                subscription_id="sub-audited",
                event_types=EVERY_TYPE,
                since=since,
                now=now,
                note=resend,
            )
        trail = recent_changes(session, kinds=(SubjectKind.WEBHOOK,), subject="sub-audited")
        assert [(c.action, c.actor, c.reason) for c in trail] == [
            ("redelivered_since", "admin-1", ""),
            ("secret_rotated", "admin-1", "key leaked in a log"),
        ]
        assert trail[0].detail == f"since={since.isoformat()} queued=3"
        assert trail[1].detail == "grace_hours=24"
