"""Return policy as data: windows, non-returnable goods, risk rules and return deadlines.

The return workflow and its activities read policy from here, never literals of their own.
`assess_return` is pure and deterministic, so a workflow may call it as well as an activity.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel

from domain.money import to_cents
from domain.return_deadlines import ReturnCasePolicy, ReturnShippingPolicy
from domain.return_reasons import EligibilityReason, EligibilityReasonCode
from domain.return_windows import RETURN_WINDOWS, ReturnWindows, category_key
from domain.returns import (
    MERCHANT_FAULT_REASONS,
    Address,
    Eligibility,
    EligibilityDecision,
    ReturnLine,
    ReturnOrder,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
    ReturnView,
)
from domain.taxonomy import EscalationLevel

# --- Return windows ----------------------------------------------------------------------

# The windows Redress ships with (`domain.return_windows`), under the names the rest of the
# code and its tests read them by.
RETURN_WINDOW_DAYS: dict[str, int] = RETURN_WINDOWS.days_by_category
DEFAULT_RETURN_WINDOW_DAYS = RETURN_WINDOWS.default_days
NON_RETURNABLE_CATEGORIES = frozenset(RETURN_WINDOWS.non_returnable)
MERCHANT_FAULT_WINDOW_DAYS = RETURN_WINDOWS.merchant_fault_days


def return_window_days(
    category: str, reason: ReturnReason, windows: ReturnWindows = RETURN_WINDOWS
) -> int:
    """Returns how many days after delivery a line of `category` may be returned for `reason`."""
    days = windows.days_by_category.get(category_key(category), windows.default_days)
    if reason in MERCHANT_FAULT_REASONS:
        return max(days, windows.merchant_fault_days)
    return days


def is_returnable(
    category: str, reason: ReturnReason, windows: ReturnWindows = RETURN_WINDOWS
) -> bool:
    """Returns whether goods of `category` may be returned for `reason` at all."""
    return reason in MERCHANT_FAULT_REASONS or category_key(category) not in (
        windows.non_returnable
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


def return_case_policy() -> ReturnCasePolicy:
    """Returns the return policy Redress ships with: the store's first version, and what a
    return runs under when its input carries none."""
    return ReturnCasePolicy(
        review_windows=RETURN_REVIEW_WINDOWS,
        shipping=RETURN_SHIPPING,
        inspection_window=INSPECTION_WINDOW,
        consent_window=CONSENT_WINDOW,
        wrong_item_apology_coupon=WRONG_ITEM_APOLOGY_COUPON,
        windows=RETURN_WINDOWS,
    )


def ship_by(
    label_created_at: datetime, shipping: ReturnShippingPolicy = RETURN_SHIPPING
) -> datetime:
    """Returns the latest moment the customer should hand over a parcel labelled then."""
    return label_created_at + shipping.ship_within


def ship_reminder_at(
    ship_by_at: datetime, shipping: ReturnShippingPolicy = RETURN_SHIPPING
) -> datetime:
    """Returns when to remind the customer of a parcel due by `ship_by_at`."""
    return ship_by_at - shipping.reminder_before


def shipping_cancelled_at(
    ship_by_at: datetime, shipping: ReturnShippingPolicy = RETURN_SHIPPING
) -> datetime:
    """Returns when a return whose parcel never left is cancelled."""
    return ship_by_at + shipping.cancel_grace


def trace_due_at(
    picked_up_at: datetime, shipping: ReturnShippingPolicy = RETURN_SHIPPING
) -> datetime:
    """Returns when a parcel picked up then and not yet delivered gets a carrier trace."""
    return picked_up_at + shipping.stuck_in_transit_after


def lost_at(picked_up_at: datetime, shipping: ReturnShippingPolicy = RETURN_SHIPPING) -> datetime:
    """Returns when a parcel picked up then, traced and still not delivered, is lost.

    After the trace the parcel gets as long again as it had before it.
    """
    return picked_up_at + 2 * shipping.stuck_in_transit_after


def exchange_due_at(
    shipped_at: datetime, shipping: ReturnShippingPolicy = RETURN_SHIPPING
) -> datetime:
    """Returns when an exchange shipped then should have reached the customer: as long as
    a return parcel gets before it is called lost (`lost_at`)."""
    return lost_at(shipped_at, shipping)


def exchange_checked_again_at(
    flagged_at: datetime, shipping: ReturnShippingPolicy = RETURN_SHIPPING
) -> datetime:
    """Returns when an exchange flagged as not moving is looked at again: a person has it
    by then, and the return goes on reminding them at the pace of a carrier trace."""
    return trace_due_at(flagged_at, shipping)


def next_parcel_deadline(
    view: ReturnView, shipping: ReturnShippingPolicy = RETURN_SHIPPING
) -> datetime:
    """Returns when the return parcel's next step falls due if no courier scan comes first.

    Awaiting shipment: the reminder, then the cancellation once ship-by's grace is over.
    In transit: the carrier trace, then giving the parcel up as lost; both count from the
    pickup scan, or from ship-by when no pickup time was recorded.
    """
    if view.ship_by is None:
        raise ValueError(f"return {view.return_id} has no ship-by yet: send its label first")
    if view.status is ReturnStatus.AWAITING_SHIPMENT:
        if not view.ship_reminded:
            return ship_reminder_at(view.ship_by, shipping)
        return shipping_cancelled_at(view.ship_by, shipping)
    picked_up_at = view.picked_up_at or view.ship_by
    if not view.trace_opened:
        return trace_due_at(picked_up_at, shipping)
    return lost_at(picked_up_at, shipping)


# --- Eligibility ------------------------------------------------------------------------


def assess_return(
    request: ReturnRequest,
    *,
    requested_at: datetime,
    prior_returns: int,
    windows: ReturnWindows = RETURN_WINDOWS,
) -> Eligibility:
    """Returns the policy's verdict on `request`, made at `requested_at`.

    `prior_returns` is how many returns the customer opened in the serial-returner window
    before this one; `windows` are the return windows the return opened under. Any
    rejection reason rejects; otherwise any risk reason sends the request to manual
    review; otherwise it is approved. The refundable amount is what
    the lines are worth, capped per order by what that order was paid. Each reason is
    given as data (`details`); the eligibility activity adds them in English (`reasons`)
    for logs and the API, worded where every message is (`core.wording.return_words`).
    """
    currency, rejections = _currency(request.orders)
    orders = _orders_by_id(request.orders, rejections)
    for number, line in enumerate(request.lines, start=1):
        rejections.extend(_line_rejections(number, line, orders, request, requested_at, windows))
    rejections.extend(_quantity_rejections(request.lines, orders))
    if rejections:
        return _verdict(EligibilityDecision.REJECTED, rejections, currency=currency)

    amount = refundable_amount(request)
    risks = _risk_reasons(request, amount=amount, currency=currency, prior_returns=prior_returns)
    return _verdict(
        EligibilityDecision.MANUAL_REVIEW if risks else EligibilityDecision.APPROVED,
        risks,
        currency=currency,
        amount=amount,
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
        price = price_on_order(order, line.sku) if order else None
        if order is None or price is None:
            continue
        per_order[order.order_id] += price * line.quantity
    total = sum(
        (min(worth, orders[order_id].paid_amount) for order_id, worth in per_order.items()),
        Decimal("0"),
    )
    return to_cents(total)


def price_on_order(order: ReturnOrder, sku: str) -> Decimal | None:
    """Returns the price of `sku` on `order` (its first item of that SKU), or None."""
    return next((item.price for item in order.items if item.sku == sku), None)


def _verdict(
    decision: EligibilityDecision,
    details: list[EligibilityReason],
    *,
    currency: str,
    amount: Decimal = Decimal("0"),
) -> Eligibility:
    return Eligibility(
        decision=decision,
        details=details,
        refundable_amount=amount,
        currency=currency,
    )


def _reason(code: EligibilityReasonCode, **params: object) -> EligibilityReason:
    return EligibilityReason(code=code, params={key: str(value) for key, value in params.items()})


def _currency(orders: list[ReturnOrder]) -> tuple[str, list[EligibilityReason]]:
    currencies = sorted({order.currency for order in orders})
    if len(currencies) == 1:
        return currencies[0], []
    return orders[0].currency, [
        _reason(
            EligibilityReasonCode.MIXED_CURRENCIES,
            orders=",".join(order.order_id for order in orders),
            currencies=",".join(order.currency for order in orders),
        )
    ]


def _orders_by_id(
    orders: list[ReturnOrder], rejections: list[EligibilityReason]
) -> dict[str, ReturnOrder]:
    by_id: dict[str, ReturnOrder] = {}
    for order in orders:
        if order.order_id in by_id:
            rejections.append(
                _reason(EligibilityReasonCode.DUPLICATE_ORDER, order_id=order.order_id)
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
    windows: ReturnWindows,
) -> list[EligibilityReason]:
    subject = {"line": number, "order_id": line.order_id, "sku": line.sku}
    order = orders.get(line.order_id)
    if order is None:
        return [_reason(EligibilityReasonCode.ORDER_NOT_IN_REQUEST, **subject)]
    if price_on_order(order, line.sku) is None:
        return [_reason(EligibilityReasonCode.SKU_NOT_IN_ORDER, **subject)]
    reasons = []
    category = category_key(line.product_category)
    if not is_returnable(category, request.reason, windows):
        reasons.append(_reason(EligibilityReasonCode.NOT_RETURNABLE, **subject, category=category))
    elif order.delivered_at is not None:
        days = return_window_days(category, request.reason, windows)
        delivered_at = _aware(order.delivered_at)
        closed_at = delivered_at + timedelta(days=days)
        if _aware(requested_at) > closed_at:
            reasons.append(
                _reason(
                    EligibilityReasonCode.WINDOW_PASSED,
                    **subject,
                    category=category,
                    days=days,
                    delivered_at=_moment(delivered_at),
                    closed_at=_moment(closed_at),
                )
            )
    return reasons


def _quantity_rejections(
    lines: list[ReturnLine], orders: dict[str, ReturnOrder]
) -> list[EligibilityReason]:
    requested: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, line in enumerate(lines, start=1):
        requested[(line.order_id, line.sku)].append(number)
    reasons = []
    for (order_id, sku), numbers in requested.items():
        order = orders.get(order_id)
        if order is None or price_on_order(order, sku) is None:
            continue  # already rejected line by line
        asked = sum(lines[number - 1].quantity for number in numbers)
        ordered = sum(item.quantity for item in order.items if item.sku == sku)
        if asked > ordered:
            reasons.append(
                _reason(
                    EligibilityReasonCode.QUANTITY_ABOVE_ORDERED,
                    order_id=order_id,
                    sku=sku,
                    lines=",".join(str(number) for number in numbers),
                    requested=asked,
                    ordered=ordered,
                )
            )
    return reasons


def _risk_reasons(
    request: ReturnRequest, *, amount: Decimal, currency: str, prior_returns: int
) -> list[EligibilityReason]:
    risk = RETURN_RISK
    reasons = []
    if prior_returns >= risk.serial_returner_returns:
        reasons.append(
            _reason(
                EligibilityReasonCode.SERIAL_RETURNER,
                customer_id=request.customer.id,
                returns=prior_returns,
                window_days=risk.serial_returner_window_days,
                threshold=risk.serial_returner_returns,
            )
        )
    if amount > risk.high_value_amount:
        reasons.append(
            _reason(
                EligibilityReasonCode.HIGH_VALUE,
                amount=amount,
                currency=currency,
                limit=to_cents(risk.high_value_amount),
            )
        )
    if request.reason in risk.evidence_required_reasons and not request.evidence_urls:
        reasons.append(_reason(EligibilityReasonCode.EVIDENCE_MISSING, reason=request.reason.value))
    return reasons


def _aware(at: datetime) -> datetime:
    # A naive time is taken as UTC, so a naive and an aware one still compare.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()
