"""What a return's settlement pays for: the items the warehouse accepted, what they are
worth, and how a refund of that worth splits across the orders they came from.

Pure and deterministic, so the return workflow calls these as it settles.
"""

from collections.abc import Sequence
from decimal import Decimal

from domain.return_policy import price_on_order
from domain.returns import (
    Eligibility,
    InspectionFindings,
    InspectionVerdict,
    ReturnLine,
    ReturnReason,
    ReturnRequest,
    TrackingStatus,
)

# Reasons the carrier is at fault for: a settlement of such a return is claimed from it.
CARRIER_FAULT_REASONS = frozenset({ReturnReason.DAMAGED_IN_TRANSIT})

# A line of the request and how many of its items the settlement takes back.
AcceptedLine = tuple[ReturnLine, int]


def accepted_lines(
    request: ReturnRequest,
    inspection: InspectionFindings | None,
    last_tracking: TrackingStatus | None,
) -> list[AcceptedLine]:
    """Returns the request's lines the settlement takes back, each with how many items.

    A parcel the carrier lost, or one settled without an inspection, counts as wholly
    accepted. A partial verdict accepts each SKU's `accepted_quantity`, given to the
    request's lines of that SKU in their order; any other verdict but ACCEPTED takes
    nothing back.
    """
    lines = request.lines
    if last_tracking is TrackingStatus.LOST or inspection is None:
        return [(line, line.quantity) for line in lines]
    if inspection.verdict is InspectionVerdict.ACCEPTED:
        return [(line, line.quantity) for line in lines]
    if inspection.verdict is not InspectionVerdict.PARTIAL:
        return []
    left = {inspected.sku: inspected.accepted_quantity for inspected in inspection.lines}
    accepted: list[AcceptedLine] = []
    for line in lines:
        quantity = min(line.quantity, left.get(line.sku, 0))
        if quantity:
            accepted.append((line, quantity))
            left[line.sku] -= quantity
    return accepted


def inspection_problem(request: ReturnRequest, inspection: InspectionFindings) -> str | None:
    """Returns why the warehouse's findings cannot stand against the request (a SKU named
    twice, or more of a SKU accepted than came back), or None when they can.

    A SKU may be returned on several lines (bought in two orders): what may be accepted is
    their sum, which `accepted_lines` then takes back line by line."""
    returned: dict[str, int] = {}
    for line in request.lines:
        returned[line.sku] = returned.get(line.sku, 0) + line.quantity
    named: set[str] = set()
    for inspected in inspection.lines:
        if inspected.sku in named:
            return f"{inspected.sku}: named twice in the inspection"
        named.add(inspected.sku)
        if inspected.accepted_quantity > returned.get(inspected.sku, 0):
            return (
                f"{inspected.sku}: {inspected.accepted_quantity} accepted but "
                f"{returned.get(inspected.sku, 0)} returned"
            )
    return None


def carrier_at_fault(reason: ReturnReason, last_tracking: TrackingStatus | None) -> bool:
    """Returns whether the carrier answers for a return: it lost the parcel, or the goods
    came damaged in transit."""
    return last_tracking is TrackingStatus.LOST or reason in CARRIER_FAULT_REASONS


def unit_price(request: ReturnRequest, line: ReturnLine) -> Decimal:
    """Returns the price of one of `line`'s items on its order; nothing if it is not there."""
    for order in request.orders:
        if order.order_id == line.order_id:
            price = price_on_order(order, line.sku)
            if price is not None:
                return price
    return Decimal("0")


def settlement_value(
    request: ReturnRequest, accepted: Sequence[AcceptedLine], eligibility: Eligibility | None
) -> Decimal:
    """Returns what the accepted items are worth, capped by the refundable amount the
    eligibility verdict allowed."""
    total = sum((unit_price(request, line) * qty for line, qty in accepted), Decimal("0"))
    if eligibility is None:
        return total
    return min(total, eligibility.refundable_amount)


def refunds_by_order(
    request: ReturnRequest, accepted: Sequence[AcceptedLine], value: Decimal
) -> list[tuple[str, Decimal]]:
    """Returns how much to refund on each order's payment, in the request's order of orders.

    Each order refunds what its accepted items are worth, at most what it paid, until
    `value` is used up; orders with nothing to refund are left out.
    """
    per_order: dict[str, Decimal] = {}
    for line, qty in accepted:
        per_order[line.order_id] = per_order.get(line.order_id, Decimal("0")) + (
            unit_price(request, line) * qty
        )
    left = value
    refunds: list[tuple[str, Decimal]] = []
    for order in request.orders:
        amount = min(per_order.get(order.order_id, Decimal("0")), order.paid_amount, left)
        if amount > 0:
            refunds.append((order.order_id, amount))
            left -= amount
    return refunds


def describe_accepted(accepted: Sequence[AcceptedLine]) -> str:
    """Returns the accepted items as the timeline shows them ("sku-a x2, sku-b x1")."""
    return ", ".join(f"{line.sku} x{qty}" for line, qty in accepted)
