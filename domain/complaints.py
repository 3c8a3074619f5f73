"""Complaint types shared by the API, the workflow and the activities.

These models travel through Temporal histories: add optional fields, never rename,
reorder or repurpose one (running workflows replay old payloads).
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from domain.calendar import BusinessCalendar
from domain.client_input import ClientInput
from domain.compensation import CompensationKind, ResolutionProposal
from domain.complaint_policy import ComplaintPolicy
from domain.customer_contact import (
    CustomerChannel,
    CustomerContact,
    E164Phone,
    PlatformUserId,
)
from domain.money import Amount, Currency
from domain.notifications import Notification
from domain.return_deadlines import ReturnCasePolicy
from domain.service_failures import ServiceRecoveryOpening
from domain.taxonomy import (
    Category,
    Channel,
    CustomerTier,
    DesiredOutcome,
    EscalationLevel,
    Locale,
    RootCause,
    SubCategory,
    Tier,
    category_of,
)

COMPLAINT_TASK_QUEUE = "redress-complaints"
MAX_DESCRIPTION_CHARS = 5000
MAX_EVIDENCE_URLS = 20
MAX_ORDER_ITEMS = 100

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")]
# Only the characters a URL may hold (RFC 3986): each is one byte in a payload, and none
# can close a quote or open a tag where a page shows the link.
EvidenceUrl = Annotated[
    str, Field(max_length=2000, pattern=r"^https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
]


def complaint_workflow_id(complaint_id: str) -> str:
    """Returns the Temporal workflow id of a complaint."""
    return f"complaint-{complaint_id}"


def providers_task_queue(complaint_task_queue: str) -> str:
    """Returns the task queue for payment and fulfilment calls made by complaints on a queue.

    Provider calls get their own queue (and workers) so that a slow or rate-limited provider
    cannot starve workflow tasks; deriving it keeps each deployment's queues paired.
    """
    return f"{complaint_task_queue}.providers"


class Strict(ClientInput):
    """Base for inputs: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Customer(Strict):
    id: Identifier
    tier: CustomerTier = CustomerTier.REGULAR
    locale: Locale = Locale.ZH_CN
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: E164Phone | None = None
    # Where the customer is (province or state, as the platform names it), for regional
    # reports.
    region: str | None = Field(default=None, min_length=1, max_length=64)
    platform_user_id: PlatformUserId | None = None
    # How the customer would rather hear from us, where `REDRESS_CUSTOMER_CHANNEL` is
    # `auto` and that channel can reach them (`domain.customer_contact.customer_channel`).
    preferred_channel: CustomerChannel | None = None

    def contact(self) -> CustomerContact:
        """Returns how messages may reach the customer."""
        return CustomerContact(
            email=self.email,
            phone=self.phone,
            platform_user_id=self.platform_user_id,
            preferred_channel=self.preferred_channel,
        )


class OrderItem(Strict):
    sku: Identifier
    name: str | None = Field(default=None, max_length=200)
    price: Amount
    quantity: int = Field(ge=1, le=10_000)


class OrderReference(Strict):
    order_id: Identifier
    items: list[OrderItem] = Field(default_factory=list, max_length=MAX_ORDER_ITEMS)
    paid_amount: Amount
    currency: Currency = "CNY"
    payment_id: Identifier | None = None
    tracking_number: str | None = Field(default=None, max_length=64)


class ComplaintIntake(Strict):
    """What a platform backend sends to open a complaint."""

    channel: Channel
    customer: Customer
    order: OrderReference | None = None
    description: str = Field(min_length=1, max_length=MAX_DESCRIPTION_CHARS)
    evidence_urls: list[EvidenceUrl] = Field(default_factory=list, max_length=MAX_EVIDENCE_URLS)
    desired_outcome: DesiredOutcome | None = None


class Classification(BaseModel):
    category: Category
    sub_category: SubCategory
    tier: Tier
    confidence: float = Field(ge=0, le=1)
    reasons: list[str] = Field(default_factory=list)
    classifier: str = "rules"


class ClassifyInput(BaseModel):
    complaint_id: str
    intake: ComplaintIntake


class RouteInput(BaseModel):
    complaint_id: str
    category: Category
    tier: Tier
    # A supervisor's transfer names the team (and maybe the agent) instead of the
    # category's team and its least-loaded agent.
    team: str | None = None
    agent_id: str | None = None


