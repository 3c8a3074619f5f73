"""How a customer is reached: the contact data a platform sends with its customer, and the
rule that picks the channel of each message to them (docs/api.md, "Customer messages
through the platform").

A message to a customer goes by e-mail, or to the platform as a `notification.requested`
event for it to push in its app or by SMS. The deployment's setting decides
(`REDRESS_CUSTOMER_CHANNEL`): everyone by e-mail, everyone through the platform, or `auto`,
each customer by the channel their contact data allows.
"""

import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

# What people put between a number's digits (ASCII only, as the schema's pattern says);
# dropped before the number is checked.
_SEPARATORS = re.compile(r"[ ().\-]")
# E.164: a plus, a country code that does not start with 0, at most 15 digits in all.
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# Longer than any E.164 number written with separators; refused before looking closer.
MAX_PHONE_CHARS = 32


def e164(value: object) -> object:
    """Returns `value` as an E.164 number (`+8613800138000`): spaces, dots, dashes and
    brackets between the digits are dropped. Raises ValueError for anything else."""
    if not isinstance(value, str):
        return value
    if len(value) > MAX_PHONE_CHARS:
        raise ValueError(f"a phone number has at most {MAX_PHONE_CHARS} characters")
    number = _SEPARATORS.sub("", value)
    if not _E164.fullmatch(number):
        raise ValueError(
            "must be an international (E.164) number: + and the country code, then the "
            "number, 7 to 15 digits in all, e.g. +8613800138000"
        )
    return number


E164Phone = Annotated[
    str,
    BeforeValidator(e164),
    # One schema for requests and answers (a generated client gets one `Customer` model),
    # saying what the validator above may accept; it checks the digits themselves.
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\+[0-9 ().\-]{7,31}$",
            "maxLength": MAX_PHONE_CHARS,
            "description": (
                "The customer's phone number, international (E.164): `+8613800138000`. "
                "Spaces, dots, dashes and brackets between digits are accepted and dropped."
            ),
            "examples": ["+8613800138000"],
        }
    ),
]

# The platform's own id of the customer's account, which it pushes messages to.
PlatformUserId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:@\-]+$",
        description="The platform's id of the customer's account, for app push",
    ),
]


class CustomerChannel(StrEnum):
    """Where a message to a customer goes."""

    EMAIL = "email"
    # A `notification.requested` event: the platform pushes it in its app or by SMS.
    PLATFORM = "platform"


class CustomerChannelSetting(StrEnum):
    """The deployment's choice (`REDRESS_CUSTOMER_CHANNEL`)."""

    EMAIL = "email"
    PLATFORM = "platform"
    # Each customer by what their contact data allows (`customer_channel`).
    AUTO = "auto"


class CustomerContact(BaseModel):
    """What a message to a customer may use to reach them, as the platform sent it."""

    email: str | None = None
    phone: str | None = None
    platform_user_id: str | None = None
    preferred_channel: CustomerChannel | None = None

    @property
    def reachable_by_platform(self) -> bool:
        """Returns whether the platform has somewhere to push to: an account or a phone."""
        return bool(self.platform_user_id or self.phone)


def customer_channel(setting: CustomerChannelSetting, contact: CustomerContact) -> CustomerChannel:
    """Returns the channel of a message to a customer with `contact`.

    `email` and `platform` send everyone one way. `auto` follows the customer's preferred
    channel when it can reach them, then e-mail when they have an address, then the
    platform when it has an account or a phone to push to. A customer with none of these
    gets `email`, which keeps the message in the outbox (their page shows their case).
    """
    if setting is CustomerChannelSetting.PLATFORM:
        return CustomerChannel.PLATFORM
    if setting is CustomerChannelSetting.EMAIL:
        return CustomerChannel.EMAIL
    if contact.preferred_channel is CustomerChannel.PLATFORM and contact.reachable_by_platform:
        return CustomerChannel.PLATFORM
    if contact.email:
        return CustomerChannel.EMAIL
    if contact.reachable_by_platform:
        return CustomerChannel.PLATFORM
    return CustomerChannel.EMAIL
