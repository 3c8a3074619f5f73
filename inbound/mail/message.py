"""What the gateway reads out of one e-mail: `InboundMail`, built by `inbound.mail.parse`."""

from pydantic import BaseModel, Field


class Attachment(BaseModel):
    """A file the mail carried: listed here, its bytes kept in the raw message (and, once
    the mail opened or continued a complaint, as its evidence)."""

    filename: str
    # As the sender labelled it; the evidence store sniffs the bytes instead.
    content_type: str
    size: int
    sha256: str
    # The decoded bytes, for the evidence store; never in the mail's record.
    data: bytes = Field(default=b"", exclude=True, repr=False)


class DeliveryFailure(BaseModel):
    """What a delivery status notification (a bounce, RFC 3464) says went wrong."""

    # The Message-IDs of the mail that failed, from the report's returned headers.
    original_message_ids: list[str]
    recipients: list[str] = Field(default_factory=list)
    # The first failed recipient's status and the server's words, e.g. "5.1.1" and
    # "smtp; 550 5.1.1 user unknown".
    status: str = ""
    diagnostic: str = ""

    def reason(self) -> str:
        """Returns one line saying why the mail bounced."""
        parts = [self.status, self.diagnostic or "no diagnostic given"]
        who = ", ".join(self.recipients)
        return f"bounced for {who}: " + " ".join(p for p in parts if p) if who else " ".join(parts)


class InboundMail(BaseModel):
    """One e-mail as Redress understands it; the raw bytes are kept beside it."""

    # With its angle brackets, as mail carries it. A mail without one gets an id derived
    # from its bytes, so that its redelivery is still recognised.
    message_id: str
    sender_address: str = ""
    sender_name: str = ""
    to: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    subject: str = ""
    # The whole text (text/plain, else the text of the HTML part), and the customer's own
    # words in it: quoted history and signature stripped.
    text: str = ""
    reply_text: str = ""
    in_reply_to: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    # Why this mail is automatic (RFC 3834 and list headers), when it is.
    automatic: str | None = None
    # Set for a delivery status notification whose mail failed for good.
    delivery_failure: DeliveryFailure | None = None
    # What was wrong with the MIME structure or the charsets; a person reads such mail.
    defects: list[str] = Field(default_factory=list)

    def threads(self) -> list[str]:
        """Returns every Message-ID this mail answers, nearest first."""
        return [*self.in_reply_to, *reversed(self.references)]
