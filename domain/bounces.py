"""A message Redress e-mailed that the recipient's server later reported undeliverable."""

from pydantic import BaseModel, Field


class BouncedNotification(BaseModel):
    """Tells a case that one of its messages bounced (the `notification_bounced` update)."""

    # The outbox message's template and recipient, as a failed send records them.
    template: str = Field(max_length=64)
    recipient_id: str = Field(max_length=64)
    # The bounce's status and diagnostic, in the reporting server's words.
    reason: str = Field(max_length=1000)
    # The bounced mail's Message-ID.
    mail_message_id: str = Field(max_length=254)
