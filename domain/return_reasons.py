"""Why a return is asked for (`ReturnReason`), and why the return policy rejects it or
sends it to review (`EligibilityReason`), as codes and facts, never words.

A leaf of `domain`: notifications carry these reasons as typed values, and the wording
layer words them in the reader's language (`core.wording.return_words`).
"""

from enum import StrEnum

from pydantic import BaseModel, Field


class ReturnReason(StrEnum):
    WRONG_ITEM = "wrong_item"
    DAMAGED_IN_TRANSIT = "damaged_in_transit"
    DEFECTIVE = "defective"
    NOT_AS_DESCRIBED = "not_as_described"
    CHANGED_MIND = "changed_mind"


class EligibilityReasonCode(StrEnum):
    """Each kind of reason the return policy rejects a request or sends it to review for."""

    # Rejections
    MIXED_CURRENCIES = "mixed_currencies"
    DUPLICATE_ORDER = "duplicate_order"
    ORDER_NOT_IN_REQUEST = "order_not_in_request"
    SKU_NOT_IN_ORDER = "sku_not_in_order"
    NOT_RETURNABLE = "not_returnable"
    WINDOW_PASSED = "window_passed"
    QUANTITY_ABOVE_ORDERED = "quantity_above_ordered"
    # Manual review
    SERIAL_RETURNER = "serial_returner"
    HIGH_VALUE = "high_value"
    EVIDENCE_MISSING = "evidence_missing"


class EligibilityReason(BaseModel):
    """One reason of a verdict as data, so each reader gets it in their own language.

    `params` holds the facts the wording needs, as text: `line`, `order_id`, `sku`,
    `category`, `days`, `delivered_at` and `closed_at` (ISO 8601, UTC), `lines` and
    `orders` (comma-separated), `currencies` (one per order in `orders`), `requested`,
    `ordered`, `customer_id`, `returns`, `window_days`, `threshold`, `amount`, `limit`,
    `currency` and `reason`, as each code needs.
    """

    code: EligibilityReasonCode
    params: dict[str, str] = Field(default_factory=dict)
