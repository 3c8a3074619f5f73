"""The plan a wrong-item or transit-damage return puts to the customer before anything
ships, as data: which playbook, and the amount it offers. The wording layer words it in
the reader's language (`core.wording.return_words`), for the customer's message, their
page and the console.
"""

from pydantic import BaseModel

from domain.money import Money
from domain.return_reasons import ReturnReason


class PlaybookPlan(BaseModel):
    """Returns what a playbook offers: for a wrong item, an exchange and an apology coupon
    of `amount`; for transit damage, `amount` in compensation (what the returned lines
    are worth)."""

    reason: ReturnReason
    amount: Money


def playbook_plan(reason: ReturnReason, *, coupon: Money, refundable: Money) -> PlaybookPlan:
    """Returns the plan a wrong-item (`coupon`) or transit-damage (`refundable`) return
    puts to the customer."""
    return PlaybookPlan(
        reason=reason, amount=coupon if reason is ReturnReason.WRONG_ITEM else refundable
    )
