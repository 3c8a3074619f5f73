"""The complaint a new mail opens, and the customer message a reply becomes.

A sender is known by address alone: the customer id is derived from it, the same for
every mail from that address, so their complaints list together (`?customer_id=`). It
reads `email:<address>` with `@` written as `:` (no customer id may hold an `@`), or
`email:h-<hash>` when the address has characters an id may not hold or is too long.
"""

import hashlib
import re

from domain.complaints import (
    MAX_DESCRIPTION_CHARS,
    ComplaintIntake,
    Customer,
    CustomerMessage,
)
from domain.taxonomy import Channel, Locale
from inbound.mail.message import InboundMail

_ID_CHARACTERS = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# What the complaint's customer must be to be answered by e-mail (`Customer.email`).
_ANSWERABLE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def customer_id_for(address: str) -> str:
    """Returns the customer id of everyone writing from `address`."""
    address = address.strip().lower()
    candidate = "email:" + address.replace("@", ":")
    if _ID_CHARACTERS.match(candidate):
        return candidate
    return f"email:h-{hashlib.sha256(address.encode()).hexdigest()[:24]}"


def locale_of(text: str) -> Locale:
    """Returns the language to answer `text` in: Chinese when it has Chinese characters."""
    return Locale.ZH_CN if _HAN.search(text) else Locale.EN


def is_answerable(address: str) -> bool:
    """Returns whether Redress can e-mail `address` back."""
    return len(address) <= 254 and _ANSWERABLE.match(address) is not None


def _words(mail: InboundMail, limit: int) -> str:
    """Returns the customer's words, or, for a mail with none, the files it carried."""
    text = mail.reply_text.strip()
    if not text and mail.attachments:
        text = "(attachments: " + ", ".join(a.filename or a.content_type for a in mail.attachments)
        text += ")"
    return text[:limit]


def complaint_intake_for(mail: InboundMail) -> ComplaintIntake:
    """Returns the intake of the complaint a new mail opens (channel `email`)."""
    description = "\n\n".join(filter(None, [mail.subject.strip(), _words(mail, 10**6)]))
    description = description[:MAX_DESCRIPTION_CHARS] or "(an e-mail with no text)"
    return ComplaintIntake(
        channel=Channel.EMAIL,
        customer=Customer(
            id=customer_id_for(mail.sender_address),
            locale=locale_of(description),
            name=mail.sender_name[:200] or None,
            email=mail.sender_address,
        ),
        description=description,
    )


def customer_message_for(mail: InboundMail) -> CustomerMessage:
    """Returns the customer's message a reply becomes: their words, else its subject."""
    words = _words(mail, MAX_DESCRIPTION_CHARS) or mail.subject.strip()[:MAX_DESCRIPTION_CHARS]
    return CustomerMessage(message=words or "(an e-mail with no text)")
