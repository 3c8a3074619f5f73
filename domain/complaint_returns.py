"""Turning a complaint's resolution into a return request."""

from domain.compensation import ReturnPlan
from domain.complaints import ComplaintView
from domain.returns import ReturnLine, ReturnOrder, ReturnReason, ReturnRequest
from domain.taxonomy import SubCategory

# What the complaint was about decides why the goods come back (and so who pays).
RETURN_REASON_BY_SUB_CATEGORY = {
    SubCategory.WRONG_ITEM: ReturnReason.WRONG_ITEM,
    SubCategory.DAMAGED_IN_TRANSIT: ReturnReason.DAMAGED_IN_TRANSIT,
    SubCategory.DEFECT: ReturnReason.DEFECTIVE,
    SubCategory.COUNTERFEIT: ReturnReason.NOT_AS_DESCRIBED,
    SubCategory.NOT_AS_DESCRIBED: ReturnReason.NOT_AS_DESCRIBED,
}


def return_id_for(complaint_id: str, resolution: int) -> str:
    """Returns the id of the return a complaint's resolution starts (stable across retries)."""
    return f"{complaint_id}-R{resolution}"


def return_request_for(view: ComplaintView, plan: ReturnPlan) -> ReturnRequest:
    """Returns the return request for the goods a complaint's resolution takes back."""
    order = view.intake.order
    assert order is not None, "checked when the resolution was proposed"
    sub_category = view.classification.sub_category if view.classification else None
    return ReturnRequest(
        customer=view.intake.customer,
        orders=[ReturnOrder.model_validate(order.model_dump())],
        lines=[
            ReturnLine(
                order_id=order.order_id,
                sku=line.sku,
                quantity=line.quantity,
                product_category=line.product_category,
                exchange_sku=line.exchange_sku,
            )
            for line in plan.lines
        ],
        reason=RETURN_REASON_BY_SUB_CATEGORY.get(sub_category, ReturnReason.CHANGED_MIND)
        if sub_category
        else ReturnReason.CHANGED_MIND,
        description=view.intake.description,
        evidence_urls=view.intake.evidence_urls,
        preferred_outcome=plan.outcome,
        complaint_id=view.complaint_id,
    )
