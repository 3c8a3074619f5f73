"""Raw mail bytes -> `InboundMail`: who sent it, to whom, what it says, what it answers.

The standard library's parser (with `policy.default`) reads the MIME structure; headers
and text parts are decoded here, through `inbound.mail.decoding`, so that GBK and Big5
mail mislabelled with a narrower charset still decodes. Parsing never fails: what it
cannot make sense of is listed in `InboundMail.defects`, and a person reads that mail.
"""

import hashlib
import re
from email import errors, message_from_bytes, policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from inbound.mail.automatic import automatic_reason
from inbound.mail.decoding import decode_header_value, part_text, raw_header, text_of_html
from inbound.mail.message import Attachment, DeliveryFailure, InboundMail
from inbound.mail.replies import customer_words

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")

# Defects that mean the MIME structure itself is broken, not merely untidy.
_STRUCTURAL_DEFECTS = (
    errors.StartBoundaryNotFoundDefect,
    errors.CloseBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
    errors.NoBoundaryInMultipartDefect,
    errors.MissingHeaderBodySeparatorDefect,
    errors.InvalidBase64PaddingDefect,
    errors.InvalidBase64CharactersDefect,
    errors.InvalidBase64LengthDefect,
)


def message_ids(value: str | None) -> list[str]:
    """Returns each `<id>` in a Message-ID, In-Reply-To or References value."""
    return _MESSAGE_ID.findall(value or "")


def parse_mail(raw: bytes) -> InboundMail:
    """Returns what `raw` says; never raises on malformed mail (see `defects`)."""
    message = message_from_bytes(raw, policy=policy.default)
    defects = [_describe(defect) for part in message.walk() for defect in _structural(part)]

    def header(name: str) -> str:
        value = raw_header(message, name)
        return decode_header_value(value, defects) if value is not None else ""

    sender_name, sender_address = _first_address(raw_header(message, "From"), defects)
    own_id = message_ids(raw_header(message, "Message-ID"))
    text = _body_text(message, defects)
    return InboundMail(
        message_id=own_id[0] if own_id else _derived_message_id(raw),
        sender_address=sender_address,
        sender_name=sender_name,
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        subject=header("Subject"),
        text=text,
        reply_text=customer_words(text),
        in_reply_to=message_ids(raw_header(message, "In-Reply-To")),
        references=message_ids(raw_header(message, "References")),
        attachments=_attachments(message, defects),
        automatic=automatic_reason(message),
        delivery_failure=_delivery_failure(message),
        defects=defects,
    )


def _derived_message_id(raw: bytes) -> str:
    return f"<{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id.invalid>"


def _structural(part: Message) -> list[errors.MessageDefect]:
    return [d for d in part.defects if isinstance(d, _STRUCTURAL_DEFECTS)]


def _describe(defect: errors.MessageDefect) -> str:
    return f"{type(defect).__name__}: {defect}" if str(defect) else type(defect).__name__


def _first_address(value: str | None, defects: list[str]) -> tuple[str, str]:
    """Returns the (decoded name, lower-cased address) of a From-like header."""
    # Split first, decode after: encoded words hold no commas, a decoded name may.
    for name, address in getaddresses([value or ""]):
        if "@" in address:
            return decode_header_value(name, defects), address.strip().lower()
    return "", ""


def _addresses(message: Message, name: str) -> list[str]:
    values = [str(v) for k, v in message.raw_items() if k.lower() == name.lower()]
    return [a.strip().lower() for _, a in getaddresses(values) if "@" in a]


def _body_text(message: EmailMessage, defects: list[str]) -> str:
    """Returns the text/plain body, else the text of the HTML body."""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, LookupError, AttributeError) as error:
        defects.append(f"no readable body: {error}")
        return ""
    if body is None:
        return ""
    text = part_text(body, defects)
    if body.get_content_subtype() == "html":
        text = text_of_html(text)
    return text.replace("\r\n", "\n").strip()


def _attachments(message: EmailMessage, defects: list[str]) -> list[Attachment]:
    found = []
    for part in message.walk():
        if part.is_multipart() or not part.is_attachment() and not part.get_filename():
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        raw_name = part.get_param("filename", header="content-disposition") or part.get_param(
            "name"
        )
        filename = part.get_filename() or ""
        if isinstance(raw_name, str) and "=?" in raw_name:
            # Some clients put RFC 2047 words in the filename, which RFC 2231 never allowed.
            filename = decode_header_value(raw_name, defects)
        found.append(
            Attachment(
                filename=filename,
                content_type=part.get_content_type(),
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
            )
        )
    return found


def _delivery_failure(message: EmailMessage) -> DeliveryFailure | None:
    """Returns what a delivery status notification reports as failed for good; None for
    any other mail, and for reports of delayed or delivered mail."""
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type", "")).lower() != "delivery-status":
        return None
    recipients, status, diagnostic = [], "", ""
    original: list[str] = []
    for part in message.iter_parts():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            # One block for the report, then one per recipient, each parsed as headers.
            for block in part.get_payload():
                if not isinstance(block, Message):
                    continue
                if str(block.get("Action", "")).strip().lower() != "failed":
                    continue
                recipient = str(block.get("Final-Recipient", "")).split(";")[-1].strip()
                recipients.append(recipient)
                status = status or str(block.get("Status", "")).strip()
                diagnostic = diagnostic or " ".join(str(block.get("Diagnostic-Code", "")).split())
        elif kind in ("message/rfc822", "text/rfc822-headers"):
            original = original or _returned_message_ids(part)
    if not recipients:
        return None
    return DeliveryFailure(
        original_message_ids=original,
        recipients=recipients,
        status=status,
        diagnostic=diagnostic[:500],
    )


def _returned_message_ids(part: Message) -> list[str]:
    """Returns the Message-ID of the mail a report returns (whole, or its headers only)."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        returned = inner[0] if isinstance(inner, list) and inner else None
    else:
        payload = part.get_payload(decode=True)
        returned = BytesHeaderParser(policy=policy.default).parsebytes(
            payload if isinstance(payload, bytes) else b""
        )
    if not isinstance(returned, Message):
        return []
    return message_ids(raw_header(returned, "Message-ID"))
