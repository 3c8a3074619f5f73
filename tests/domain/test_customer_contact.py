"""How a customer is reached: the channel each setting picks for each kind of contact data,
and phone numbers taken only in international (E.164) form."""

import pytest
from pydantic import ValidationError

from domain.complaints import Customer
from domain.customer_contact import (
    CustomerChannel,
    CustomerChannelSetting,
    CustomerContact,
    customer_channel,
)
from domain.notifications import Recipient, RecipientKind

EMAIL, PLATFORM = CustomerChannel.EMAIL, CustomerChannel.PLATFORM

MAIL_ONLY = CustomerContact(email="lin@example.com")
APP_ONLY = CustomerContact(platform_user_id="u-8812")
PHONE_ONLY = CustomerContact(phone="+8613800138000")
EVERYTHING = CustomerContact(
    email="lin@example.com", phone="+8613800138000", platform_user_id="u-8812"
)
NOTHING = CustomerContact()


@pytest.mark.parametrize("contact", [MAIL_ONLY, APP_ONLY, PHONE_ONLY, EVERYTHING, NOTHING])
def test_email_and_platform_send_everyone_one_way(contact: CustomerContact) -> None:
    assert customer_channel(CustomerChannelSetting.EMAIL, contact) is EMAIL
    assert customer_channel(CustomerChannelSetting.PLATFORM, contact) is PLATFORM


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (MAIL_ONLY, EMAIL),
        (APP_ONLY, PLATFORM),
        (PHONE_ONLY, PLATFORM),
        # E-mail first when there is an address and no preference.
        (EVERYTHING, EMAIL),
        (EVERYTHING.model_copy(update={"preferred_channel": PLATFORM}), PLATFORM),
        (EVERYTHING.model_copy(update={"preferred_channel": EMAIL}), EMAIL),
        # A preference the channel cannot serve gives way to one that can.
        (MAIL_ONLY.model_copy(update={"preferred_channel": PLATFORM}), EMAIL),
        (APP_ONLY.model_copy(update={"preferred_channel": EMAIL}), PLATFORM),
        # Nowhere to send: e-mail, which keeps it in the outbox as before.
        (NOTHING, EMAIL),
    ],
)
def test_auto_picks_per_customer(contact: CustomerContact, expected: CustomerChannel) -> None:
    assert customer_channel(CustomerChannelSetting.AUTO, contact) is expected


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("+8613800138000", "+8613800138000"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("+1 (415) 555-0100", "+14155550100"),
        ("+44 20.7946.0018", "+442079460018"),
        ("+86-138-0013-8000", "+8613800138000"),
    ],
)
def test_a_phone_number_is_kept_in_e164_form(given: str, stored: str) -> None:
    assert Customer(id="cust-1", phone=given).phone == stored


@pytest.mark.parametrize(
    "phone",
    [
        "13800138000",  # no country code
        "+0861380013800",  # a country code never starts with 0
        "+1234567890123456",  # 16 digits
        "+12345",  # too short to be anyone's
        "+86 138 0013 8000 ext 5",
        "+86\t138\x1c0013 8000",  # only spaces, dots, dashes and brackets are dropped
        "+86 138 0013 8000" + " " * 20,  # longer than any written number
        "",
    ],
)
def test_anything_else_is_refused_naming_the_field(phone: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Customer(id="cust-1", phone=phone)
    [error] = refused.value.errors()
    assert error["loc"] == ("phone",)
    assert "E.164" in error["msg"] or "at most 32" in error["msg"]


def test_a_customer_carries_its_contact_data_to_its_messages() -> None:
    customer = Customer(
        id="cust-1",
        email="lin@example.com",
        phone="+86 138 0013 8000",
        platform_user_id="u-8812",
        preferred_channel="platform",
    )
    assert customer.contact() == CustomerContact(
        email="lin@example.com",
        phone="+8613800138000",
        platform_user_id="u-8812",
        preferred_channel=PLATFORM,
    )


def test_messages_queued_before_contact_data_read_their_address() -> None:
    by_mail = Recipient(kind=RecipientKind.CUSTOMER, id="c", address="lin@example.com")
    by_phone = Recipient(kind=RecipientKind.CUSTOMER, id="c", address="+8613800138000")
    nowhere = Recipient(kind=RecipientKind.CUSTOMER, id="c")
    assert by_mail.customer_contact() == CustomerContact(email="lin@example.com")
    assert by_phone.customer_contact() == CustomerContact(phone="+8613800138000")
    assert nowhere.customer_contact() == NOTHING
