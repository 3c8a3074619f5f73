"""How long after delivery goods may be returned, by the kind of goods, and which goods are
never taken back for a change of mind. Part of the policy a return carries
(`ReturnCasePolicy.windows`), so eligibility is judged by the windows in force when the
return opened; `RETURN_WINDOWS` are the values Redress ships with, and
`domain.return_policy` applies them."""

from pydantic import BaseModel, Field


class ReturnWindows(BaseModel):
    """Return windows in whole days from delivery, by a line's `product_category`."""

    days_by_category: dict[str, int]
    # Categories not listed above.
    default_days: int
    # A return the merchant is at fault for (`MERCHANT_FAULT_REASONS`) gets at least this
    # window, whatever the category, non-returnable ones included.
    merchant_fault_days: int
    # Goods never taken back for a change of mind (hygiene, spoilage, made to order,
    # consumed on delivery); merchant-fault returns of them are still accepted.
    non_returnable: list[str] = Field(default_factory=list)


def category_key(category: str) -> str:
    """Returns a product category as the windows name it: trimmed, lower case."""
    return category.strip().lower()


# "general" is China's 7-day no-reason return.
RETURN_WINDOWS = ReturnWindows(
    days_by_category={
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
    },
    default_days=7,
    merchant_fault_days=30,
    non_returnable=["food", "perishables", "underwear", "custom_made", "digital"],
)
