"""Return (RMA) types shared by the API, the return workflow and its activities.

Like complaint types, these travel through histories: add optional fields, never rename,
reorder or repurpose one.
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StrictBool, field_validator

from domain.client_input import ClientInput
from domain.complaints import (
    MAX_DESCRIPTION_CHARS,
    MAX_EVIDENCE_URLS,
    MAX_ORDER_ITEMS,
    Customer,
    EvidenceUrl,
    Identifier,
    OrderReference,
    Strict,
)
from domain.evidence import Sha256
from domain.money import Amount
from domain.notifications import Notification
from domain.playbook_plans import PlaybookPlan
from domain.return_deadlines import ReturnCasePolicy
from domain.return_reasons import EligibilityReason
from domain.return_reasons import ReturnReason as ReturnReason  # most code names it here
from domain.return_windows import ReturnWindows
from domain.taxonomy import RootCause

MAX_RETURN_ORDERS = 10
MAX_RETURN_LINES = 50
# Items across all of a return's orders, as many as one order may hold (so a complaint's
# order always fits): keeps the request, and the workflow input and state that carry it,
# far below Temporal's payload limits however many orders it draws on.
MAX_RETURN_ORDER_ITEMS = MAX_ORDER_ITEMS
# Photos one inspection may show (each uploaded first as the return's evidence).
MAX_INSPECTION_PHOTOS = 20


def return_workflow_id(return_id: str) -> str:
    """Returns the Temporal workflow id of a return."""
    return f"return-{return_id}"


# Who is asked when a return needs a person.
RETURN_STAFF = {
    "supervisor": "returns-supervisor",
    "manager": "returns-manager",
    "warehouse": "warehouse",
}


def couriers_task_queue(workflow_task_queue: str) -> str:
    """Returns the task queue for courier calls made by workflows on a queue (couriers are
    slow and rate-limited, so they get workers of their own)."""
    return f"{workflow_task_queue}.couriers"


# Reasons where the merchant or its carrier is at fault: collection is at their cost.
MERCHANT_FAULT_REASONS = frozenset(
    {ReturnReason.WRONG_ITEM, ReturnReason.DAMAGED_IN_TRANSIT, ReturnReason.DEFECTIVE}
)


class ReturnOutcome(StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"
    STORE_CREDIT = "store_credit"


class Address(Strict):
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(max_length=32, pattern=r"^\+?[0-9 ()\-]{5,32}$")
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postcode: str | None = Field(default=None, max_length=20)
    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")


class ReturnOrder(OrderReference):
    """An order a return draws on; `delivered_at` starts the return window."""

    delivered_at: datetime | None = None


class ReturnLine(Strict):
    """Items of one SKU of one order to send back; `exchange_sku` asks for another variant."""

    order_id: Identifier
    sku: Identifier
    quantity: int = Field(ge=1, le=10_000)
    # The product's category for the return window ("electronics", "apparel", "food"...).
    product_category: str = Field(default="general", min_length=1, max_length=40)
    exchange_sku: Identifier | None = None


class ReturnRequest(Strict):
    """What a platform backend (or a complaint's resolution) sends to open a return."""

    customer: Customer
    orders: Annotated[list[ReturnOrder], Field(min_length=1, max_length=MAX_RETURN_ORDERS)]
    lines: Annotated[list[ReturnLine], Field(min_length=1, max_length=MAX_RETURN_LINES)]
    reason: ReturnReason
    description: str = Field(default="", max_length=MAX_DESCRIPTION_CHARS)
    evidence_urls: list[EvidenceUrl] = Field(default_factory=list, max_length=MAX_EVIDENCE_URLS)
    preferred_outcome: ReturnOutcome = ReturnOutcome.REFUND
    # A doorstep pickup from this address; None means the customer drops the parcel off.
    pickup_address: Address | None = None
    complaint_id: Identifier | None = None

    @field_validator("orders")
    @classmethod
    def _few_enough_items(cls, orders: list[ReturnOrder]) -> list[ReturnOrder]:
        items = sum(len(order.items) for order in orders)
        if items > MAX_RETURN_ORDER_ITEMS:
            raise ValueError(
                f"the orders list {items} items in all; a return takes at most "
                f"{MAX_RETURN_ORDER_ITEMS}: list only the items being returned"
            )
        return orders


# --- Eligibility ----------------------------------------------------------------------


class EligibilityDecision(StrEnum):
    APPROVED = "approved"
    MANUAL_REVIEW = "manual_review"
    REJECTED = "rejected"


class EligibilityInput(BaseModel):
    return_id: str
    request: ReturnRequest
    requested_at: datetime
    # The return windows the return opened under; None (returns assessed before they were
    # carried) assesses by the windows Redress ships with.
    windows: ReturnWindows | None = None


class Eligibility(BaseModel):
    """Returns the policy's verdict on a return request, with reasons a person can read."""

    decision: EligibilityDecision
    # In English, for logs and the API: `details` worded by the eligibility activity
    # (`core.wording.return_words.policy_reasons`), in the same order.
    reasons: list[str] = Field(default_factory=list)
    # What the returned lines are worth: the most a refund of this return may be.
    refundable_amount: Amount = Decimal("0")
    currency: str = "CNY"
    # Empty in verdicts made before reasons were kept as data.
    details: list[EligibilityReason] = Field(default_factory=list)


# --- Couriers -------------------------------------------------------------------------


class ParcelDirection(StrEnum):
    RETURN = "return"  # customer -> warehouse
    OUTBOUND = "outbound"  # warehouse -> customer (exchanges, replacements)


class TrackingStatus(StrEnum):
    LABEL_CREATED = "label_created"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    LOST = "lost"
    CANCELLED = "cancelled"


class ParcelItem(BaseModel):
    sku: str
    quantity: int


class LabelRequest(BaseModel):
    """Asks the courier for a return label, or a doorstep pickup when `pickup_address` is set."""

    idempotency_key: str
    return_id: str
    customer_id: str
    pickup_address: Address | None = None
    items: list[ParcelItem]
    ship_by: datetime


class OutboundRequest(BaseModel):
    """Asks the courier to carry a shipment from the warehouse to the customer."""

    idempotency_key: str
    return_id: str
    customer_id: str
    address: Address | None
    items: list[ParcelItem]


class Parcel(BaseModel):
    """Returns the courier's parcel: its ids, and the label a customer prints."""

    parcel_id: str
    tracking_number: str
    carrier: str
    direction: ParcelDirection
    label_url: str | None = None
    pickup_booked: bool = False


class ParcelCancellation(BaseModel):
    idempotency_key: str
    parcel_id: str


class TraceRequest(BaseModel):
    idempotency_key: str
    parcel_id: str
    reason: str


class ClaimRequest(BaseModel):
    """Asks the carrier to reimburse a parcel it lost or damaged."""

    idempotency_key: str
    return_id: str
    parcel_id: str | None
    amount: Amount
    currency: str = "CNY"
    reason: str


class ClaimReceipt(BaseModel):
    claim_id: str
    amount: Amount


class TrackingEvent(ClientInput):
    """One tracking update from a courier (through the webhook); `event_id` is the
    courier's own id, so a repeated delivery is recognised and ignored."""

    event_id: str = Field(min_length=1, max_length=100)
    parcel_id: str = Field(min_length=1, max_length=64)
    tracking_number: str = Field(min_length=1, max_length=64)
    status: TrackingStatus
    at: datetime
    detail: str = Field(default="", max_length=500)


# --- Warehouse ------------------------------------------------------------------------


class InspectionVerdict(StrEnum):
    ACCEPTED = "accepted"
    DAMAGED_BY_CUSTOMER = "damaged_by_customer"
    WRONG_ITEM_RETURNED = "wrong_item_returned"
    PARTIAL = "partial"


class InspectedLine(Strict):
    sku: Identifier
    accepted_quantity: int = Field(ge=0, le=10_000)


class InspectionFindings(Strict):
    """What the warehouse found in a returned parcel (the API's request body)."""

    verdict: InspectionVerdict
    # For PARTIAL: what was accepted, per SKU; other verdicts accept all or nothing.
    lines: list[InspectedLine] = Field(default_factory=list, max_length=MAX_RETURN_LINES)
    note: str = Field(default="", max_length=1000)
    # What went wrong, as the warehouse sees it (picking, packing, label, loading...).
    root_cause: RootCause | None = None
    # The photos taken of the parcel, by SHA-256: files the return already holds
    # (uploaded to `POST /returns/{id}/evidence`). Added later: older reports have none.
    photos: list[Sha256] = Field(default_factory=list, max_length=MAX_INSPECTION_PHOTOS)

    @field_validator("photos")
    @classmethod
    def _each_photo_once(cls, photos: list[str]) -> list[str]:
        for index, photo in enumerate(photos):
            if photo in photos[:index]:
                raise ValueError(f"photos[{index}] repeats photos[{photos.index(photo)}]")
        return photos


class InspectionReport(InspectionFindings):
    """The warehouse's inspection, sent as the `report_inspection` update.

    `inspector` is the signed-in warehouse user; the API sets it, never the request body.
    """

    inspector: Identifier


class RestockRequest(BaseModel):
    idempotency_key: str
    return_id: str
    items: list[ParcelItem]


# --- Messages to the workflow -----------------------------------------------------------


class ReviewChoice(Strict):
    """What a reviewer decided on a return in manual review, and why (the request body)."""

    # Decisions are JSON true or false, never a 0, "no" or "off" taken for one.
    approved: StrictBool
    reason: str = Field(default="", max_length=1000)


class ReviewDecision(ReviewChoice):
    """A person's decision on a return sent to manual review (`decide_review` update).

    `reviewer` is the signed-in supervisor; the API sets it, never the request body.
    """

    reviewer: Identifier


class ConsentDecision(Strict):
    """The customer's answer to a proposed plan (`give_consent` update)."""

    accepted: StrictBool
    note: str = Field(default="", max_length=1000)


class ReturnStatus(StrEnum):
    REQUESTED = "requested"
    UNDER_REVIEW = "under_review"
    AWAITING_CONSENT = "awaiting_consent"
    AWAITING_SHIPMENT = "awaiting_shipment"
    IN_TRANSIT = "in_transit"
    AWAITING_INSPECTION = "awaiting_inspection"
    SETTLING = "settling"
    EXCHANGE_IN_TRANSIT = "exchange_in_transit"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class ReturnEventKind(StrEnum):
    RECEIVED = "received"
    ELIGIBILITY = "eligibility"
    REVIEW_REQUESTED = "review_requested"
    REVIEWED = "reviewed"
    REVIEW_ESCALATED = "review_escalated"
    REJECTED = "rejected"
    PLAN_PROPOSED = "plan_proposed"
    CONSENT = "consent"
    LABEL_CREATED = "label_created"
    PICKUP_BOOKED = "pickup_booked"
    SHIP_REMINDER = "ship_reminder"
    TRACKING = "tracking"
    TRACE_OPENED = "trace_opened"
    INSPECTION_REQUESTED = "inspection_requested"
    INSPECTION_ESCALATED = "inspection_escalated"
    INSPECTED = "inspected"
    REFUNDED = "refunded"
    STORE_CREDITED = "store_credited"
    COUPON_ISSUED = "coupon_issued"
    EXCHANGE_SHIPPED = "exchange_shipped"
    RESTOCKED = "restocked"
    CLAIM_FILED = "claim_filed"
    STEP_FAILED = "step_failed"
    STEP_UNDONE = "step_undone"
    NEEDS_PERSON = "needs_person"
    NOTIFICATION_FAILED = "notification_failed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    # A file the customer (or the platform for them) sent (`evidence_added`).
    EVIDENCE_ADDED = "evidence_added"
    # The follow-up survey's, added by its projection (`domain.survey_timeline`).
    SURVEY_SENT = "survey_sent"
    SURVEY_REMINDED = "survey_reminded"
    SURVEY_ANSWERED = "survey_answered"
    SURVEY_NOT_ANSWERED = "survey_not_answered"
    RECOVERY_STARTED = "recovery_started"
    RECOVERY_DONE = "recovery_done"
    RECOVERY_LAPSED = "recovery_lapsed"


class ReturnEvent(BaseModel):
    seq: int
    at: datetime
    kind: ReturnEventKind
    actor: str
    detail: str = ""


class ReturnView(BaseModel):
    """Returns the live state of a return (the `view` query and the read model)."""

    return_id: str
    status: ReturnStatus
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    request: ReturnRequest
    eligibility: Eligibility | None = None
    review_level: str | None = None
    review_due_at: datetime | None = None
    # The plan put to the customer, as data; as text in their language on returns that
    # proposed it before plans were data (pages show that text as it is).
    plan: PlaybookPlan | str | None = None
    consent: ConsentDecision | None = None
    consent_due_at: datetime | None = None
    return_parcel: Parcel | None = None
    ship_by: datetime | None = None
    ship_reminded: bool = False
    picked_up_at: datetime | None = None
    delivered_at: datetime | None = None
    inspection_due_at: datetime | None = None
    needs_person: bool = False
    last_tracking: TrackingStatus | None = None
    seen_events: list[str] = Field(default_factory=list)
    trace_opened: bool = False
    inspection: InspectionReport | None = None
    outbound_parcel: Parcel | None = None
    exchange_due_at: datetime | None = None
    refunded_total: Amount = Decimal("0")
    store_credit_total: Amount = Decimal("0")
    claim: ClaimReceipt | None = None
    outcome: ReturnOutcome | None = None
    root_cause: RootCause | None = None
    overdue: bool = False
    timeline: list[ReturnEvent] = Field(default_factory=list)
    timeline_total: int = 0
    # Settlements started so far: a retry after one failed and was undone is the second.
    settlements_run: int = 0
    # The version of the policy store's policy the return runs under (`ReturnInput`);
    # None for returns opened before policies were versioned (the shipped values).
    policy_version: int | None = None


class ReturnProjection(BaseModel):
    """One read-model update: the current view and the timeline events not yet stored."""

    view: ReturnView
    new_events: list[ReturnEvent] = Field(default_factory=list)


class ReturnPending(BaseModel):
    """Work a return accepted and has not finished, carried across continue-as-new: the
    decisions and reports people sent, the courier's events not yet taken, and the
    messages and timeline events not yet out."""

    review: ReviewDecision | None = None
    consent: ConsentDecision | None = None
    inspection: InspectionReport | None = None
    retry_settlement: bool = False
    tracking: list[TrackingEvent] = Field(default_factory=list)
    outbox: list[Notification] = Field(default_factory=list)
    unprojected: list[ReturnEvent] = Field(default_factory=list)


class ReturnInput(BaseModel):
    """Starts a return workflow; `carried` and `pending` are set when it continues as
    new."""

    return_id: str
    request: ReturnRequest
    received_at: datetime | None = None
    carried: ReturnView | None = None
    pending: ReturnPending | None = None
    # The deadlines in force when the return opened (`return_case_policy()`), so a later
    # change never changes a running return's path; returns opened before it take today's
    # and keep them from their next continue-as-new on.
    policy: ReturnCasePolicy | None = None
    # Which version of the policy store `policy` is (`store.policies`): shown on the
    # return's view. None: opened before policies were versioned.
    policy_version: int | None = None
