"""Notifications the workflows ask for: a template code and the values it is filled with.

Workflows never word a message: they name the template and hand over values (ids, codes,
free text people wrote, moments, amounts, compensations, the return policy's reasons, a
return's plan), and the notification activity
renders subject, plain text and HTML in the recipient's language (`core.wording.mail`;
docs/wording.md).
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.customer_contact import CustomerContact
from domain.money import Money as Money  # messages' typed values are named from here
from domain.playbook_plans import PlaybookPlan
from domain.return_reasons import EligibilityReason
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
    # Attachments of the customer's mail that were not kept (`domain.evidence`).
    EVIDENCE_REFUSED = "evidence_refused"
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
    # Recovery after a failure of service (`domain.service_failures`), to staff
    SERVICE_FAILURE_TASK = "service_failure_task"
    SERVICE_FAILURE_LAPSED = "service_failure_lapsed"


class RecipientKind(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"


class Recipient(BaseModel):
    kind: RecipientKind
    # Customer id or staff member id; the provider resolves the address.
    id: str
    # A customer's e-mail address or else phone; `contact` has both, and more.
    address: str | None = None
    # A customer's contact data, which picks the channel of their messages
    # (`domain.customer_contact`). None on messages queued before it was carried: the
    # activity reads `address` then.
    contact: CustomerContact | None = None

    def customer_contact(self) -> CustomerContact:
        """Returns the recipient's contact data, made from `address` for messages queued
        before they carried it."""
        if self.contact is not None:
            return self.contact
        if self.address and "@" in self.address:
            return CustomerContact(email=self.address)
        return CustomerContact(phone=self.address)


class Moment(BaseModel):
    """A point in time, and the time zone of the person who reads it."""

    at: datetime
    timezone: str


class CompensationLine(BaseModel):
    """A compensation step carried out, as a message tells the customer of it."""

    kind: str
    amount: Money
    reference: str


# What a workflow may hand a template: text, or one of the typed values above.
MessageValue = (
    str | Moment | Money | list[CompensationLine] | list[EligibilityReason] | PlaybookPlan
)


class Notification(BaseModel):
    """One message to send once: `idempotency_key` identifies it across retries."""

    idempotency_key: str
    complaint_id: str
    template: NotificationTemplate
    locale: Locale
    recipient: Recipient
    # Text values: ids, names, codes and what people wrote. Workflows started before
    # typed values also put deadlines and amounts here as finished text (and an amount's
    # currency apart); the activity still renders those (`core.wording.mail`).
    params: dict[str, str] = Field(default_factory=dict)
    moments: dict[str, Moment] = Field(default_factory=dict)
    amounts: dict[str, Money] = Field(default_factory=dict)
    compensations: dict[str, list[CompensationLine]] = Field(default_factory=dict)
    # The return policy's reasons, and a return's plan. Workflows started before these
    # were data put them in `params` as finished text, which templates show as it came.
    eligibility_reasons: dict[str, list[EligibilityReason]] = Field(default_factory=dict)
    plans: dict[str, PlaybookPlan] = Field(default_factory=dict)

    def with_values(self, values: dict[str, MessageValue]) -> "Notification":
        """Returns this notification with `values` added, each in the field of its type."""
        update: dict[str, dict[str, object]] = {
            field: dict(getattr(self, field)) for field in _TYPED_FIELDS.values()
        }
        for name, value in values.items():
            update[_field_of(value)][name] = value
        return self.model_copy(update=update)


# The field each kind of value goes in (a list by the kind of its items).
_TYPED_FIELDS: dict[type, str] = {
    str: "params",
    Moment: "moments",
    Money: "amounts",
    CompensationLine: "compensations",
    EligibilityReason: "eligibility_reasons",
    PlaybookPlan: "plans",
}


def _field_of(value: MessageValue) -> str:
    """Returns the field `value` goes in; an empty list goes with the compensations, where
    it means "none carried out"."""
    item = value[0] if isinstance(value, list) and value else value
    return next(
        (field for kind, field in _TYPED_FIELDS.items() if isinstance(item, kind)),
        "compensations",
    )


class NotificationReceipt(BaseModel):
    """Returns the outbox id of a message and whether this call created it."""

    message_id: int
    created: bool
