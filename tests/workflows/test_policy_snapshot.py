"""A complaint runs under the policy in force when it opened: changing a threshold or a
window later changes the path of complaints opened afterwards, never of one running."""

from decimal import Decimal

import pytest

from domain import policy
from domain.compensation import CompensationKind
from domain.complaints import ComplaintStatus
from domain.taxonomy import CustomerTier
from tests.workflows.conftest import Redress
from tests.workflows.helpers import intake, propose
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
