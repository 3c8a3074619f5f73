"""Policy tables: SLA deadlines, approval thresholds, auto-resolution rules, routing.

Workflows read policy from here (never literals of their own). The complaint and return
policies (`complaint_policy()`, `domain.return_policy.return_case_policy()`) are version 1
of the policy store (`store.policies`), where admins save newer versions from the console
or `PUT /policies`; a case takes the newest version when it opens, carried in its input,
so a change applies to cases opened afterwards and never changes the path of one already
running.
"""

from datetime import time, timedelta
from decimal import Decimal

from pydantic import BaseModel

from domain.calendar import BusinessCalendar, WorkingHours
from domain.compensation import Compensation, CompensationKind
from domain.complaint_policy import (
    AutoResolutionRule,
    ComplaintPolicy,
    CustomerWaitPolicy,
    SlaPolicy,
)
from domain.service_failures import ServiceRecoveryPolicy
from domain.surveys import SurveyPolicy
from domain.taxonomy import (
    Category,
    CustomerTier,
    EscalationLevel,
    Locale,
    RootCause,
    SubCategory,
    Tier,
)

# --- SLA -------------------------------------------------------------------------------


SLA_POLICIES: dict[Tier, SlaPolicy] = {
    Tier.GENERAL: SlaPolicy(
        first_response=timedelta(hours=24),
        resolution=timedelta(hours=72),
        escalation_window=timedelta(hours=24),
    ),
    Tier.SERIOUS: SlaPolicy(
        first_response=timedelta(hours=4),
        resolution=timedelta(hours=24),
        escalation_window=timedelta(hours=4),
    ),
    Tier.CRITICAL: SlaPolicy(
        first_response=timedelta(hours=1),
        resolution=timedelta(hours=8),
        escalation_window=timedelta(hours=2),
    ),
}


CUSTOMER_WAIT = CustomerWaitPolicy(
    reminder_after=timedelta(hours=48), auto_close_after=timedelta(days=7)
)

# --- Severity ----------------------------------------------------------------------------


class SeverityPolicy(BaseModel):
    """Non-textual signals that raise a complaint's tier."""

    serious_amount: Decimal
    critical_amount: Decimal
    repeat_complaints_for_serious: int
    repeat_window_days: int
    vip_minimum_tier: Tier
    # Some kinds of complaint are never routine, whatever their wording.
    minimum_tier_by_category: dict[Category, Tier]
    minimum_tier_by_sub_category: dict[SubCategory, Tier]


SEVERITY = SeverityPolicy(
    serious_amount=Decimal("2000"),
    critical_amount=Decimal("20000"),
    repeat_complaints_for_serious=2,
    repeat_window_days=90,
    vip_minimum_tier=Tier.SERIOUS,
    minimum_tier_by_category={Category.SECURITY: Tier.SERIOUS},
    minimum_tier_by_sub_category={SubCategory.ACCOUNT_TAKEOVER: Tier.CRITICAL},
)

# --- Approval ---------------------------------------------------------------------------

# Compensation worth more than this (in the order's currency) needs a supervisor.
APPROVAL_THRESHOLD: dict[CustomerTier, Decimal] = {
    CustomerTier.NEW: Decimal("100"),
    CustomerTier.REGULAR: Decimal("200"),
    CustomerTier.VIP: Decimal("500"),
}

# How long each approver has (wall-clock) before the approval moves up or expires.
APPROVAL_WINDOWS: dict[EscalationLevel, timedelta] = {
    EscalationLevel.SUPERVISOR: timedelta(hours=4),
    EscalationLevel.MANAGER: timedelta(hours=8),
}


# --- Auto-resolution ------------------------------------------------------------------


AUTO_RESOLUTION_RULES: tuple[AutoResolutionRule, ...] = (
    AutoResolutionRule(
        name="late-parcel-apology-coupon",
        sub_category=SubCategory.LATE_DELIVERY,
        max_tier=Tier.GENERAL,
        max_paid_amount=Decimal("300"),
        compensations=[Compensation(kind=CompensationKind.COUPON, amount=Decimal("10"))],
        root_cause=RootCause.CARRIER,
        message={
            Locale.ZH_CN: "很抱歉您的包裹延误了。我们已为您发放一张10元优惠券，并在持续跟进物流。",
            Locale.EN: "We are sorry your parcel is late. We have sent you a 10.00 coupon "
            "and are chasing the carrier.",
        },
    ),
    AutoResolutionRule(
        name="confirmed-double-charge-refund",
        sub_category=SubCategory.DOUBLE_CHARGE,
        max_tier=Tier.SERIOUS,
        refund_duplicate_charge=True,
        root_cause=RootCause.PAYMENT_PROVIDER,
        message={
            Locale.ZH_CN: "我们已确认重复扣款，多扣的金额已原路退回。",
            Locale.EN: "We confirmed the duplicate charge and refunded the extra amount "
            "to your original payment method.",
        },
    ),
)


