"""Request and response bodies of the webhook subscription routes (`api.routes.subscriptions`)."""

import base64
import binascii
import secrets
from datetime import datetime
from typing import Annotated

from pydantic import (
    AnyHttpUrl,
    AwareDatetime,
    BaseModel,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from domain.case_events import CaseEventType
from domain.complaints import Strict
from store.tables.webhook_subscriptions import DeliveryState

SECRET_PREFIX = "whsec_"
# The Standard Webhooks bounds on a signing key's size, in bytes.
MIN_SECRET_BYTES, MAX_SECRET_BYTES = 24, 64

EventTypes = Annotated[
    list[CaseEventType],
    Field(
        min_length=1,
        max_length=len(CaseEventType),
        description="The event types to send (docs/api.md lists what each one means)",
    ),
]
EndpointUrl = Annotated[
    AnyHttpUrl,
    Field(
        description="Where events are POSTed: an http or https URL",
        examples=["https://platform.example/redress-events"],
    ),
]


def new_secret() -> str:
    """Returns a fresh signing secret, `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _checked_secret(secret: str) -> str:
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"a secret starts with {SECRET_PREFIX!r}; leave it out to get one made")
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("the part after whsec_ must be base64") from error
    if not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
        raise ValueError(
            f"the key must be {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES} bytes, not {len(key)}"
        )
    return secret


class SubscriptionCreate(Strict):
    """A platform endpoint to send events to."""

    url: EndpointUrl
    event_types: EventTypes
    description: str = Field(default="", max_length=500)
    secret: str | None = Field(
        default=None,
        description=(
            "The signing secret, `whsec_` and 24 to 64 bytes in base64; left out, one is "
            "made. Either way it is shown in this answer only."
        ),
    )

    @field_validator("secret")
    @classmethod
    def _valid_secret(cls, secret: str | None) -> str | None:
        return None if secret is None else _checked_secret(secret)


class SubscriptionUpdate(Strict):
    """What to change on a subscription; fields left out stay as they are."""

    url: EndpointUrl | None = None
    event_types: EventTypes | None = None
    enabled: StrictBool | None = None
    description: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _changes_something(self) -> "SubscriptionUpdate":
        if not self.model_fields_set:
            raise ValueError("send at least one of url, event_types, enabled, description")
        return self


class SubscriptionPublic(BaseModel):
    """A subscription as the API shows it: never with its secret."""

    subscription_id: str
    url: str
    description: str
    event_types: list[CaseEventType]
    enabled: bool
    created_by: str
    created_at: datetime
    updated_at: datetime


class SubscriptionCreated(SubscriptionPublic):
    """The new subscription, with its secret: the only answer that shows it."""

    secret: str


class SubscriptionsPublic(BaseModel):
    items: list[SubscriptionPublic]


class AttemptPublic(BaseModel):
    attempted_at: datetime
    response_code: int | None
    error: str | None
    duration_ms: int


class DeliveryPublic(BaseModel):
    """One event on its way to the subscription, and every attempt to send it."""

    delivery_id: int
    event_id: str = Field(description="The event's id, sent as `webhook-id`")
    event_type: CaseEventType
    case_id: str
    status: DeliveryState
    queued_at: datetime
    next_attempt_at: datetime | None = Field(description="When it is tried next, while pending")
    delivered_at: datetime | None
    attempts: list[AttemptPublic]


class DeliveriesPublic(BaseModel):
    items: list[DeliveryPublic]
    total: int
    limit: int
    offset: int


class RedeliverSince(Strict):
    since: AwareDatetime = Field(description="Every event from this instant on is sent again")

    @field_validator("since", mode="before")
    @classmethod
    def _written_out(cls, since: object) -> object:
        # pydantic would read a number as seconds since 1970; JSON has no date type, and a
        # number here is a client's mistake rather than a date.
        if not isinstance(since, str):
            raise ValueError("must be an ISO 8601 date and time with its offset, as a string")
        return since


class RedeliveryQueued(BaseModel):
    queued: int = Field(description="How many deliveries were queued")
