"""Money amounts: decimals with two places, never floats."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import Field

CENT = Decimal("0.01")

Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
PositiveAmount = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["CNY"])]


def to_cents(amount: Decimal) -> Decimal:
    """Returns `amount` rounded half-up to whole cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
