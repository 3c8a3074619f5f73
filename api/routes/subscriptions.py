"""Webhook subscriptions: platforms' endpoints for case events, and their delivery logs.

Admins manage them. A subscription's secret signs every delivery; it is shown in the
creation answer only (a retry of that request with the same `Idempotency-Key` gets the
same answer), never in a read or a list, and never logged. Rotating it shows the new one
the same way; the old one signs too, as a second signature, for a grace period.
"""

import base64
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response

from api.auth import MayManageWebhooks
from api.deps import SessionDep
from api.errors import AUTH_RESPONSES, ApiError, Problem, idempotency_key_reused
from api.ids import request_hash
from api.paging import Offset
from api.subscription_models import (
    AttemptPublic,
    DeliveriesPublic,
    DeliveryPublic,
    RedeliverSince,
    RedeliveryQueued,
    SecretRotated,
    SecretRotation,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
    SubscriptionsPublic,
    SubscriptionUpdate,
    new_secret,
)
from domain.case_events import CaseEventType
from store.admin_changes import ChangeNote
from store.idempotency import claim_idempotency_key
from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS
from store.tables.webhook_subscriptions import DeliveryState, WebhookSubscription
from store.webhook_deliveries import (
    LoggedDelivery,
    delivery_log,
    previous_secret,
    redeliver,
    redeliver_since,
)
from store.webhook_subscriptions import (
    create_subscription,
    event_types_of,
    get_subscription,
    list_subscriptions,
    rotate_secret,
    update_subscription,
)

# Delivery ids are the store's integer keys: a larger one names nothing, and would
# overflow the column type in the query.
MAX_DELIVERY_ID = 2**31 - 1

router = APIRouter(prefix="/webhook-subscriptions", tags=["webhook subscriptions"])

# Scopes the subscription's key in the idempotency table shared with complaints and returns.
KEY_PREFIX = "webhook-subscriptions:"
# What the audit trail says of a redelivery or rotation asked for through the API.
THROUGH_THE_API = "through the API"
# Scopes a secret rotation's key the same way.
ROTATION_KEY_PREFIX = "webhook-secret-rotations:"
# Fixed namespace for subscription ids derived from keys; changing it would remap keys.
_ID_NAMESPACE = uuid.UUID("0b7f3f0e-3c55-4a0e-9d0b-5f2b8a6f91c4")

SubscriptionKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_IDEMPOTENCY_KEY_CHARS - len(KEY_PREFIX),
        description="Retrying with the same key and body returns the same subscription",
    ),
]
SubscriptionId = Annotated[str, Path(max_length=64, description="The subscription's id")]
RESPONSES: dict[int | str, dict[str, Any]] = {
    **AUTH_RESPONSES,
    404: {"model": Problem, "description": "No such subscription (or delivery)"},
    422: {"model": Problem, "description": "The request is invalid (see `fields`)"},
}


def _subscription_id(idempotency_key: str | None) -> str:
    raw = (
        uuid.uuid5(_ID_NAMESPACE, idempotency_key).bytes
        if idempotency_key is not None
        else secrets.token_bytes(10)
    )
    return "sub_" + base64.b32encode(raw).decode()[:16].lower()


def _public(subscription: WebhookSubscription) -> SubscriptionPublic:
    now = datetime.now(UTC)
    return SubscriptionPublic.model_validate(
        subscription.model_dump(include=set(SubscriptionPublic.model_fields))
        | {
            "event_types": event_types_of(subscription),
            "previous_secret_expires_at": subscription.previous_secret_until
            if previous_secret(subscription, now)
            else None,
        }
    )


def _found(session: SessionDep, subscription_id: str) -> WebhookSubscription:
    subscription = get_subscription(session, subscription_id=subscription_id)
    if subscription is None:
        raise ApiError(
            404,
            "subscription_not_found",
            f"no webhook subscription {subscription_id}; list them at /webhook-subscriptions",
        )
    return subscription


