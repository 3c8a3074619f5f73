"""Mail no person wrote: auto-replies, out-of-office notices, list mail.

Answering such mail (an acknowledgement to an out-of-office notice) is how mail loops
start, so the gateway records it and does nothing else. RFC 3834 says how automatic
responders mark their mail; the other headers are what common servers and lists add.
Loops through Redress's own Message-IDs and address are caught in `inbound.mail.routing`.
"""

from email.message import Message

_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk", "auto_reply"})
# Headers whose presence alone marks automatic mail (Exchange, Zimbra, older MTAs) or
# mail from a list.
_MARKER_HEADERS = ("X-Autoreply", "X-Autorespond", "List-Id", "List-Unsubscribe")


def automatic_reason(message: Message) -> str | None:
    """Returns why `message` is automatic (the header that says so), or None."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    # "no" is what a person's mail may carry explicitly; any other value is automatic.
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in _BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in _MARKER_HEADERS:
        if message.get(name) is not None:
            return f"{name} present"
    return None
