"""Goods in a resolution proposed from the console: a replacement shipped to the customer
and goods taken back by a return, read from the resolution form's fields.

The form lists the complaint's order items, each with a quantity to send again and one
to take back (an order without item lines gets SKU and quantity fields to fill). Each is
checked against the order as the workflow checks it (`domain.complaint_rules`), and
further: no more than was bought, each SKU once, so a refusal names the item and field
at fault before anything is sent. Empty or zero quantities leave an item out.
"""

from dataclasses import dataclass
from itertools import zip_longest

from pydantic import TypeAdapter, ValidationError

from api.console.complaint_actions import FormRefused
from api.console.complaint_workspace import OUTCOMES, FormProblem
from domain.compensation import (
    MAX_REPLACEMENT_ITEMS,
    Compensation,
    CompensationKind,
    ReplacementItem,
    ReturnPlan,
    ReturnPlanLine,
)
from domain.complaints import ComplaintView, Identifier, OrderReference
from domain.returns import ReturnOutcome

# The most of one SKU a replacement ships (`ReplacementItem.quantity`).
MAX_REPLACEMENT_QUANTITY = 100
# The most of one SKU a return takes back (`ReturnPlanLine.quantity`).
MAX_RETURN_QUANTITY = 10_000
_SKU = TypeAdapter(Identifier)


@dataclass(frozen=True)
class TypedGoods:
    """The goods fields as typed: replacement rows (`sku`, `quantity`), take-back rows
    (`sku`, `quantity`, `exchange_sku`) and the take-back's outcome."""

    replace: list[dict[str, str]]
    take_back: list[dict[str, str]]
    outcome: str

    @classmethod
    def from_form(
        cls,
        replace_sku: list[str] | None,
        replace_quantity: list[str] | None,
        return_sku: list[str] | None,
        return_quantity: list[str] | None,
        exchange_sku: list[str] | None,
        return_outcome: str,
    ) -> "TypedGoods":
        """Returns the goods fields of a form as sent, trimmed and paired by position."""
        replace = zip_longest(replace_sku or [], replace_quantity or [], fillvalue="")
        take_back = zip_longest(
            return_sku or [], return_quantity or [], exchange_sku or [], fillvalue=""
        )
        return cls(
            replace=[{"sku": s.strip(), "quantity": q.strip()} for s, q in replace],
            take_back=[
                {"sku": s.strip(), "quantity": q.strip(), "exchange_sku": x.strip()}
                for s, q, x in take_back
            ],
            outcome=return_outcome.strip() or ReturnOutcome.REFUND.value,
        )

    def as_typed(self) -> dict[str, object]:
        """Returns the fields to keep on the page when the form comes back."""
        return {
            "replace": self.replace,
            "take_back": self.take_back,
            "return_outcome": self.outcome,
        }


def _bought(order: OrderReference | None) -> dict[str, int]:
    """Returns how many of each SKU the order holds (SKUs listed twice added up)."""
    bought: dict[str, int] = {}
    for item in order.items if order else []:
        bought[item.sku] = bought.get(item.sku, 0) + item.quantity
    return bought


def _refuse(key: str, field: str, **values: object) -> FormRefused:
    return FormRefused(FormProblem(422, key, field, "", {k: str(v) for k, v in values.items()}))


def _quantity(text: str, most: int) -> int | None:
    """Returns the whole number typed (None when nothing or 0 was), or raises ValueError
    when it is not one from 0 to `most`."""
    if not text or text == "0":
        return None
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= most:
        raise ValueError(text)
    return int(text) or None


def _sku(text: str, field: str, key: str) -> str:
    try:
        return _SKU.validate_python(text)
    except ValidationError as invalid:
        raise _refuse(key, field, sku=text) from invalid