@router.post("", status_code=201, responses=RESPONSES)
def create_webhook_subscription(
    body: SubscriptionCreate,
    caller: MayManageWebhooks,
    session: SessionDep,
    response: Response,
    idempotency_key: SubscriptionKeyHeader = None,
) -> SubscriptionCreated:
    """Subscribes an endpoint to event types; the answer shows its signing secret, once."""
    subscription_id = _subscription_id(idempotency_key)
    if idempotency_key is not None:
        # The body's hash, secret included: the same key with another body is refused.
        digest = request_hash(body.model_dump_json())
        claim = claim_idempotency_key(
            session,
            key=KEY_PREFIX + idempotency_key,
            request_hash=digest,
            complaint_id=subscription_id,
            now=datetime.now(UTC),
        )
        if claim.record.request_hash != digest:
            raise idempotency_key_reused("subscription")
    subscription = create_subscription(
        session,
        subscription_id=subscription_id,
        url=str(body.url),
        event_types=[event_type.value for event_type in body.event_types],
        description=body.description,
        secret=body.secret or new_secret(),
        created_by=caller.user_id,
    )
    response.headers["Location"] = f"{router.prefix}/{subscription_id}"
    return SubscriptionCreated(**_public(subscription).model_dump(), secret=subscription.secret)


