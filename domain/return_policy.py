"""Return policy as data: windows, non-returnable goods, risk rules and return deadlines.

The return workflow and its activities read policy from here, never literals of their own.
`assess_return` is pure and deterministic, so a workflow may call it as well as an activity.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel

from domain.money import to_cents
from domain.returns import (
    MERCHANT_FAULT_REASONS,
    Address,
    Eligibility,
    EligibilityDecision,
    ReturnLine,
    ReturnOrder,
    ReturnReason,
    ReturnRequest,
)
from domain.taxonomy import EscalationLevel

# --- Return windows ----------------------------------------------------------------------

# Days a customer has to ask for a return, from the day the order was delivered, by a
# line's `product_category`. "general" is China's 7-day no-reason return.
RETURN_WINDOW_DAYS: dict[str, int] = {
    "general": 7,
    "apparel": 15,
    "shoes": 15,
    "electronics": 15,
    "appliances": 15,
    "home": 7,
    "books": 7,
    "toys": 7,
    "cosmetics": 7,
    "jewelry": 7,
}
DEFAULT_RETURN_WINDOW_DAYS = 7

# Goods never taken back for a change of mind (hygiene, spoilage, made to order, consumed
# on delivery); merchant-fault returns of them are still accepted.
NON_RETURNABLE_CATEGORIES = frozenset(
    {"food", "perishables", "underwear", "custom_made", "digital"}
)

# A return the merchant is at fault for (`MERCHANT_FAULT_REASONS`) gets at least this
# window, whatever the category, non-returnable ones included.
MERCHANT_FAULT_WINDOW_DAYS = 30


def return_window_days(category: str, reason: ReturnReason) -> int:
    """Returns how many days after delivery a line of `category` may be returned for `reason`."""
    days = RETURN_WINDOW_DAYS.get(_category_key(category), DEFAULT_RETURN_WINDOW_DAYS)
    if reason in MERCHANT_FAULT_REASONS:
        return max(days, MERCHANT_FAULT_WINDOW_DAYS)
    return days


def is_returnable(category: str, reason: ReturnReason) -> bool:
    """Returns whether goods of `category` may be returned for `reason` at all."""
    return reason in MERCHANT_FAULT_REASONS or _category_key(category) not in (
        NON_RETURNABLE_CATEGORIES
    )


# --- Risk: when a person decides instead of the policy ---------------------------------


class ReturnRiskPolicy(BaseModel):
    """Signals that send an otherwise eligible return to manual review."""

    # A customer with this many returns (any outcome) in the lookback window is reviewed.
    serial_returner_returns: int
    serial_returner_window_days: int
    # Returns worth more than this (in the orders' currency) are reviewed.
    high_value_amount: Decimal
    # Reasons a customer must back with photos or video (`evidence_urls`).
    evidence_required_reasons: frozenset[ReturnReason]


RETURN_RISK = ReturnRiskPolicy(
    serial_returner_returns=5,
    serial_returner_window_days=90,
    high_value_amount=Decimal("3000"),
    evidence_required_reasons=frozenset(
        {
            ReturnReason.WRONG_ITEM,
            ReturnReason.DAMAGED_IN_TRANSIT,
            ReturnReason.DEFECTIVE,
            ReturnReason.NOT_AS_DESCRIBED,
        }
    ),
)

# How long each reviewer has (wall-clock) before an undecided review moves up a level.
RETURN_REVIEW_WINDOWS: dict[EscalationLevel, timedelta] = {
    EscalationLevel.SUPERVISOR: timedelta(hours=8),
    EscalationLevel.MANAGER: timedelta(hours=24),
}

# --- Shipping, inspection and consent deadlines -----------------------------------------


class ReturnShippingPolicy(BaseModel):
    """How long the parcel may take on its way back (wall-clock time)."""

    # From the label's creation to the latest day the customer should hand the parcel over.
    ship_within: timedelta
    # The customer is reminded this long before the ship-by moment.
    reminder_before: timedelta
    # A parcel still not handed over this long after ship-by cancels the return.
    cancel_grace: timedelta
    # A parcel picked up but not delivered this long after gets a carrier trace.
    stuck_in_transit_after: timedelta


RETURN_SHIPPING = ReturnShippingPolicy(
    ship_within=timedelta(days=7),
    reminder_before=timedelta(days=2),
    cancel_grace=timedelta(days=1),
    stuck_in_transit_after=timedelta(days=5),
)

# The warehouse inspects a delivered parcel within this time, or the return escalates.
INSPECTION_WINDOW = timedelta(days=2)
# A customer answers a proposed plan (partial refund, other variant...) within this time.
CONSENT_WINDOW = timedelta(days=3)
# The coupon the wrong-item playbook sends with its apology, in the order's currency.
WRONG_ITEM_APOLOGY_COUPON = Decimal("10")

# Where every return parcel goes.
WAREHOUSE_ADDRESS = Address(
    name="Redress Returns Centre",
    phone="+86 21 5555 0100",
    line1="No. 88 Logistics Park Road, Building 3",
    line2="Returns dock 2",
    city="Shanghai",
    region="Shanghai",
    postcode="201800",
    country="CN",
)


def ship_by(label_created_at: datetime) -> datetime:
    """Returns the latest moment the customer should hand over a parcel labelled then."""
    return label_created_at + RETURN_SHIPPING.ship_within


def ship_reminder_at(ship_by_at: datetime) -> datetime:
    """Returns when to remind the customer of a parcel due by `ship_by_at`."""
    return ship_by_at - RETURN_SHIPPING.reminder_before


def shipping_cancelled_at(ship_by_at: datetime) -> datetime:
    """Returns when a return whose parcel never left is cancelled."""
    return ship_by_at + RETURN_SHIPPING.cancel_grace


# --- Eligibility ------------------------------------------------------------------------


def assess_return(
    request: ReturnRequest, *, requested_at: datetime, prior_returns: int
) -> Eligibility:
    """Returns the policy's verdict on `request`, made at `requested_at`.

    `prior_returns` is how many returns the customer opened in the serial-returner window
    before this one. Any rejection reason rejects; otherwise any risk reason sends the
    request to manual review; otherwise it is approved. The refundable amount is what
    the lines are worth, capped per order by what that order was paid.
    """
    currency, rejections = _currency(request.orders)
    orders = _orders_by_id(request.orders, rejections)
    for number, line in enumerate(request.lines, start=1):
        rejections.extend(_line_rejections(number, line, orders, request, requested_at))
    rejections.extend(_quantity_rejections(request.lines, orders))
    if rejections:
        return Eligibility(
            decision=EligibilityDecision.REJECTED, reasons=rejections, currency=currency
        )

    amount = refundable_amount(request)
    risks = _risk_reasons(request, amount=amount, currency=currency, prior_returns=prior_returns)
    return Eligibility(
        decision=EligibilityDecision.MANUAL_REVIEW if risks else EligibilityDecision.APPROVED,
        reasons=risks,
        refundable_amount=amount,
        currency=currency,
    )


def refundable_amount(request: ReturnRequest) -> Decimal:
    """Returns what the request's lines are worth, each order capped at its paid amount.

    A line's unit price is its SKU's price on its order (the first item of that SKU);
    lines whose order or SKU is unknown are worth nothing.
    """
    orders = {order.order_id: order for order in request.orders}
    per_order: dict[str, Decimal] = defaultdict(Decimal)
    for line in request.lines:
        order = orders.get(line.order_id)
        price = _unit_price(order, line.sku) if order else None
        if order is None or price is None:
            continue
        per_order[order.order_id] += price * line.quantity
    total = sum(
        (min(worth, orders[order_id].paid_amount) for order_id, worth in per_order.items()),
        Decimal("0"),
    )
    return to_cents(total)


def _currency(orders: list[ReturnOrder]) -> tuple[str, list[str]]:
    currencies = sorted({order.currency for order in orders})
    if len(currencies) == 1:
        return currencies[0], []
    paid_in = ", ".join(f"{order.order_id} in {order.currency}" for order in orders)
    return orders[0].currency, [
        f"The orders were paid in different currencies ({paid_in}); open one return per currency."
    ]


def _orders_by_id(orders: list[ReturnOrder], rejections: list[str]) -> dict[str, ReturnOrder]:
    by_id: dict[str, ReturnOrder] = {}
    for order in orders:
        if order.order_id in by_id:
            rejections.append(
                f"Order {order.order_id} is listed more than once; list each order once."
            )
            continue
        by_id[order.order_id] = order
    return by_id


def _line_rejections(
    number: int,
    line: ReturnLine,
    orders: dict[str, ReturnOrder],
    request: ReturnRequest,
    requested_at: datetime,
) -> list[str]:
    subject = _line_name(number, line)
    order = orders.get(line.order_id)
    if order is None:
        return [f"{subject}: order {line.order_id} is not among the orders of this return."]
    if _unit_price(order, line.sku) is None:
        return [f"{subject}: order {line.order_id} has no item {line.sku}."]
    reasons = []
    category = _category_key(line.product_category)
    if not is_returnable(category, request.reason):
        reasons.append(
            f"{subject}: {category} items cannot be returned unless they arrived wrong, "
            "damaged or defective."
        )
    elif order.delivered_at is not None:
        days = return_window_days(category, request.reason)
        delivered_at = _aware(order.delivered_at)
        closed_at = delivered_at + timedelta(days=days)
        if _aware(requested_at) > closed_at:
            reasons.append(
                f"{subject}: the {days}-day return window for {category} items closed on "
                f"{_moment(closed_at)} (delivered {_moment(delivered_at)})."
            )
    return reasons


def _quantity_rejections(lines: list[ReturnLine], orders: dict[str, ReturnOrder]) -> list[str]:
    requested: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, line in enumerate(lines, start=1):
        requested[(line.order_id, line.sku)].append(number)
    reasons = []
    for (order_id, sku), numbers in requested.items():
        order = orders.get(order_id)
        if order is None or _unit_price(order, sku) is None:
            continue  # already rejected line by line
        asked = sum(lines[number - 1].quantity for number in numbers)
        ordered = sum(item.quantity for item in order.items if item.sku == sku)
        if asked > ordered:
            where = f"line {numbers[0]}" if len(numbers) == 1 else f"lines {_joined(numbers)}"
            reasons.append(
                f"Order {order_id}, SKU {sku}: {asked} to return ({where}) but only "
                f"{ordered} ordered."
            )
    return reasons


def _risk_reasons(
    request: ReturnRequest, *, amount: Decimal, currency: str, prior_returns: int
) -> list[str]:
    risk = RETURN_RISK
    reasons = []
    if prior_returns >= risk.serial_returner_returns:
        reasons.append(
            f"Customer {request.customer.id} has made {prior_returns} other returns in the "
            f"last {risk.serial_returner_window_days} days (review from "
            f"{risk.serial_returner_returns})."
        )
    if amount > risk.high_value_amount:
        reasons.append(
            f"The refundable amount {amount} {currency} is above the auto-approval limit of "
            f"{to_cents(risk.high_value_amount)} {currency}."
        )
    if request.reason in risk.evidence_required_reasons and not request.evidence_urls:
        reasons.append(
            f'The reason "{request.reason.value}" needs photos or video, but none were attached.'
        )
    return reasons


def _unit_price(order: ReturnOrder, sku: str) -> Decimal | None:
    return next((item.price for item in order.items if item.sku == sku), None)


def _line_name(number: int, line: ReturnLine) -> str:
    return f"Line {number} (order {line.order_id}, SKU {line.sku})"


def _category_key(category: str) -> str:
    return category.strip().lower()


def _aware(at: datetime) -> datetime:
    # A naive time is taken as UTC, so a naive and an aware one still compare.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _joined(numbers: Iterable[int]) -> str:
    return ", ".join(str(number) for number in numbers)
