"""Canned replies: the placeholders a reply template may name, and their values for one
complaint.

A template is text with placeholders (`{{ customer_name }}`) that an agent picks on the
complaint page, edits and sends as an ordinary reply. Its words belong to the admins who
write it; what a placeholder stands for belongs here, so every template, the console's
list of placeholders and the API agree. Rendering (Jinja2, sandboxed) is
`core.wording.canned_replies`.
"""

from enum import StrEnum

from domain.complaints import ComplaintView
from domain.notifications import MessageValue, Moment, Money
from domain.policy import CUSTOMER_TIMEZONE
from domain.taxonomy import Locale

MAX_TITLE_CHARS = 120
# Short enough that a filled template stays well within a reply's 5,000 characters.
MAX_BODY_CHARS = 4000
# What list filters and the API call the templates that suit every sub-category.
GENERAL = "general"


class PlaceholderKind(StrEnum):
    """How a placeholder's value is shown: as written, as money in the customer's locale,
    or as a date and time in the customer's time zone."""

    TEXT = "text"
    MONEY = "money"
    MOMENT = "moment"


class Placeholder(StrEnum):
    CUSTOMER_NAME = "customer_name"
    CUSTOMER_ID = "customer_id"
    COMPLAINT_ID = "complaint_id"
    ORDER_ID = "order_id"
    TRACKING_NUMBER = "tracking_number"
    PAID_AMOUNT = "paid_amount"
    REFUNDED_TOTAL = "refunded_total"
    FIRST_RESPONSE_DUE = "first_response_due"
    RESOLUTION_DUE = "resolution_due"
    AGENT_NAME = "agent_name"


PLACEHOLDER_KINDS: dict[Placeholder, PlaceholderKind] = {
    Placeholder.CUSTOMER_NAME: PlaceholderKind.TEXT,
    Placeholder.CUSTOMER_ID: PlaceholderKind.TEXT,
    Placeholder.COMPLAINT_ID: PlaceholderKind.TEXT,
    Placeholder.ORDER_ID: PlaceholderKind.TEXT,
    Placeholder.TRACKING_NUMBER: PlaceholderKind.TEXT,
    Placeholder.PAID_AMOUNT: PlaceholderKind.MONEY,
    Placeholder.REFUNDED_TOTAL: PlaceholderKind.MONEY,
    Placeholder.FIRST_RESPONSE_DUE: PlaceholderKind.MOMENT,
    Placeholder.RESOLUTION_DUE: PlaceholderKind.MOMENT,
    Placeholder.AGENT_NAME: PlaceholderKind.TEXT,
}


def placeholder_values(
    view: ComplaintView, *, agent_name: str | None = None
) -> dict[str, MessageValue]:
    """Returns the placeholders' values for `view`: only those the complaint has.

    A placeholder left out (no order, no refund yet, a clock paused while the complaint
    waits on the customer) is undefined when rendered: a template that names it unguarded
    cannot be used on this complaint, and one that asks `{% if order_id is defined %}`
    leaves that part out. Deadlines are shown in the customer's time zone.
    """
    customer = view.intake.customer
    zone = CUSTOMER_TIMEZONE[customer.locale]
    values: dict[str, MessageValue] = {
        # As the letters around a reply name the customer (`workflows.complaint_file`).
        Placeholder.CUSTOMER_NAME: customer.name or customer.id,
        Placeholder.CUSTOMER_ID: customer.id,
        Placeholder.COMPLAINT_ID: view.complaint_id,
    }
    if agent_name:
        values[Placeholder.AGENT_NAME] = agent_name
    order = view.intake.order
    if order is not None:
        values[Placeholder.ORDER_ID] = order.order_id
        values[Placeholder.PAID_AMOUNT] = Money(amount=order.paid_amount, currency=order.currency)
        if order.tracking_number:
            values[Placeholder.TRACKING_NUMBER] = order.tracking_number
        if view.refunded_total > 0:
            values[Placeholder.REFUNDED_TOTAL] = Money(
                amount=view.refunded_total, currency=order.currency
            )
    for name, clock in (
        (Placeholder.FIRST_RESPONSE_DUE, view.first_response),
        (Placeholder.RESOLUTION_DUE, view.resolution),
    ):
        # A met deadline means nothing to the customer any more.
        if clock is not None and clock.due_at is not None and clock.met_at is None:
            values[name] = Moment(at=clock.due_at, timezone=zone)
    return {str(name): value for name, value in values.items()}


def complaint_language(view: ComplaintView) -> Locale:
    """Returns the language replies to the complaint are written in: its customer's."""
    return view.intake.customer.locale
