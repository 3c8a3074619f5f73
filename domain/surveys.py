"""Follow-up survey types shared by the workflows, the activities, the store and the API.

A survey follows a closed complaint or return: it is sent after a delay, reminded once,
and closes answered or with no answer. A low score starts service recovery (a supervisor
task and, within policy, a win-back coupon). These models travel through Temporal
histories: add optional fields, never rename, reorder or repurpose one.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.complaints import Customer, Identifier, Strict
from domain.money import Amount, Currency
from domain.service_failures import ServiceFailure
from domain.taxonomy import Category, CustomerTier, Locale

MAX_SURVEY_COMMENT_CHARS = 2000
MAX_RECOVERY_NOTE_CHARS = 2000


class CaseKind(StrEnum):
    COMPLAINT = "complaint"
    RETURN = "return"


def survey_workflow_id(case_kind: CaseKind, case_id: str) -> str:
    """Returns the workflow id (and survey id) of the survey that follows a case.

    Derived from the case alone, so a retried or replayed start finds the same survey
    instead of sending the customer a second one.
    """
    return f"survey-{case_kind}-{case_id}"


class SurveyPolicy(BaseModel):
    """When a survey is sent and closes, what counts as low, and what recovery may offer.

    A survey carries the policy it started with (`SurveyInput.policy`), so a changed
    threshold never sends a running survey down another branch on replay.
    """

    # After the case closes: long enough for the customer to live with the outcome.
    send_after: timedelta
    # After sending, one reminder if there is no answer yet.
    remind_after: timedelta
    # After sending, the link expires and the survey closes with no answer.
    close_after: timedelta
    # A CSAT at or below this, or "not resolved", starts service recovery.
    low_csat_at_most: int = Field(ge=1, le=5)
    # Win-back coupon by customer tier; zero offers none.
    win_back_coupon: dict[CustomerTier, Amount]
    # How long the supervisor has to report back before the manager is told.
    recovery_window: timedelta


class SurveyAnswer(Strict):
    """The customer's answer, sent as the `answer` update."""

    csat: int = Field(ge=1, le=5, description="Satisfaction, 1 (very unhappy) to 5")
    resolved: bool = Field(description="Whether the customer considers the problem solved")
    nps: int | None = Field(default=None, ge=0, le=10, description="Would recommend, 0-10")
    comment: str = Field(default="", max_length=MAX_SURVEY_COMMENT_CHARS)


class RecoveryCompletion(Strict):
    """What a supervisor reports on closing a recovery task (`POST .../complete`)."""

    note: str = Field(
        min_length=1,
        max_length=MAX_RECOVERY_NOTE_CHARS,
        description="What was done for the customer (a call, an apology, a gesture)",
    )
    customer_response: str = Field(
        default="",
        max_length=MAX_RECOVERY_NOTE_CHARS,
        description="How the customer took it, in their words where possible",
    )


class RecoveryReport(RecoveryCompletion):
    """A supervisor's report that the customer was contacted (`complete_recovery` update)."""

    supervisor: Identifier


class SurveyStatus(StrEnum):
    SCHEDULED = "scheduled"
    SENT = "sent"
    REMINDED = "reminded"
    # Answered low: a supervisor task is open.
    RECOVERING = "recovering"
    CLOSED = "closed"


class SurveyOutcome(StrEnum):
    ANSWERED = "answered"
    NO_ANSWER = "no_answer"


class RecoveryStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    # The supervisor did not report back in time; the manager was told.
    LAPSED = "lapsed"


class RecoveryTask(BaseModel):
    """Returns the service-recovery task a low score or a failure of service opened (the
    console lists these)."""

    assignee: str
    team: str | None = None
    reason: str
    status: RecoveryStatus = RecoveryStatus.OPEN
    opened_at: datetime
    due_at: datetime
    coupon_amount: Amount | None = None
    currency: Currency | None = None
    coupon_reference: str | None = None
    completed_by: str | None = None
    note: str | None = None
    customer_response: str | None = None
    completed_at: datetime | None = None
    # The failure of service that opened the task (`reason` says what happened); None
    # when a low survey answer opened it.
    failure: ServiceFailure | None = None


