"""What a mail asks of Redress: open a complaint, continue a case, or nothing at all.

The order matters: a bounce is automatic mail and is read as a bounce first; automatic
mail and loops are never answered, even when they name a case; malformed mail goes to a
person, with the case it names when one can be found.
"""

from collections.abc import Callable
from dataclasses import dataclass

from inbound.mail.addresses import GatewayAddresses, is_return_ref
from inbound.mail.intake import is_answerable
from inbound.mail.message import InboundMail
from store.tables.inbound_mail import InboundOutcome

# Returns the case ref of the message Redress e-mailed with a Message-ID, or None.
CaseOfSentMail = Callable[[str], str | None]


@dataclass(frozen=True)
class Route:
    """Returns what to do with a mail: `outcome` once done, the case it concerns, why."""

    outcome: InboundOutcome
    case_ref: str | None = None
    detail: str = ""
    # For a bounce: the Message-ID of Redress's mail that bounced.
    bounced_mail_id: str | None = None


def route(
    mail: InboundMail,
    recipients: list[str],
    addresses: GatewayAddresses,
    case_of_sent_mail: CaseOfSentMail,
) -> Route:
    """Returns where `mail`, delivered to `recipients` (the envelope's, else its headers'),
    goes."""
    failure = mail.delivery_failure
    if failure is not None:
        for original in failure.original_message_ids:
            case_ref = case_of_sent_mail(original)
            if case_ref is not None:
                return Route(InboundOutcome.BOUNCE, case_ref, failure.reason(), original)
        return Route(InboundOutcome.AUTOMATIC, detail="a bounce for mail Redress did not send")
    if mail.automatic is not None:
        return Route(InboundOutcome.AUTOMATIC, detail=mail.automatic)
    if addresses.is_own_message_id(mail.message_id) or addresses.is_own_sender(mail.sender_address):
        return Route(InboundOutcome.AUTOMATIC, detail="a loop: Redress's own mail came back")
    case_ref = _case_named(mail, recipients, addresses, case_of_sent_mail)
    # Staff answering a staff notice by mail: their words are not the customer's.
    if any(addresses.is_staff_message_id(message_id) for message_id in mail.threads()):
        return Route(
            InboundOutcome.NEEDS_PERSON, case_ref, "a staff member's answer to a staff message"
        )
    if mail.defects:
        return Route(InboundOutcome.NEEDS_PERSON, case_ref, "malformed: " + "; ".join(mail.defects))
    if not is_answerable(mail.sender_address):
        return Route(InboundOutcome.NEEDS_PERSON, case_ref, "no sender address to answer")
    if case_ref is not None:
        if is_return_ref(case_ref):
            return Route(
                InboundOutcome.NEEDS_PERSON, case_ref, "a reply about a return: read by a person"
            )
        return Route(InboundOutcome.REPLIED, case_ref)
    if addresses.support in recipients:
        return Route(InboundOutcome.OPENED)
    return Route(InboundOutcome.REFUSED, detail="addressed to no support or case address")


def _case_named(
    mail: InboundMail,
    recipients: list[str],
    addresses: GatewayAddresses,
    case_of_sent_mail: CaseOfSentMail,
) -> str | None:
    """Returns the case a mail continues: by the reply address it went to, else by the
    case thread or Redress message it answers."""
    for recipient in recipients:
        case_ref = addresses.case_of_address(recipient)
        if case_ref is not None:
            return case_ref
    for message_id in mail.threads():
        case_ref = addresses.case_of_thread(message_id)
        if case_ref is None and addresses.is_own_message_id(message_id):
            case_ref = case_of_sent_mail(message_id)
        if case_ref is not None:
            return case_ref
    return None
