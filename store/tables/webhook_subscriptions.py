"""Events for platforms: their subscriptions, the events published, one delivery per event
and subscription, and every attempt to send it.

Not the courier webhook (`store.tables.webhooks`), which takes events in; these send them
out. Events and deliveries are written in the projection's transaction (the outbox), the
worker's dispatcher sends them (`core.webhook_dispatcher`).
"""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import UtcDateTime


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    # Failed for the whole retry window; redelivery through the API queues it again.
    DEAD = "dead"


class WebhookSubscription(SQLModel, table=True):
    """A platform's endpoint and the event types it wants."""

    __tablename__ = "webhook_subscriptions"

    subscription_id: str = Field(primary_key=True, max_length=64)
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=500)
    # A JSON list of `CaseEventType` values.
    event_types: str = Field(sa_type=Text)
    # Signs every delivery (`whsec_...`); shown once, when it is made (the subscription
    # created, or its secret rotated).
    secret: str = Field(max_length=200)
    enabled: bool = True
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
    # The secret a rotation replaced: deliveries are signed with it too (a second
    # signature) until `previous_secret_until`, so the platform can switch at its pace.
    previous_secret: str | None = Field(default=None, max_length=200)
    previous_secret_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    secret_rotated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The `Idempotency-Key` of the API request that made the current secret: a retry of
    # it is answered with the same secret instead of rotating again.
    secret_rotation_key: str | None = Field(default=None, max_length=200)
    # What its deliveries came to, counted as each attempt is logged (monotonic, for the
    # metrics and the console): deliveries delivered, attempts that failed, deliveries
    # that went dead (a redelivery that is delivered later counts as delivered too).
    delivered_total: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    failed_attempts_total: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    dead_total: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class WebhookEvent(SQLModel, table=True):
    """One published event, its body exactly as every delivery of it sends it."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_occurred_at", "occurred_at"),)

    # `evt_<case id>_<seq>`: the same timeline entry always publishes the same id.
    event_id: str = Field(primary_key=True, max_length=100)
    type: str = Field(max_length=40)
    case_id: str = Field(index=True, max_length=64)
    seq: int
    occurred_at: datetime = Field(sa_type=UtcDateTime)
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event on its way to one subscription."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id"),
        # The dispatcher's two questions: what is due, and is an earlier event of the same
        # case still pending for this subscription (then this one waits its turn).
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_case_order", "subscription_id", "case_id", "seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: str = Field(foreign_key="webhook_subscriptions.subscription_id", max_length=64)
    event_id: str = Field(foreign_key="webhook_events.event_id", max_length=100)
    case_id: str = Field(max_length=64)
    seq: int
    # A `DeliveryState` value.
    status: str = Field(default=DeliveryState.PENDING.value, max_length=16)
    # When it was (last) queued: the retry window counts from here.
    queued_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
    next_attempt_at: datetime = Field(default_factory=_utcnow, sa_type=UtcDateTime)
    # Failed attempts since it was queued: the backoff grows with them.
    failures: int = 0
    # A dispatcher sending it holds it until then; another may take it only afterwards.
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    lease_owner: str | None = Field(default=None, max_length=100)
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class WebhookAttempt(SQLModel, table=True):
    """One try to send a delivery: the endpoint's answer, or why there was none."""

    __tablename__ = "webhook_attempts"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_deliveries.id", index=True)
    attempted_at: datetime = Field(sa_type=UtcDateTime)
    response_code: int | None = None
    # What went wrong: a timeout, a refused connection, a non-2xx answer's first bytes.
    error: str | None = Field(default=None, max_length=1000)
    duration_ms: int