@router.get("", responses=RESPONSES)
def list_webhook_subscriptions(
    caller: MayManageWebhooks,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> SubscriptionsPublic:
    """Lists the subscriptions, oldest first, without their secrets."""
    rows = list_subscriptions(session, limit=limit, offset=offset)
    return SubscriptionsPublic(items=[_public(row) for row in rows])


@router.get("/{subscription_id}", responses=RESPONSES)
def get_webhook_subscription(
    subscription_id: SubscriptionId, caller: MayManageWebhooks, session: SessionDep
) -> SubscriptionPublic:
    """Returns one subscription, without its secret."""
    return _public(_found(session, subscription_id))


@router.patch("/{subscription_id}", responses=RESPONSES)
def update_webhook_subscription(
    subscription_id: SubscriptionId,
    body: SubscriptionUpdate,
    caller: MayManageWebhooks,
    session: SessionDep,
) -> SubscriptionPublic:
    """Changes a subscription's URL, event types, description, or whether it is enabled."""
    subscription = update_subscription(
        session,
        _found(session, subscription_id),
        url=str(body.url) if body.url is not None else None,
        event_types=[t.value for t in body.event_types] if body.event_types else None,
        enabled=body.enabled,
        description=body.description,
    )
    return _public(subscription)


@router.delete("/{subscription_id}", responses=RESPONSES)
def disable_webhook_subscription(
    subscription_id: SubscriptionId, caller: MayManageWebhooks, session: SessionDep
) -> SubscriptionPublic:
    """Disables a subscription: nothing more is sent; its delivery log is kept."""
    return _public(update_subscription(session, _found(session, subscription_id), enabled=False))


def _delivery_public(logged: LoggedDelivery) -> DeliveryPublic:
    delivery = logged.delivery
    assert delivery.id is not None
    pending = delivery.status == DeliveryState.PENDING.value
    return DeliveryPublic(
        delivery_id=delivery.id,
        event_id=delivery.event_id,
        event_type=CaseEventType(logged.event_type),
        case_id=delivery.case_id,
        status=DeliveryState(delivery.status),
        queued_at=delivery.queued_at,
        next_attempt_at=delivery.next_attempt_at if pending else None,
        delivered_at=delivery.delivered_at,
        attempts=[AttemptPublic.model_validate(a, from_attributes=True) for a in logged.attempts],
    )


@router.get("/{subscription_id}/deliveries", responses=RESPONSES)
def list_webhook_deliveries(
    subscription_id: SubscriptionId,
    caller: MayManageWebhooks,
    session: SessionDep,
    status: DeliveryState | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> DeliveriesPublic:
    """Lists the subscription's deliveries, newest event first, with every attempt."""
    _found(session, subscription_id)
    page, total = delivery_log(
        session, subscription_id=subscription_id, status=status, limit=limit, offset=offset
    )
    return DeliveriesPublic(
        items=[_delivery_public(logged) for logged in page],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.post("/{subscription_id}/deliveries/{delivery_id}/redeliver", responses=RESPONSES)
def redeliver_webhook_event(
    subscription_id: SubscriptionId,
    delivery_id: Annotated[int, Path(ge=1, le=MAX_DELIVERY_ID)],
    caller: MayManageWebhooks,
    session: SessionDep,
) -> RedeliveryQueued:
    """Queues one delivery again, delivered or dead, with a fresh retry window. Repeating
    it is safe: the event keeps its `webhook-id`, by which receivers drop duplicates."""
    _found(session, subscription_id)
    now = datetime.now(UTC)
    note = ChangeNote(actor=caller.user_id, reason=THROUGH_THE_API)
    if not redeliver(
        session, subscription_id=subscription_id, delivery_id=delivery_id, now=now, note=note
    ):
        raise ApiError(
            404,
            "delivery_not_found",
            f"subscription {subscription_id} has no delivery {delivery_id}; "
            "list them at its /deliveries",
        )
    return RedeliveryQueued(queued=1)


@router.post("/{subscription_id}/redeliver", responses=RESPONSES)
def redeliver_webhook_events_since(
    subscription_id: SubscriptionId,
    body: RedeliverSince,
    caller: MayManageWebhooks,
    session: SessionDep,
) -> RedeliveryQueued:
    """Queues again every event of the subscription's types since a time, in case order;
    events published before it subscribed are sent too. Repeating it is safe."""
    subscription = _found(session, subscription_id)
    queued = redeliver_since(
        session,
        subscription_id=subscription_id,
        event_types=event_types_of(subscription),
        since=body.since,
        now=datetime.now(UTC),
        note=ChangeNote(actor=caller.user_id, reason=THROUGH_THE_API),
    )
    return RedeliveryQueued(queued=queued)


RotationKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_IDEMPOTENCY_KEY_CHARS - len(ROTATION_KEY_PREFIX),
        description="Retrying with the same key and body answers the same secret",
    ),
]


@router.post("/{subscription_id}/rotate-secret", responses=RESPONSES)
def rotate_webhook_secret(
    subscription_id: SubscriptionId,
    body: SecretRotation,
    caller: MayManageWebhooks,
    session: SessionDep,
    idempotency_key: RotationKeyHeader = None,
) -> SecretRotated:
    """Gives the subscription a new signing secret, shown in this answer only; the old
    one signs too (a second signature in `webhook-signature`) for `grace_hours`."""
    subscription = _found(session, subscription_id)
    now = datetime.now(UTC)
    if idempotency_key is not None and _rotated_by(session, subscription, idempotency_key, body):
        return _rotated(subscription)
    rotated = rotate_secret(
        session,
        subscription,
        secret=body.secret or new_secret(),
        grace=timedelta(hours=body.grace_hours),
        now=now,
        note=ChangeNote(actor=caller.user_id, reason=THROUGH_THE_API),
        request_key=idempotency_key,
    )
    return _rotated(rotated)


def _rotated_by(
    session: SessionDep, subscription: WebhookSubscription, key: str, body: SecretRotation
) -> bool:
    """Returns whether `key` made the subscription's current secret (a retry, to answer
    again); raises the 422 for the key sent with another body, and the 409 when a later
    rotation replaced the one it made."""
    digest = request_hash(f"{subscription.subscription_id} {body.model_dump_json()}")
    claim = claim_idempotency_key(
        session,
        key=ROTATION_KEY_PREFIX + key,
        request_hash=digest,
        complaint_id=subscription.subscription_id,
        now=datetime.now(UTC),
    )
    if claim.record.request_hash != digest:
        raise idempotency_key_reused("secret rotation")
    if subscription.secret_rotation_key == key:
        return True
    rotated_at = subscription.secret_rotated_at
    if not claim.created and rotated_at is not None and rotated_at > claim.record.created_at:
        raise ApiError(
            409,
            "secret_rotated_since",
            "the secret was rotated again after this key's rotation, which is no longer "
            "the current secret; rotate with a new Idempotency-Key",
        )
    # A first request, or one whose earlier try stopped before rotating: rotate now.
    return False


def _rotated(subscription: WebhookSubscription) -> SecretRotated:
    assert subscription.secret_rotated_at is not None
    return SecretRotated(
        subscription_id=subscription.subscription_id,
        secret=subscription.secret,
        rotated_at=subscription.secret_rotated_at,
        previous_secret_expires_at=_public(subscription).previous_secret_expires_at,
    )
