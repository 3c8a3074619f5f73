"""One-line summaries ops read in the Temporal UI beside a case's workflow id: what the
case is and whose (encrypted by the codec like every payload)."""

from domain.complaints import ComplaintIntake
from domain.returns import ReturnRequest


def complaint_summary(complaint_id: str, intake: ComplaintIntake) -> str:
    """Returns e.g. "Complaint C-1: web, customer cust-1 (vip), order ORD-7"."""
    customer = intake.customer
    summary = (
        f"Complaint {complaint_id}: {intake.channel}, customer {customer.id} ({customer.tier})"
    )
    if intake.order is not None:
        summary += f", order {intake.order.order_id}"
    return summary


def return_summary(return_id: str, request: ReturnRequest) -> str:
    """Returns e.g. "Return R-1: defective, customer cust-1, 2 items from ORD-7"."""
    items = sum(line.quantity for line in request.lines)
    orders = ", ".join(sorted({line.order_id for line in request.lines}))
    noun = "item" if items == 1 else "items"
    return (
        f"Return {return_id}: {request.reason}, customer {request.customer.id}, "
        f"{items} {noun} from {orders}"
    )
