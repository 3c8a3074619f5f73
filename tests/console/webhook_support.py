"""A subscription with a history of deliveries, for the console's webhook tests: a
complaint's three events published to it, the first delivered, the second gone dead
after two failures, the third failing once and waiting for its retry; written through
the store functions the dispatcher uses, so the counts are those it would leave."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from store.complaints import project_complaint
from store.tables.webhook_subscriptions import DeliveryState
from store.webhook_deliveries import (
    AttemptOutcome,
    DeliveryJob,
    claim_delivery,
    due_delivery_ids,
    record_attempt,
)
from store.webhook_subscriptions import create_subscription
from tests.api.support import Api
from tests.factories import make_projection

OWNER = "dispatcher-console-test"
SECRET = "whsec_" + "Q" * 32


@dataclass(frozen=True)
class DeliveredHistory:
    subscription_id: str
    complaint_id: str
    delivered: int
    dead: int
    failing: int


def _next(session: Session, subscription_id: str) -> DeliveryJob:
    now = datetime.now(UTC)
    for delivery_id in due_delivery_ids(session, now=now, limit=50):
        job = claim_delivery(
            session, delivery_id=delivery_id, owner=OWNER, now=now, lease=timedelta(minutes=1)
        )
        if job is not None and job.url.endswith(subscription_id):
            return job
    raise AssertionError(f"nothing due for {subscription_id}")


def _log(session: Session, job: DeliveryJob, status: DeliveryState, code: int | None) -> None:
    failed = status is not DeliveryState.DELIVERED
    error = (f"HTTP {code}: upstream down" if code else "no answer within 10 s") if failed else None
    record_attempt(
        session,
        job=job,
        owner=OWNER,
        outcome=AttemptOutcome(
            attempted_at=datetime.now(UTC), duration_ms=42, response_code=code, error=error
        ),
        status=status,
        # A retry due at once, so the next call finds it.
        next_attempt_at=datetime.now(UTC) - timedelta(seconds=1),
    )


def delivered_history(api: Api, subscription_id: str = "sub_console") -> DeliveredHistory:
    """Returns a subscription whose deliveries were delivered, went dead and failed."""
    projection = make_projection()
    with api.sessions() as session:
        create_subscription(
            session,
            subscription_id=subscription_id,
            url=f"https://platform.example/hooks/{subscription_id}",
            event_types=["complaint.opened", "complaint.classified", "complaint.assigned"],
            description="Shop backend",
            secret=SECRET,
            created_by="admin",
        )
        project_complaint(session, projection=projection)
        opened = _next(session, subscription_id)
        _log(session, opened, DeliveryState.DELIVERED, 204)
        classified = _next(session, subscription_id)
        _log(session, classified, DeliveryState.PENDING, 500)
        _log(session, _next(session, subscription_id), DeliveryState.DEAD, None)
        assigned = _next(session, subscription_id)
        _log(session, assigned, DeliveryState.PENDING, 503)
    return DeliveredHistory(
        subscription_id=subscription_id,
        complaint_id=projection.view.complaint_id,
        delivered=opened.delivery_id,
        dead=classified.delivery_id,
        failing=assigned.delivery_id,
    )
