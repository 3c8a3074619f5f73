"""What a case says it waits for, and until when, in the Temporal UI's current details."""

from datetime import UTC, datetime

from domain.complaints import ApprovalRequest, ComplaintStatus
from domain.policy import complaint_policy
from domain.return_policy import return_case_policy
from domain.returns import ReturnStatus
from domain.taxonomy import EscalationLevel
from tests.factories import make_view
from tests.return_factories import make_return_view
from workflows.complaint_file import ComplaintFile
from workflows.return_file import ReturnFile

DUE = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


def test_an_open_complaint_waits_for_its_agent_until_its_next_deadline() -> None:
    file = ComplaintFile(make_view(assignee="agent-quality-2"), complaint_policy())
    assert file.waiting_on(DUE) == (
        "open: waiting for agent-quality-2 (agent); next deadline 2026-12-08 10:00 UTC"
    )


def test_a_complaint_awaiting_approval_names_the_approvers_level() -> None:
    view = make_view(status=ComplaintStatus.AWAITING_APPROVAL, needs_person=True)
    view.approval = ApprovalRequest.model_construct(level=EscalationLevel.MANAGER)
    details = ComplaintFile(view, complaint_policy()).waiting_on(None)
    assert details == "awaiting_approval: waiting for approval by the manager; needs a person"


def test_a_return_waits_for_the_stage_it_is_in() -> None:
    policy = return_case_policy()
    inspecting = make_return_view(
        status=ReturnStatus.AWAITING_INSPECTION, inspection_due_at=DUE, overdue=True
    )
    assert ReturnFile(inspecting, policy).waiting_on() == (
        "awaiting_inspection: waiting for the warehouse's inspection; overdue; "
        "due 2026-12-08 10:00 UTC"
    )
    stuck = make_return_view(status=ReturnStatus.SETTLING, needs_person=True)
    assert ReturnFile(stuck, policy).waiting_on() == (
        "settling: waiting for a person to retry the settlement"
    )
    closed = make_return_view(status=ReturnStatus.COMPLETED)
    assert ReturnFile(closed, policy).waiting_on() == "completed: waiting for nothing: closed"
