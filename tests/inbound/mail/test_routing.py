"""Where a mail goes, decided from the mail alone and what Redress sent."""

from core.settings import Settings
from inbound.mail.addresses import GatewayAddresses
from inbound.mail.message import DeliveryFailure, InboundMail
from inbound.mail.routing import route
from store.tables.inbound_mail import InboundOutcome

ADDRESSES = GatewayAddresses.from_settings(
    Settings(mail_domain="mail.shop.example", mail_from="客服 <care@shop.example>")
)
SUPPORT = "support@mail.shop.example"
SENT = {
    "<0a1b@mail.shop.example>": "CABCDEFGHIJKL",
    # An escalation e-mailed to a supervisor (`activities.notifications.smtp`).
    "<staff.0c2d@mail.shop.example>": "CABCDEFGHIJKL",
}


def mail(**fields: object) -> InboundMail:
    values: dict[str, object] = {
        "message_id": "<m@example.com>",
        "sender_address": "lin@example.com",
        "to": [SUPPORT],
        "text": "Broken.",
        "reply_text": "Broken.",
    }
    return InboundMail.model_validate(values | fields)


def routed(inbound: InboundMail, recipients: list[str] | None = None) -> tuple[object, ...]:
    decided = route(inbound, recipients or [SUPPORT], ADDRESSES, SENT.get)
    return decided.outcome, decided.case_ref


def test_mail_to_support_opens_a_complaint() -> None:
    assert routed(mail()) == (InboundOutcome.OPENED, None)


def test_a_reply_is_found_by_its_address_its_thread_or_the_message_it_answers() -> None:
    by_address = routed(mail(), ["case+cabcdefghijkl@mail.shop.example"])
    by_thread = routed(mail(references=["<case.CABCDEFGHIJKL@mail.shop.example>"]))
    by_message = routed(mail(in_reply_to=["<0a1b@mail.shop.example>"]))

    assert by_address == by_thread == by_message == (InboundOutcome.REPLIED, "CABCDEFGHIJKL")


def test_loops_are_automatic() -> None:
    own_id = routed(mail(message_id="<ffff@mail.shop.example>"))
    own_sender = routed(mail(sender_address="care@shop.example"))
    case_sender = routed(mail(sender_address="case+CABCDEFGHIJKL@mail.shop.example"))

    assert own_id == own_sender == case_sender == (InboundOutcome.AUTOMATIC, None)


def test_automatic_mail_naming_a_case_is_still_only_recorded() -> None:
    outcome = routed(
        mail(automatic="Auto-Submitted: auto-replied"), ["case+CABCDEFGHIJKL@mail.shop.example"]
    )

    assert outcome == (InboundOutcome.AUTOMATIC, None)


def test_a_bounce_names_the_case_of_the_mail_it_returns() -> None:
    failure = DeliveryFailure(original_message_ids=["<0a1b@mail.shop.example>"], status="5.1.1")
    other = DeliveryFailure(original_message_ids=["<x@elsewhere.example>"], status="5.1.1")

    assert routed(mail(delivery_failure=failure)) == (InboundOutcome.BOUNCE, "CABCDEFGHIJKL")
    assert routed(mail(delivery_failure=other)) == (InboundOutcome.AUTOMATIC, None)


def test_malformed_mail_and_replies_about_returns_go_to_a_person() -> None:
    malformed = routed(mail(defects=["StartBoundaryNotFoundDefect"]))
    about_return = routed(mail(), ["case+return-rabcdefghijkl@mail.shop.example"])

    assert malformed == (InboundOutcome.NEEDS_PERSON, None)
    assert about_return == (InboundOutcome.NEEDS_PERSON, "return-RABCDEFGHIJKL")


def test_polled_mail_for_no_address_of_ours_is_refused() -> None:
    assert routed(mail(), ["sales@shop.example"]) == (InboundOutcome.REFUSED, None)


def test_staff_answering_a_staff_message_go_to_a_person_not_onto_the_case() -> None:
    # Their client answers the support address (the staff mail's From) in its thread.
    to_the_message = routed(mail(in_reply_to=["<staff.0c2d@mail.shop.example>"]))
    to_the_thread = routed(mail(references=["<staff.case.CABCDEFGHIJKL@mail.shop.example>"]))

    assert to_the_message == (InboundOutcome.NEEDS_PERSON, "CABCDEFGHIJKL")
    assert to_the_thread == (InboundOutcome.NEEDS_PERSON, None)
