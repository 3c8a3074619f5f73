"""A complaint or a return runs under the policy in force when it opened: changing a
threshold or a window later changes the path of cases opened afterwards, never of one
running."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain import policy
from domain import return_policy as rp
from domain.compensation import CompensationKind
from domain.complaints import ComplaintStatus
from domain.taxonomy import CustomerTier
from tests.workflows.conftest import Redress
from tests.workflows.helpers import intake, propose
from tests.workflows.test_return_workflow import return_request, start_return, until
from workflows.complaints import ComplaintWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
AGENT = "agent-quality-1"


async def test_a_lower_approval_threshold_applies_to_complaints_opened_after_it(
    redress: Redress, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_before = await redress.start(intake(KETTLE))
    await redress.until_status(opened_before, ComplaintStatus.OPEN)

    lowered = policy.APPROVAL_THRESHOLD | {CustomerTier.REGULAR: Decimal("10")}
    monkeypatch.setattr(policy, "APPROVAL_THRESHOLD", lowered)
    opened_after = await redress.start(intake(KETTLE))
    await redress.until_status(opened_after, ComplaintStatus.OPEN)

    refund = propose(AGENT, (CompensationKind.REFUND, "60.00"))
    before = await opened_before.execute_update(ComplaintWorkflow.act, refund)
    after = await opened_after.execute_update(ComplaintWorkflow.act, refund)

    assert before.status is ComplaintStatus.RESOLVING, "60 is within the policy it opened under"
    assert after.status is ComplaintStatus.AWAITING_APPROVAL
    first = await opened_before.result()
    assert first.status is ComplaintStatus.CLOSED


async def test_a_shorter_shipping_window_applies_to_returns_opened_after_it(
    redress: Redress, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_before = await start_return(redress, return_request())
    labelled_before = await until(redress, opened_before, lambda v: v.ship_by, "a label")

    shorter = rp.RETURN_SHIPPING.model_copy(update={"ship_within": timedelta(days=1)})
    monkeypatch.setattr(rp, "RETURN_SHIPPING", shorter)
    opened_after = await start_return(redress, return_request())
    labelled_after = await until(redress, opened_after, lambda v: v.ship_by, "a label")

    assert labelled_before.ship_by and labelled_after.ship_by
    assert labelled_before.ship_by - labelled_before.created_at >= timedelta(days=7)
    assert labelled_after.ship_by - labelled_after.created_at < timedelta(days=2)