def complaint_policy() -> ComplaintPolicy:
    """Returns the complaint policy Redress ships with: the policy store's first version,
    and what a complaint runs under when its input carries none."""
    return ComplaintPolicy(
        sla=SLA_POLICIES,
        customer_wait=CUSTOMER_WAIT,
        approval_threshold=APPROVAL_THRESHOLD,
        approval_windows=APPROVAL_WINDOWS,
        auto_resolution_rules=list(AUTO_RESOLUTION_RULES),
    )


# --- Routing ----------------------------------------------------------------------------

TEAM_BY_CATEGORY: dict[Category, str] = {
    Category.PRODUCT_QUALITY: "quality",
    Category.LOGISTICS: "logistics",
    Category.SERVICE: "customer-care",
    Category.PAYMENT: "payments",
    Category.SECURITY: "trust-safety",
    Category.OTHER: "customer-care",
}

ALWAYS_OPEN = BusinessCalendar()

# An office week teams can adopt: Monday to Friday, 09:00-18:00 Beijing time. With the
# mainland's official holidays and make-up workdays it is
# `domain.official_calendars.CN_OFFICE_HOURS`.
CN_OFFICE_WEEK = BusinessCalendar(
    name="cn-office-hours",
    timezone="Asia/Shanghai",
    weekly_hours={day: [WorkingHours(start=time(9), end=time(18))] for day in (1, 2, 3, 4, 5)},
)

# Staff notifications are written in this language.
STAFF_LOCALE = Locale.ZH_CN
# Deadlines in staff messages about cases with no team calendar (returns) use this zone.
STAFF_TIMEZONE = "Asia/Shanghai"
# Deadlines in customers' messages are shown in this time zone, by the customer's locale.
CUSTOMER_TIMEZONE: dict[Locale, str] = {Locale.ZH_CN: "Asia/Shanghai", Locale.EN: "UTC"}

# --- Providers ---------------------------------------------------------------------------

# How long a payments, fulfilment or courier provider must remember an idempotency key: a
# retry inside it gets the first answer, after it the key may count as a new request. Real
# gateways keep keys for at least a day, and a provider that forgets sooner must not be
# plugged in. A call that moves money or goods must end, retries included, within half of
# it (`PROVIDER_SCHEDULE_TO_CLOSE` and `COURIER_SCHEDULE_TO_CLOSE` in
# `workflows.activity_calls`), so even the last retry lands well inside. Undoing has no
# deadline: providers undo a receipt at most once, whatever the key, so a late undo cannot
# pay back twice.
PROVIDER_IDEMPOTENCY_WINDOW = timedelta(hours=24)

# --- History bounds --------------------------------------------------------------------

# A case workflow (complaint or return) continues as new past this many events, or when
# the server suggests it (`history_is_long`).
CONTINUE_AS_NEW_AFTER_EVENTS = 2_000


def history_is_long(events: int, suggested: bool) -> bool:
    """Returns whether a case workflow should continue as new: the one rule every case
    workflow follows."""
    return suggested or events > CONTINUE_AS_NEW_AFTER_EVENTS


# Only the newest timeline events stay in workflow state; the read model keeps them all.
TIMELINE_IN_STATE = 50
# ... and only as many of those as hold this many characters of detail between them (the
# newest event always stays).
TIMELINE_DETAIL_CHARS_IN_STATE = 20_000

# --- Follow-up surveys and service recovery ------------------------------------------------

SURVEY = SurveyPolicy(
    send_after=timedelta(days=3),
    remind_after=timedelta(days=3),
    close_after=timedelta(days=7),
    low_csat_at_most=2,
    # A gesture, not a second settlement: well below every approval threshold above.
    win_back_coupon={
        CustomerTier.NEW: Decimal("10"),
        CustomerTier.REGULAR: Decimal("20"),
        CustomerTier.VIP: Decimal("50"),
    },
    recovery_window=timedelta(days=2),
)

# A failure of service (a compensation undone, a critical SLA breached, a complaint closed
# without the customer's answer) gives the supervisor as long as a low survey answer does.
SERVICE_RECOVERY = ServiceRecoveryPolicy(recovery_window=SURVEY.recovery_window)
