"""The policy a complaint runs under: SLA targets per tier, how long it waits on the
customer, when compensation needs approval and how long approvers have, and which
complaints are resolved by a rule. `domain.policy.complaint_policy()` gives the values
Redress ships with, the policy store (`store.policies`) the newest version an admin saved;
a complaint carries the one it opened under in its input."""

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel

from domain.compensation import Compensation
from domain.money import Amount
from domain.taxonomy import (
    TIER_RANK,
    CustomerTier,
    EscalationLevel,
    Locale,
    RootCause,
    SubCategory,
    Tier,
)

if TYPE_CHECKING:
    from domain.complaints import Classification, ComplaintIntake


class SlaPolicy(BaseModel):
    first_response: timedelta
    resolution: timedelta
    # Staff are reminded when this share of a deadline's business time is used up.
    reminder_fraction: float = 0.75
    # Business time each escalation level gets before the complaint moves up again.
    escalation_window: timedelta


class CustomerWaitPolicy(BaseModel):
    """How long a complaint waits on the customer (wall-clock time)."""

    reminder_after: timedelta
    auto_close_after: timedelta


class AutoResolutionRule(BaseModel):
    """A well-understood complaint that Redress resolves without an agent."""

    name: str
    sub_category: SubCategory
    max_tier: Tier
    # Amounts are `Amount`s, whose one JSON schema serves requests and answers alike
    # (`domain.money`): the policy is read and written through the API whole.
    max_paid_amount: Amount | None = None
    # Fixed compensation; a rule with `refund_duplicate_charge` refunds what the
    # payments provider confirms was captured twice instead.
    compensations: list[Compensation] = []
    refund_duplicate_charge: bool = False
    root_cause: RootCause
    message: dict[Locale, str]
    # An admin may switch a rule off without losing it; complaints it would have resolved
    # go to an agent instead.
    enabled: bool = True


class ComplaintPolicy(BaseModel):
    """Everything a complaint's path depends on, fixed when it opens."""

    sla: dict[Tier, SlaPolicy]
    customer_wait: CustomerWaitPolicy
    # Compensation worth more than this (in the order's currency) needs a supervisor.
    approval_threshold: dict[CustomerTier, Amount]
    # How long each approver has (wall-clock) before the approval moves up or expires.
    approval_windows: dict[EscalationLevel, timedelta]
    auto_resolution_rules: list[AutoResolutionRule]

    def approval_required(self, total: Decimal, tier: Tier, customer_tier: CustomerTier) -> bool:
        """Returns whether compensation worth `total` needs a supervisor's approval."""
        if total <= 0:
            return False
        return tier is Tier.CRITICAL or total > self.approval_threshold[customer_tier]

    def matching_auto_rule(
        self, classification: "Classification", intake: "ComplaintIntake"
    ) -> AutoResolutionRule | None:
        """Returns the first auto-resolution rule that fits the complaint, if any."""
        for rule in self.auto_resolution_rules:
            if not rule.enabled or rule.sub_category is not classification.sub_category:
                continue
            if TIER_RANK[classification.tier] > TIER_RANK[rule.max_tier]:
                continue
            if rule.max_paid_amount is not None:
                if intake.order is None or intake.order.paid_amount > rule.max_paid_amount:
                    continue
            if rule.refund_duplicate_charge and (
                intake.order is None or not intake.order.payment_id
            ):
                continue
            return rule
        return None
