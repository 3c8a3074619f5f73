"""Money amounts: decimals with two places, never floats."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BaseModel, Field, WithJsonSchema

CENT = Decimal("0.01")


def _amount_schema(bound: str) -> WithJsonSchema:
    """Returns one JSON schema for an amount, read or written.

    Requests may send a number or a string; answers always carry a string. pydantic
    documents the two directions differently, and FastAPI then splits every model holding
    an amount into `-Input` and `-Output` schemas of one title, which client generators
    refuse (openapi-python-client drops the views that use them). The union is true both
    ways, so each model keeps one schema.
    """
    return WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "number", bound: 0}],
            "description": "A decimal amount with at most 2 places; answered as a string",
            "examples": ["99.00"],
        }
    )


Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), _amount_schema("minimum")]
PositiveAmount = Annotated[
    Decimal, Field(gt=0, max_digits=14, decimal_places=2), _amount_schema("exclusiveMinimum")
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["CNY"])]


class Money(BaseModel):
    """An amount in its currency, as messages and pages show it (through Babel)."""

    amount: Decimal
    currency: str


def to_cents(amount: Decimal) -> Decimal:
    """Returns `amount` rounded half-up to whole cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
