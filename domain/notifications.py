"""Notifications the workflows ask for; providers render them from templates per locale."""

from enum import StrEnum

from pydantic import BaseModel, Field

from domain.taxonomy import Locale


class NotificationTemplate(StrEnum):
    # To the customer
    ACKNOWLEDGEMENT = "acknowledgement"
    AGENT_REPLY = "agent_reply"
    INFO_REQUEST = "info_request"
    INFO_REMINDER = "info_reminder"
    AUTO_CLOSED = "auto_closed"
    RESOLUTION_OUTCOME = "resolution_outcome"
    RESOLUTION_FAILED = "resolution_failed"
    # To staff
    SLA_REMINDER = "sla_reminder"
    ESCALATION = "escalation"
    APPROVAL_REQUESTED = "approval_requested"
    APPROVAL_REJECTED = "approval_rejected"
    APPROVAL_EXPIRED = "approval_expired"


class RecipientKind(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"


class Recipient(BaseModel):
    kind: RecipientKind
    # Customer id or staff member id; the provider resolves the address.
    id: str
    address: str | None = None


class Notification(BaseModel):
    """One message to send once: `idempotency_key` identifies it across retries."""

    idempotency_key: str
    complaint_id: str
    template: NotificationTemplate
    locale: Locale
    recipient: Recipient
    params: dict[str, str] = Field(default_factory=dict)


class NotificationReceipt(BaseModel):
    """Returns the outbox id of a message and whether this call created it."""

    message_id: int
    created: bool
