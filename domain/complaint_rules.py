"""What may be done to a complaint in which state: pure checks shared by the workflow's
update validators and handlers (a handler checks again because two updates can pass their
validators before either handler runs)."""

from decimal import Decimal

from domain.compensation import CompensationKind, ResolutionProposal
from domain.complaints import (
    AgentAction,
    ApprovalDecision,
    AssignAction,
    ComplaintStatus,
    ComplaintView,
    CustomerMessage,
    NoteAction,
    ProposeResolutionAction,
    ReclassifyAction,
    ReplyAction,
    RequestInfoAction,
)
from domain.evidence import EvidenceNotice


class ActionNotAllowed(Exception):
    """The complaint's state does not allow this action now (HTTP 409)."""


class InvalidAction(Exception):
    """The action itself is wrong for this complaint, whatever its state (HTTP 422)."""


_ACTIVE = {ComplaintStatus.OPEN, ComplaintStatus.WAITING_ON_CUSTOMER}
_NOT_CLOSED = _ACTIVE | {ComplaintStatus.AWAITING_APPROVAL, ComplaintStatus.RESOLVING}
# The statuses in which each action is taken (by its `type`); `check_agent_action`
# refuses it in any other, and the console offers its form in these only.
ALLOWED_WHILE: dict[str, frozenset[ComplaintStatus]] = {
    "reply": frozenset(_NOT_CLOSED),
    "note": frozenset(_NOT_CLOSED),
    "assign": frozenset(_NOT_CLOSED),
    "reclassify": frozenset(_NOT_CLOSED),
    "request_info": frozenset({ComplaintStatus.OPEN}),
    "propose_resolution": frozenset(_ACTIVE),
}


def check_not_merged(view: ComplaintView) -> None:
    """Raises ActionNotAllowed once the complaint is merged, or being merged, into another:
    whatever it took from then on would miss the survivor (`domain.complaint_merge`)."""
    if view.merged_into is not None:
        raise ActionNotAllowed(f"the complaint was merged into {view.merged_into}; go on there")


def check_agent_action(view: ComplaintView, request: AgentAction) -> None:
    """Raises ActionNotAllowed or InvalidAction when `request` cannot be applied to `view`."""
    check_not_merged(view)
    action = request.action
    status = view.status
    if status is ComplaintStatus.CLOSED:
        raise ActionNotAllowed("the complaint is closed")
    if status is ComplaintStatus.RECEIVED:
        raise ActionNotAllowed("the complaint is still being classified; try again shortly")
    match action:
        case ReplyAction() | NoteAction():
            return
        case AssignAction(agent_id=None, team=team):
            routing = view.routing
            if routing is not None and team == routing.team:
                raise InvalidAction(f"the complaint is already with team {team}: name an agent")
        case RequestInfoAction():
            if status is not ComplaintStatus.OPEN:
                raise ActionNotAllowed(f"cannot request information while {status.value}")
        case ReclassifyAction():
            if status not in _NOT_CLOSED:
                raise ActionNotAllowed(f"cannot reclassify while {status.value}")
        case ProposeResolutionAction(proposal=proposal):
            if status not in _ACTIVE:
                raise ActionNotAllowed(
                    f"cannot propose a resolution while {status.value.replace('_', ' ')}"
                )
            check_proposal(view, proposal)


def check_proposal(view: ComplaintView, proposal: ResolutionProposal) -> None:
    """Raises InvalidAction when the proposal cannot be carried out for this complaint."""
    order = view.intake.order
    for step in proposal.compensations:
        if step.kind is CompensationKind.REPLACEMENT:
            if not step.items:
                raise InvalidAction("a replacement needs at least one item")
            if order is None:
                raise InvalidAction("a replacement needs an order reference")
            ordered = {item.sku for item in order.items}
            unknown = sorted({item.sku for item in step.items} - ordered)
            if ordered and unknown:
                raise InvalidAction(f"replacement items not in the order: {', '.join(unknown)}")
        elif step.amount <= 0:
            raise InvalidAction(f"a {step.kind.value.replace('_', ' ')} needs an amount above 0")
    if proposal.return_plan is not None:
        if order is None:
            raise InvalidAction("a return needs an order reference")
        if not proposal.final:
            raise InvalidAction("a resolution with a return closes the complaint: set final")
        bought = {item.sku: item.quantity for item in order.items}
        for line in proposal.return_plan.lines:
            if line.quantity > bought.get(line.sku, 0):
                raise InvalidAction(
                    f"return of {line.quantity} x {line.sku}, but the order has "
                    f"{bought.get(line.sku, 0)}"
                )
    refund = proposal.refund_amount()
    if refund > 0:
        if order is None or not order.payment_id:
            raise InvalidAction("a refund needs an order with a payment id")
        headroom = order.paid_amount - view.refunded_total
        if refund > headroom:
            raise InvalidAction(
                f"refunds would total {view.refunded_total + refund} but only "
                f"{order.paid_amount} {order.currency} was paid "
                f"({max(headroom, Decimal('0'))} can still be refunded)"
            )


def missing_root_cause(action: object) -> bool:
    """Returns whether `action` proposes a final resolution (one that closes the complaint
    resolved) without saying what caused the complaint. The API and the console refuse
    such a proposal; the workflow takes it, as it did before the rule (its histories
    replay those)."""
    if not isinstance(action, ProposeResolutionAction):
        return False
    return action.proposal.final and action.proposal.root_cause is None


def check_customer_message(view: ComplaintView, message: CustomerMessage) -> None:
    """Raises ActionNotAllowed when the complaint no longer takes customer messages."""
    check_not_merged(view)
    if view.status is ComplaintStatus.CLOSED:
        raise ActionNotAllowed("the complaint is closed")


def check_evidence_notice(view: ComplaintView, notice: EvidenceNotice) -> None:
    """Raises ActionNotAllowed when the complaint no longer takes the customer's files."""
    check_not_merged(view)
    if view.status is ComplaintStatus.CLOSED:
        raise ActionNotAllowed("the complaint is closed")


def check_approval(view: ComplaintView, decision: ApprovalDecision) -> None:
    """Raises ActionNotAllowed when no approval is pending."""
    check_not_merged(view)
    if view.status is not ComplaintStatus.AWAITING_APPROVAL or view.approval is None:
        raise ActionNotAllowed("no approval is pending on this complaint")
