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
    NEEDS_PERSON = "needs_person"
    # Returns, to the customer
    RETURN_RECEIVED = "return_received"
    RETURN_REJECTED = "return_rejected"
    RETURN_UNDER_REVIEW = "return_under_review"
    RETURN_LABEL = "return_label"
    RETURN_SHIP_REMINDER = "return_ship_reminder"
    RETURN_CANCELLED = "return_cancelled"
    RETURN_TRACE_OPENED = "return_trace_opened"
    RETURN_REFUNDED = "return_refunded"
    RETURN_STORE_CREDITED = "return_store_credited"
    EXCHANGE_SHIPPED = "exchange_shipped"
    RETURN_PLAN_PROPOSED = "return_plan_proposed"
    RETURN_COMPLETED = "return_completed"
    # Returns, to staff
    RETURN_REVIEW_REQUESTED = "return_review_requested"
    RETURN_INSPECTION_REQUESTED = "return_inspection_requested"
    RETURN_CLAIM_FILED = "return_claim_filed"
    RETURN_NEEDS_PERSON = "return_needs_person"
    # Follow-up surveys, to the customer
    SURVEY_INVITATION = "survey_invitation"
    SURVEY_REMINDER = "survey_reminder"
    SERVICE_RECOVERY = "service_recovery"
    SERVICE_RECOVERY_COUPON = "service_recovery_coupon"
    # Follow-up surveys, to staff
    RECOVERY_TASK = "recovery_task"
    RECOVERY_LAPSED = "recovery_lapsed"


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