class Routing(BaseModel):
    team: str
    agent_id: str | None
    supervisor_id: str | None = None
    manager_id: str | None = None
    calendar: BusinessCalendar = Field(default_factory=BusinessCalendar)


class ComplaintStatus(StrEnum):
    RECEIVED = "received"
    OPEN = "open"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    AWAITING_APPROVAL = "awaiting_approval"
    RESOLVING = "resolving"
    CLOSED = "closed"


class CloseReason(StrEnum):
    RESOLVED = "resolved"
    NO_CUSTOMER_REPLY = "no_customer_reply"
    # Joined to another complaint of the same customer (`domain.complaint_merge`).
    MERGED = "merged"


# --- Agent actions (the `act` update) -------------------------------------------------


def _require_type(schema: dict[str, Any]) -> None:
    """Marks the `type` tag required in the JSON schema: the server tells actions apart by
    it and refuses one without it, whatever its default (which serves code that builds
    actions), so clients generated from the schema must always send it."""
    required = schema.setdefault("required", [])
    if "type" not in required:
        required.insert(0, "type")


class Action(Strict):
    """Base of an agent's actions, told apart by their `type`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_require_type)


class ReplyAction(Action):
    type: Literal["reply"] = "reply"
    message: str = Field(min_length=1, max_length=MAX_DESCRIPTION_CHARS)


class RequestInfoAction(Action):
    type: Literal["request_info"] = "request_info"
    question: str = Field(min_length=1, max_length=MAX_DESCRIPTION_CHARS)


class ReclassifyAction(Action):
    type: Literal["reclassify"] = "reclassify"
    sub_category: SubCategory
    tier: Tier
    reason: str = Field(min_length=1, max_length=1000)

    @property
    def category(self) -> Category:
        return category_of(self.sub_category)


class ProposeResolutionAction(Action):
    type: Literal["propose_resolution"] = "propose_resolution"
    proposal: ResolutionProposal


class AssignAction(Action):
    """Gives the complaint to another agent; with a `team`, moves it to that team (its
    supervisor, manager and business calendar), to `agent_id` or else the team's
    least-loaded agent."""

    type: Literal["assign"] = "assign"
    agent_id: Identifier | None = None
    team: Identifier | None = None

    @model_validator(mode="after")
    def _names_someone(self) -> "AssignAction":
        if self.agent_id is None and self.team is None:
            raise ValueError("name the agent_id, the team, or both")
        return self


class NoteAction(Action):
    """A note for staff: on the complaint's timeline in the console, never sent to the
    customer, never on their page or in the events platforms receive."""

    type: Literal["note"] = "note"
    text: str = Field(min_length=1, max_length=MAX_DESCRIPTION_CHARS)


AgentActionBody = Annotated[
    ReplyAction
    | RequestInfoAction
    | ReclassifyAction
    | ProposeResolutionAction
    | AssignAction
    | NoteAction,
    Field(discriminator="type"),
]


# Canned replies are the store's integer keys.
MAX_CANNED_REPLY_ID = 999_999_999


class AgentActionRequest(Strict):
    """An agent's action as the API receives it; who acts comes from their credentials."""

    action: AgentActionBody
    canned_reply_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_CANNED_REPLY_ID,
        description="The canned reply a reply started from: counted as one use of it once "
        "the reply reached the complaint (once per Idempotency-Key). Only with a reply.",
    )

    @field_validator("canned_reply_id")
    @classmethod
    def _only_with_a_reply(cls, value: int | None, info: ValidationInfo) -> int | None:
        action = info.data.get("action")
        if value is not None and action is not None and not isinstance(action, ReplyAction):
            raise ValueError("only a reply starts from a canned reply; leave it out")
        return value


class AgentAction(Strict):
    """An agent's (or supervisor's) action on a complaint, sent as the `act` update."""

    actor: Identifier
    action: AgentActionBody


class CustomerMessage(Strict):
    """A customer's reply, sent as the `customer_reply` update."""

    message: str = Field(min_length=1, max_length=MAX_DESCRIPTION_CHARS)
    evidence_urls: list[EvidenceUrl] = Field(default_factory=list, max_length=MAX_EVIDENCE_URLS)


