"""The plan a wrong-item or transit-damage return puts to the customer, in their language
(kept on the return's view, which the customer's page shows)."""

from domain.returns import Eligibility, ReturnReason, ReturnRequest
from domain.taxonomy import Locale

_PLANS = {
    ReturnReason.WRONG_ITEM: {
        Locale.ZH_CN: (
            "非常抱歉发错了商品。我们将免费上门取回错发的商品，并为您重新发出正确的商品，"
            "另附一张 {coupon} 元道歉优惠券。如您更希望退款，也可以拒绝此方案。"
        ),
        Locale.EN: (
            "We are sorry we sent the wrong item. We will collect it at our cost, ship the "
            "right one to you, and add an apology coupon worth {coupon}. If you would rather "
            "have a refund, decline this plan."
        ),
    },
    ReturnReason.DAMAGED_IN_TRANSIT: {
        Locale.ZH_CN: (
            "很抱歉商品在运输途中受损。我们将免费取回受损商品，并按您的选择补偿 "
            "{amount} {currency}；运输损失由我们向承运商索赔。"
        ),
        Locale.EN: (
            "We are sorry your item was damaged in transit. We will collect it at our cost "
            "and compensate you {amount} {currency} as you chose; we claim the loss from "
            "the carrier ourselves."
        ),
    },
}


def playbook_plan(
    reason: ReturnReason,
    request: ReturnRequest,
    eligibility: Eligibility | None,
    locale: Locale,
    coupon: str,
) -> str:
    """Returns the plan put to the customer for a wrong-item or transit-damage return."""
    amount = eligibility.refundable_amount if eligibility else 0
    currency = eligibility.currency if eligibility else request.orders[0].currency
    return _PLANS[reason][locale].format(coupon=coupon, amount=amount, currency=currency)
