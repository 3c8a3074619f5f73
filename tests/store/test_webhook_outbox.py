"""The outbox of events for platforms and its delivery log, on both stores: events stored
with the projection, once; deliveries claimed by one dispatcher at a time, in case order."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from domain.case_events import CaseEventType
from store.complaints import project_complaint
from store.db import SessionFactory
from store.returns import project_return
from store.tables.webhook_subscriptions import DeliveryState, WebhookDelivery, WebhookEvent
from store.webhook_deliveries import (
    AttemptOutcome,
    claim_delivery,
    delivery_log,
    due_delivery_ids,
    record_attempt,
    redeliver,
    redeliver_since,
)
from store.webhook_subscriptions import create_subscription, get_subscription, update_subscription
from tests.factories import make_projection
from tests.return_factories import make_return_projection

pytestmark = pytest.mark.both_stores

EVERY_TYPE = [event_type.value for event_type in CaseEventType]
LEASE = timedelta(minutes=1)


def subscribe(session: Session, subscription_id: str, event_types: list[str]) -> None:
    create_subscription(
        session,
        subscription_id=subscription_id,
        url=f"https://platform.example/{subscription_id}",
        event_types=event_types,
        description="",
        secret="whsec_" + "A" * 32,
        created_by="admin",
    )


def deliveries(session: Session) -> list[tuple[str, str, str]]:
    rows = session.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all()
    return [(row.subscription_id, row.event_id, row.status) for row in rows]


def later(seconds: int = 0) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def test_a_projection_publishes_each_entry_once_to_the_subscriptions_wanting_it(
    sessions: SessionFactory,
) -> None:
    projection = make_projection()
    complaint_id = projection.view.complaint_id
    with sessions() as session:
        subscribe(session, "sub-all", EVERY_TYPE)
        subscribe(session, "sub-opened", ["complaint.opened"])
        subscribe(session, "sub-off", EVERY_TYPE)
        off = get_subscription(session, subscription_id="sub-off")
        assert off is not None
        update_subscription(session, off, enabled=False)

    for _ in range(2):  # a replayed projection publishes nothing new
        with sessions() as session:
            project_complaint(session, projection=projection)

    with sessions() as session:
        events = session.exec(select(WebhookEvent).order_by(col(WebhookEvent.seq))).all()
        assert [(e.event_id, e.type) for e in events] == [
            (f"evt_{complaint_id}_1", "complaint.opened"),
            (f"evt_{complaint_id}_2", "complaint.classified"),
            (f"evt_{complaint_id}_3", "complaint.assigned"),
        ]
        body = json.loads(events[1].body)
        assert body["type"] == "complaint.classified"
        assert body["data"]["case_id"] == complaint_id
        assert body["data"]["category"] == projection.view.classification.category  # type: ignore[union-attr]
        assert sorted(deliveries(session)) == sorted(
            [("sub-all", event.event_id, "pending") for event in events]
            + [("sub-opened", f"evt_{complaint_id}_1", "pending")]
        )


def test_a_return_publishes_its_opening_and_not_its_policy_check(sessions: SessionFactory) -> None:
    projection = make_return_projection()
    with sessions() as session:
        subscribe(session, "sub-all", EVERY_TYPE)
        project_return(session, projection=projection)
        events = session.exec(select(WebhookEvent)).all()
        assert [e.type for e in events] == ["return.opened"]
        data = json.loads(events[0].body)["data"]
        assert data["case_kind"] == "return"
        assert data["order_ids"] == [o.order_id for o in projection.view.request.orders]


def test_a_case_waits_for_its_earlier_event_while_other_cases_go_on(
    sessions: SessionFactory,
) -> None:
    first, second = make_projection(), make_projection()
    with sessions() as session:
        subscribe(session, "sub-all", EVERY_TYPE)
        project_complaint(session, projection=first)
        project_complaint(session, projection=second)
        due = due_delivery_ids(session, now=later(), limit=20)
        # One delivery per case: each case's opening.
        heads = {session.get(WebhookDelivery, i).event_id for i in due}  # type: ignore[union-attr]
        assert heads == {
            f"evt_{first.view.complaint_id}_1",
            f"evt_{second.view.complaint_id}_1",
        }

        job = claim_delivery(session, delivery_id=due[0], owner="one", now=later(), lease=LEASE)
        assert job is not None
        # A second dispatcher cannot take it while the lease holds...
        assert (
            claim_delivery(session, delivery_id=due[0], owner="two", now=later(), lease=LEASE)
            is None
        )
        assert due[0] not in due_delivery_ids(session, now=later(), limit=20)
        # ...and can once it ran out (the first dispatcher died mid-send).
        expired = later(int(LEASE.total_seconds()) + 1)
        assert claim_delivery(session, delivery_id=due[0], owner="two", now=expired, lease=LEASE)

        # The first dispatcher's late answer is logged but leaves the delivery to "two".
        sent = AttemptOutcome(attempted_at=later(), duration_ms=5, response_code=200)
        record_attempt(session, job=job, owner="one", outcome=sent, status=DeliveryState.DELIVERED)
        assert session.get(WebhookDelivery, due[0]).status == "pending"  # type: ignore[union-attr]
        record_attempt(session, job=job, owner="two", outcome=sent, status=DeliveryState.DELIVERED)

        # Its case's next event is now due; a dead event does not hold up the one after it.
        next_due = due_delivery_ids(session, now=expired, limit=20)
        case_id = session.get(WebhookDelivery, due[0]).case_id  # type: ignore[union-attr]
        following = [i for i in next_due if session.get(WebhookDelivery, i).case_id == case_id]  # type: ignore[union-attr]
        assert len(following) == 1
        job = claim_delivery(
            session, delivery_id=following[0], owner="one", now=expired, lease=LEASE
        )
        assert job is not None and job.event_id == f"evt_{case_id}_2"
        failed = AttemptOutcome(attempted_at=expired, duration_ms=10_000, error="timed out")
        record_attempt(session, job=job, owner="one", outcome=failed, status=DeliveryState.DEAD)
        third = [
            session.get(WebhookDelivery, i).event_id  # type: ignore[union-attr]
            for i in due_delivery_ids(session, now=expired, limit=20)
        ]
        assert f"evt_{case_id}_3" in third

        log, total = delivery_log(session, subscription_id="sub-all", limit=50)
        assert total == 6
        by_event = {entry.delivery.event_id: entry for entry in log}
        assert [a.response_code for a in by_event[f"evt_{case_id}_1"].attempts] == [200, 200]
        dead = by_event[f"evt_{case_id}_2"]
        assert dead.delivery.status == "dead" and dead.attempts[0].error == "timed out"

        # Redelivering the dead one queues it again with a fresh window.
        assert redeliver(
            session, subscription_id="sub-all", delivery_id=job.delivery_id, now=expired
        )
        assert session.get(WebhookDelivery, job.delivery_id).status == "pending"  # type: ignore[union-attr]
        assert not redeliver(
            session, subscription_id="other", delivery_id=job.delivery_id, now=expired
        )


def test_redelivering_since_a_time_queues_every_wanted_event_from_then(
    sessions: SessionFactory,
) -> None:
    projection = make_projection()
    with sessions() as session:
        project_complaint(session, projection=projection)  # before anyone subscribed
        subscribe(session, "late", ["complaint.opened", "complaint.assigned"])
        assert deliveries(session) == []

        since = projection.view.timeline[1].at  # the classification's time
        queued = redeliver_since(
            session,
            subscription_id="late",
            event_types=["complaint.opened", "complaint.assigned"],
            since=since,
            now=later(),
        )
        assert queued == 1
        complaint_id = projection.view.complaint_id
        assert deliveries(session) == [("late", f"evt_{complaint_id}_3", "pending")]
        # Again: the same delivery is queued again, not a second one.
        redeliver_since(
            session,
            subscription_id="late",
            event_types=["complaint.assigned"],
            since=since,
            now=later(),
        )
        assert len(deliveries(session)) == 1