class SurveyEventKind(StrEnum):
    SCHEDULED = "scheduled"
    SENT = "sent"
    REMINDED = "reminded"
    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    RECOVERY_OPENED = "recovery_opened"
    COUPON_ISSUED = "coupon_issued"
    COUPON_FAILED = "coupon_failed"
    RECOVERY_DONE = "recovery_done"
    RECOVERY_LAPSED = "recovery_lapsed"
    NOTIFICATION_FAILED = "notification_failed"


class SurveyEvent(BaseModel):
    seq: int
    at: datetime
    kind: SurveyEventKind
    actor: str
    detail: str = ""


class SurveyCase(BaseModel):
    """What the survey needs to know of the case it follows, and who handled it."""

    kind: CaseKind
    case_id: str
    closed_at: datetime
    customer: Customer
    currency: Currency = "CNY"
    team: str | None = None
    agent_id: str | None = None
    supervisor_id: str | None = None
    manager_id: str | None = None
    category: Category | None = None


class SurveyInput(BaseModel):
    """Starts a survey; `policy` is the one in force when the case closed."""

    case: SurveyCase
    policy: SurveyPolicy | None = None


class SurveyView(BaseModel):
    """Returns the live state of a survey (the `view` query and the read model)."""

    survey_id: str
    case_kind: CaseKind
    case_id: str
    customer_id: str
    customer_tier: CustomerTier
    locale: Locale
    team: str | None = None
    agent_id: str | None = None
    category: Category | None = None
    status: SurveyStatus
    outcome: SurveyOutcome | None = None
    created_at: datetime
    updated_at: datetime
    send_at: datetime
    sent_at: datetime | None = None
    reminded_at: datetime | None = None
    # The survey link stops working at this instant; answers after it are refused.
    expires_at: datetime
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    answer: SurveyAnswer | None = None
    low_score: bool = False
    recovery: RecoveryTask | None = None
    timeline: list[SurveyEvent] = Field(default_factory=list)
    timeline_total: int = 0


class SurveyResult(BaseModel):
    """Returns what an update changed: the survey's status afterwards and a short note."""

    status: SurveyStatus
    detail: str


class SurveyProjection(BaseModel):
    """One read-model update of a survey (its timeline lives in the view's JSON)."""

    view: SurveyView


class SurveyLinkRequest(BaseModel):
    """Asks for the customer's survey link, valid until `expires_at`."""

    survey_id: str
    case_kind: CaseKind
    case_id: str
    expires_at: datetime


class SurveyLink(BaseModel):
    """Returns the survey's public URL (it carries a signed, expiring token)."""

    url: str


class SurveyRefused(Exception):
    """The survey cannot take this message now; the subclass names why (and becomes the
    `ApplicationError` type the API maps to a status code)."""


class SurveyAlreadyAnswered(SurveyRefused):
    pass


class SurveyExpired(SurveyRefused):
    pass


class SurveyNotOpen(SurveyRefused):
    pass


def check_answer(view: SurveyView, now: datetime) -> None:
    """Raises a `SurveyRefused` unless the survey is waiting for the customer's answer."""
    if view.answer is not None:
        raise SurveyAlreadyAnswered("this survey has already been answered; it takes one answer")
    if view.outcome is SurveyOutcome.NO_ANSWER or now >= view.expires_at:
        raise SurveyExpired("this survey has expired and no longer takes answers")
    if view.sent_at is None:
        raise SurveyNotOpen("this survey has not been sent yet")


def check_recovery_report(view: SurveyView) -> None:
    """Raises `SurveyNotOpen` unless a recovery task is open for a supervisor to close."""
    if view.recovery is None:
        raise SurveyNotOpen("this survey has no service-recovery task")
    if view.recovery.status is not RecoveryStatus.OPEN:
        raise SurveyNotOpen(f"the recovery task is already {view.recovery.status}")


def recovery_deadline(opened_at: datetime, policy: SurveyPolicy) -> datetime:
    """Returns when the supervisor must have reported back on a recovery task."""
    return opened_at + policy.recovery_window


def coupon_for(policy: SurveyPolicy, tier: CustomerTier) -> Decimal:
    """Returns the win-back coupon policy offers a customer of `tier` (zero: none)."""
    return policy.win_back_coupon.get(tier, Decimal("0"))


def is_low_score(answer: SurveyAnswer, policy: SurveyPolicy) -> bool:
    """Returns whether an answer calls for service recovery."""
    return answer.csat <= policy.low_csat_at_most or not answer.resolved
