"""Request and response bodies of the webhook subscription routes (`api.routes.subscriptions`)."""

import base64
import binascii
import secrets
from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
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
# How long a rotated-out secret still signs, by default and at most: a day lets a
# platform deploy its new secret; a week covers a change freeze.
DEFAULT_GRACE_HOURS, MAX_GRACE_HOURS = 24, 168

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


# A signing secret a request chooses rather than leaving it to be made.
ChosenSecret = Annotated[str, AfterValidator(_checked_secret)]


class SubscriptionCreate(Strict):
    """A platform endpoint to send events to."""

    url: EndpointUrl
    event_types: EventTypes
    description: str = Field(default="", max_length=500)
    secret: ChosenSecret | None = Field(
        default=None,
        description=(
            "The signing secret, `whsec_` and 24 to 64 bytes in base64; left out, one is "
            "made. Either way it is shown in this answer only."
        ),
    )


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
    secret_rotated_at: datetime | None = Field(
        default=None, description="When its secret was last rotated (never: null)"
    )
    previous_secret_expires_at: datetime | None = Field(
        default=None,
        description="Until when deliveries are signed with the secret the last rotation "
        "replaced too (a second signature); null when they are not",
    )


class SubscriptionCreated(SubscriptionPublic):
    """The new subscription, with its secret: the only answer that shows it."""

    secret: str


class SecretRotation(Strict):
    """A new signing secret for a subscription, and how long the old one still signs."""

    grace_hours: int = Field(
        default=DEFAULT_GRACE_HOURS,
        ge=0,
        le=MAX_GRACE_HOURS,
        description="Hours during which deliveries carry a signature with the old secret "
        "beside the new one's, so the endpoint can switch without refusing any; 0 stops "
        "the old secret at once",
    )
    secret: ChosenSecret | None = Field(
        default=None,
        description=(
            "The new secret, `whsec_` and 24 to 64 bytes in base64; left out, one is made. "
            "Either way it is shown in this answer only."
        ),
    )


class SecretRotated(BaseModel):
    """The subscription's new secret: the only answer that shows it."""

    subscription_id: str
    secret: str
    rotated_at: datetime
    previous_secret_expires_at: datetime | None = Field(
        description="Until when the replaced secret signs too; null when it stopped at once"
    )


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