class ApprovalChoice(Strict):
    """What a supervisor decided on a pending proposal, and why (the API's request body)."""

    # A decision is a JSON true or false, never a 0, "no" or "off" taken for one.
    approved: StrictBool
    reason: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def _rejection_needs_reason(self) -> "ApprovalChoice":
        if not self.approved and not self.reason.strip():
            raise ValueError("a rejection needs a reason")
        return self


class ApprovalDecision(ApprovalChoice):
    """A supervisor's decision on a pending proposal, sent as the `decide_approval` update.

    `approver` is the signed-in supervisor; the API sets it, never the request body.
    """

    approver: Identifier


class ActionResult(BaseModel):
    """Returns what an update changed: the complaint's status afterwards and a short note."""

    status: ComplaintStatus
    detail: str


# --- State visible to queries and the read model --------------------------------------


class TimelineKind(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    CLASSIFIED = "classified"
    ROUTED = "routed"
    REPLIED = "replied"
    INFO_REQUESTED = "info_requested"
    CUSTOMER_REPLIED = "customer_replied"
    CUSTOMER_REMINDED = "customer_reminded"
    RECLASSIFIED = "reclassified"
    ASSIGNED = "assigned"
    SLA_REMINDER = "sla_reminder"
    SLA_BREACHED = "sla_breached"
    NEEDS_PERSON = "needs_person"
    ESCALATED = "escalated"
    RESOLUTION_PROPOSED = "resolution_proposed"
    AUTO_RESOLUTION = "auto_resolution"
    APPROVAL_REQUESTED = "approval_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    APPROVAL_ESCALATED = "approval_escalated"
    APPROVAL_EXPIRED = "approval_expired"
    COMPENSATION_DONE = "compensation_done"
    COMPENSATION_FAILED = "compensation_failed"
    COMPENSATION_UNDONE = "compensation_undone"
    RESOLVED = "resolved"
    CLOSED = "closed"
    NOTIFICATION_FAILED = "notification_failed"
    RETURN_STARTED = "return_started"
    RETURN_CLOSED = "return_closed"
    # The follow-up survey's, added by its projection (`domain.survey_timeline`).
    SURVEY_SENT = "survey_sent"
    SURVEY_REMINDED = "survey_reminded"
    SURVEY_ANSWERED = "survey_answered"
    SURVEY_NOT_ANSWERED = "survey_not_answered"
    RECOVERY_STARTED = "recovery_started"
    RECOVERY_DONE = "recovery_done"
    RECOVERY_LAPSED = "recovery_lapsed"
    # Files the customer sent (`domain.evidence`): kept, or refused with the reason.
    EVIDENCE_ADDED = "evidence_added"
    EVIDENCE_REFUSED = "evidence_refused"
    # A staff member's internal note: staff read it, customers and platforms never do.
    NOTED = "noted"
    # Duplicates and merging (`domain.complaint_merge`): linked at intake to the open
    # complaint it may repeat (on both), merged into another, another merged into it.
    DUPLICATE_LINKED = "duplicate_linked"
    MERGED_INTO = "merged_into"
    MERGED_FROM = "merged_from"


class TimelineEvent(BaseModel):
    seq: int
    at: datetime
    kind: TimelineKind
    actor: str
    detail: str = ""


class SlaClock(BaseModel):
    """One SLA clock counted in business time; it stops while paused or when met."""

    name: Literal["first_response", "resolution"]
    budget_seconds: float
    consumed_seconds: float = 0
    running_since: datetime | None = None
    due_at: datetime | None = None
    reminder_at: datetime | None = None
    reminded: bool = False
    met_at: datetime | None = None
    breached: bool = False


class ApprovalRequest(BaseModel):
    proposal: ResolutionProposal
    proposed_by: str
    requested_at: datetime
    level: EscalationLevel = EscalationLevel.SUPERVISOR
    due_at: datetime


class CompensationRecord(BaseModel):
    """A compensation step that ran, and whether it was later undone."""

    kind: str
    amount: Decimal
    reference: str
    undone: bool = False


class ComplaintView(BaseModel):
    """Returns the live state of a complaint (the `view` query and the read model)."""

    complaint_id: str
    status: ComplaintStatus
    close_reason: CloseReason | None = None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    intake: ComplaintIntake
    classification: Classification | None = None
    routing: Routing | None = None
    assignee: str | None = None
    escalation_level: EscalationLevel = EscalationLevel.AGENT
    first_response: SlaClock | None = None
    resolution: SlaClock | None = None
    waiting_since: datetime | None = None
    customer_reminded: bool = False
    pending_question: str | None = None
    approval: ApprovalRequest | None = None
    compensations: list[CompensationRecord] = Field(default_factory=list)
    resolutions_run: int = 0
    return_ids: list[str] = Field(default_factory=list)
    auto_resolved: bool = False
    root_cause: RootCause | None = None
    timeline: list[TimelineEvent] = Field(default_factory=list)
    timeline_total: int = 0
    # Something went wrong that only a person can put right (an undo the provider
    # refused); the timeline says what, and the escalations board shows it.
    needs_person: bool = False
    # The open complaint of the same customer, order and category this one was linked to
    # at intake, and the newer ones linked to this one (`domain.complaint_merge`).
    duplicate_of: str | None = None
    duplicates: list[str] = Field(default_factory=list)
    # The complaint this one was merged into (it closed as merged), and those merged into it.
    merged_into: str | None = None
    merged_from: list[str] = Field(default_factory=list)
    # The version of the policy store's policy the complaint runs under (`ComplaintInput`);
    # None for complaints opened before policies were versioned (the shipped values).
    policy_version: int | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sla_breached(self) -> bool:
        """Returns whether a deadline of this complaint passed: derived from its clocks,
        which keep the mark (stored views that carry it are read without it)."""
        clocks = (self.first_response, self.resolution)
        return any(clock is not None and clock.breached for clock in clocks)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def refunded_total(self) -> Amount:
        """Returns what was refunded and not undone: derived from the compensations, so it
        cannot drift from them (stored views that carry it are read without it)."""
        return sum(
            (
                c.amount
                for c in self.compensations
                if c.kind == CompensationKind.REFUND and not c.undone
            ),
            Decimal("0"),
        )


class PendingResolution(BaseModel):
    """A proposal accepted (within authority, or approved) and not yet carried out."""

    proposal: ResolutionProposal
    actor: str


class Transfer(BaseModel):
    """A supervisor's move of the complaint to another team, for the loop to route."""

    team: str
    agent_id: str | None = None
    actor: str


class ComplaintPending(BaseModel):
    """Work a complaint accepted and has not finished, carried across continue-as-new so
    that nothing an update or the loop set in motion is dropped."""

    resolution: PendingResolution | None = None
    reroute: bool = False
    transfer: Transfer | None = None
    # Messages queued and not yet sent, and timeline events not yet in the read model.
    outbox: list[Notification] = Field(default_factory=list)
    unprojected: list[TimelineEvent] = Field(default_factory=list)
    # Recovery tasks the complaint's failures opened (`workflows.complaint_recovery`),
    # started or waiting for the loop to start them.
    service_recoveries: list[ServiceRecoveryOpening] = Field(default_factory=list)


class ComplaintInput(BaseModel):
    """Starts a complaint workflow; `carried` and `pending` are set when it continues as
    new."""

    complaint_id: str
    intake: ComplaintIntake
    received_at: datetime | None = None
    carried: ComplaintView | None = None
    pending: ComplaintPending | None = None
    # The policy in force when the complaint opened (`domain.policy.complaint_policy()`),
    # so a policy changed later never changes the path a running complaint replays.
    # Complaints opened before it was carried take today's, and keep it from their next
    # continue-as-new on.
    policy: ComplaintPolicy | None = None
    # The return policy of the same version, for a return the complaint's resolution
    # starts: it runs under what was in force when the complaint opened. None (complaints
    # opened before it was carried): the return policy Redress ships with.
    return_policy: ReturnCasePolicy | None = None
    # Which version of the policy store `policy` and `return_policy` are
    # (`store.policies`): shown on the complaint's view. None: opened before policies were
    # versioned.
    policy_version: int | None = None


class ComplaintProjection(BaseModel):
    """One read-model update: the current view and the timeline events not yet stored."""

    view: ComplaintView
    new_events: list[TimelineEvent] = Field(default_factory=list)


class PriorComplaints(BaseModel):
    """How often this customer complained recently; feeds the severity tier."""

    count_last_90_days: int = 0