def replacement(view: ComplaintView, typed: TypedGoods) -> Compensation | None:
    """Returns the replacement the form asks for (None when it asks for none); raises
    FormRefused naming the first field at fault."""
    order = view.intake.order
    bought = _bought(order)
    items: list[ReplacementItem] = []
    for index, row in enumerate(typed.replace):
        if not row["sku"] and not row["quantity"]:
            continue
        quantity_field, sku_field = f"replace-quantity-{index}", f"replace-sku-{index}"
        if not row["sku"]:
            raise _refuse("replace_sku_missing", sku_field, row=index + 1)
        sku = _sku(row["sku"], sku_field, "replace_sku_invalid")
        if bought and sku not in bought:
            # The order's items are listed with their SKU hidden: name the quantity.
            raise _refuse("replace_sku_unknown", quantity_field, sku=sku, order=_order_id(view))
        most = min(bought.get(sku, MAX_REPLACEMENT_QUANTITY), MAX_REPLACEMENT_QUANTITY)
        try:
            quantity = _quantity(row["quantity"], most)
        except ValueError as invalid:
            raise _refuse("replace_quantity_invalid", quantity_field, sku=sku, max=most) from (
                invalid
            )
        if quantity is None:
            if not bought:
                raise _refuse("replace_quantity_invalid", quantity_field, sku=sku, max=most)
            continue
        if any(item.sku == sku for item in items):
            raise _refuse("replace_sku_twice", sku_field, sku=sku)
        items.append(ReplacementItem(sku=sku, quantity=quantity))
    if not items:
        return None
    if order is None:
        raise _refuse("replace_needs_order", "replace-sku-0")
    if len(items) > MAX_REPLACEMENT_ITEMS:
        raise _refuse("replace_too_many", "replace-quantity-0", n=MAX_REPLACEMENT_ITEMS)
    return Compensation(kind=CompensationKind.REPLACEMENT, items=items)


def return_plan(view: ComplaintView, typed: TypedGoods, *, final: bool) -> ReturnPlan | None:
    """Returns the goods the form takes back (None when it takes none back); raises
    FormRefused naming the first field at fault."""
    bought = _bought(view.intake.order)
    if not bought and any(row["sku"] or row["quantity"] for row in typed.take_back):
        raise _refuse("return_needs_items", "return-quantity-0")
    lines: list[ReturnPlanLine] = []
    exchange = typed.outcome == ReturnOutcome.EXCHANGE.value
    for index, row in enumerate(typed.take_back):
        if not row["sku"]:
            continue
        quantity_field, exchange_field = f"return-quantity-{index}", f"exchange-sku-{index}"
        sku = row["sku"]
        if sku not in bought:
            raise _refuse("return_sku_unknown", quantity_field, sku=sku, order=_order_id(view))
        try:
            quantity = _quantity(row["quantity"], min(bought[sku], MAX_RETURN_QUANTITY))
        except ValueError as invalid:
            raise _refuse(
                "return_quantity_invalid", quantity_field, sku=sku, max=bought[sku]
            ) from invalid
        exchange_sku = row["exchange_sku"] or None
        if exchange_sku is not None:
            exchange_sku = _sku(exchange_sku, exchange_field, "exchange_sku_invalid")
            if quantity is None or not exchange:
                raise _refuse("exchange_sku_unused", exchange_field, sku=sku)
        if quantity is None:
            continue
        if any(line.sku == sku for line in lines):
            raise _refuse("return_sku_twice", quantity_field, sku=sku)
        lines.append(ReturnPlanLine(sku=sku, quantity=quantity, exchange_sku=exchange_sku))
    if not lines:
        return None
    if typed.outcome not in OUTCOMES:
        raise _refuse("return_outcome_invalid", "return-outcome-refund")
    if len(lines) > MAX_REPLACEMENT_ITEMS:
        raise _refuse("return_too_many", "return-quantity-0", n=MAX_REPLACEMENT_ITEMS)
    if not final:
        raise _refuse("return_needs_final", "propose-final")
    return ReturnPlan.model_validate({"lines": lines, "outcome": typed.outcome})


def _order_id(view: ComplaintView) -> str:
    order = view.intake.order
    return order.order_id if order else ""
