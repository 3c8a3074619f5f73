"""What the policy says of a resolution proposal: carried out at once, or waiting for
whose approval. The workflow decides with `approver_level` when a proposal arrives, and
answers the console's "check" with `preview_resolution` before one is sent, so the
agent reads the same answer the workflow will give."""

from decimal import Decimal

from pydantic import BaseModel

from domain.compensation import ResolutionProposal
from domain.complaint_policy import ComplaintPolicy
from domain.complaint_rules import InvalidAction, check_proposal
from domain.complaints import ComplaintView
from domain.taxonomy import CustomerTier, EscalationLevel, Tier


def owner_at(view: ComplaintView, level: EscalationLevel) -> str:
    """Returns who owns the complaint at `level` (a team mailbox when nobody is named)."""
    routing = view.routing
    owner = {
        EscalationLevel.AGENT: view.assignee,
        EscalationLevel.SUPERVISOR: routing.supervisor_id if routing else None,
        EscalationLevel.MANAGER: routing.manager_id if routing else None,
    }[level]
    return owner or f"team:{routing.team if routing else 'unrouted'}:{level}"


def approver_level(
    policy: ComplaintPolicy, view: ComplaintView, proposal: ResolutionProposal
) -> EscalationLevel | None:
    """Returns the level that must approve `proposal` first; None when it is within the
    proposer's authority and is carried out at once."""
    tier = view.classification.tier if view.classification else Tier.GENERAL
    customer_tier = view.intake.customer.tier
    if not policy.approval_required(proposal.total_amount(), tier, customer_tier):
        return None
    return EscalationLevel.SUPERVISOR


class ResolutionPreview(BaseModel):
    """Returns the policy's answer to a proposal before it is sent: `refusal` when the
    workflow would refuse it, else whether it needs approval (`approver_level` and
    `approver` set) or is carried out at once."""

    refusal: str | None = None
    total: Decimal
    currency: str
    tier: Tier
    customer_tier: CustomerTier
    # Compensation above this needs a supervisor (any compensation, on a critical complaint).
    threshold: Decimal
    approver_level: EscalationLevel | None = None
    approver: str | None = None


def preview_resolution(
    policy: ComplaintPolicy, view: ComplaintView, proposal: ResolutionProposal
) -> ResolutionPreview:
    """Returns what the workflow would do with `proposal` on the complaint `view`, under
    the complaint's `policy`."""
    refusal = None
    try:
        check_proposal(view, proposal)
    except InvalidAction as refused:
        refusal = str(refused)
    level = approver_level(policy, view, proposal)
    order = view.intake.order
    customer_tier = view.intake.customer.tier
    return ResolutionPreview(
        refusal=refusal,
        total=proposal.total_amount(),
        currency=order.currency if order else "CNY",
        tier=view.classification.tier if view.classification else Tier.GENERAL,
        customer_tier=customer_tier,
        threshold=policy.approval_threshold[customer_tier],
        approver_level=level,
        approver=owner_at(view, level) if level is not None else None,
    )
