"""The rules the console's workspace shows before it sends: which action a status allows
(the table the page reads agrees with the workflow's check), the policy's answer to a
proposal, the root-cause rule, and what of a note leaves the staff's side."""

from decimal import Decimal

import pytest

from domain.case_event_payloads import complaint_case_events
from domain.compensation import Compensation, CompensationKind, ResolutionProposal
from domain.complaint_rules import (
    ALLOWED_WHILE,
    ActionNotAllowed,
    InvalidAction,
    check_agent_action,
    missing_root_cause,
)
from domain.complaints import (
    AgentAction,
    AgentActionBody,
    AssignAction,
    ComplaintStatus,
    NoteAction,
    ProposeResolutionAction,
    ReclassifyAction,
    ReplyAction,
    RequestInfoAction,
    TimelineEvent,
    TimelineKind,
)
from domain.internal_notes import customer_copy
from domain.policy import complaint_policy
from domain.resolution_preview import preview_resolution
from domain.taxonomy import CustomerTier, EscalationLevel, RootCause, SubCategory, Tier
from tests.factories import OPENED_AT, make_customer, make_intake, make_view

COUPON = ResolutionProposal(
    compensations=[Compensation(kind=CompensationKind.COUPON, amount=Decimal("20"))],
    message="Sorry.",
    root_cause=RootCause.SUPPLIER_DEFECT,
)
ACTIONS: list[AgentActionBody] = [
    ReplyAction(message="Sorry."),
    NoteAction(text="Called the warehouse."),
    AssignAction(agent_id="agent-quality-2"),
    ReclassifyAction(sub_category=SubCategory.LATE_DELIVERY, tier=Tier.GENERAL, reason="Late."),
    RequestInfoAction(question="A photo?"),
    ProposeResolutionAction(proposal=COUPON),
]


@pytest.mark.parametrize("status", list(ComplaintStatus))
@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.type)
def test_the_statuses_the_page_offers_are_those_the_workflow_takes(
    status: ComplaintStatus, action: AgentActionBody
) -> None:
    view = make_view(status=status)
    request = AgentAction(actor="agent-quality-1", action=action)
    try:
        check_agent_action(view, request)
        taken = True
    except ActionNotAllowed:
        taken = False
    assert taken is (status in ALLOWED_WHILE[action.type])


def test_moving_to_the_team_that_has_it_must_name_an_agent() -> None:
    view = make_view()
    with pytest.raises(InvalidAction, match="already with team quality"):
        check_agent_action(view, AgentAction(actor="sup", action=AssignAction(team="quality")))
    check_agent_action(view, AgentAction(actor="sup", action=AssignAction(team="logistics")))
    with pytest.raises(ValueError, match="agent_id, the team, or both"):
        AssignAction()


@pytest.mark.parametrize(
    ("amount", "customer_tier", "tier", "approver"),
    [
        ("20", CustomerTier.REGULAR, Tier.GENERAL, None),
        ("200", CustomerTier.REGULAR, Tier.GENERAL, None),
        ("200.01", CustomerTier.REGULAR, Tier.GENERAL, "supervisor-quality"),
        ("450", CustomerTier.VIP, Tier.GENERAL, None),
        ("1", CustomerTier.NEW, Tier.CRITICAL, "supervisor-quality"),
    ],
)
def test_the_policy_answers_as_the_workflow_decides(
    amount: str, customer_tier: CustomerTier, tier: Tier, approver: str | None
) -> None:
    view = make_view(intake=make_intake(customer=make_customer(tier=customer_tier)))
    view.classification = view.classification.model_copy(update={"tier": tier})  # type: ignore[union-attr]
    proposal = ResolutionProposal(
        compensations=[Compensation(kind=CompensationKind.REFUND, amount=Decimal(amount))],
        message="-",
    )

    preview = preview_resolution(complaint_policy(), view, proposal)

    assert preview.refusal is None
    assert preview.total == Decimal(amount) and preview.currency == "CNY"
    assert preview.approver == approver
    assert preview.approver_level is (EscalationLevel.SUPERVISOR if approver else None)
    assert preview.threshold == complaint_policy().approval_threshold[customer_tier]


def test_the_policy_answer_carries_the_workflows_refusal_and_the_team_mailbox() -> None:
    view = make_view(routing=None)
    too_much = ResolutionProposal(
        compensations=[Compensation(kind=CompensationKind.REFUND, amount=Decimal("1400"))],
        message="-",
    )

    preview = preview_resolution(complaint_policy(), view, too_much)

    assert preview.refusal is not None and "1388.00 CNY was paid" in preview.refusal
    assert preview.approver == "team:unrouted:supervisor"


def test_a_final_resolution_must_name_its_root_cause() -> None:
    without = COUPON.model_copy(update={"root_cause": None})
    assert missing_root_cause(ProposeResolutionAction(proposal=without))
    assert not missing_root_cause(ProposeResolutionAction(proposal=COUPON))
    partial = without.model_copy(update={"final": False})
    assert not missing_root_cause(ProposeResolutionAction(proposal=partial))
    assert not missing_root_cause(ReplyAction(message="Sorry."))


def test_a_note_stays_on_the_staffs_side() -> None:
    view = make_view()
    note = TimelineEvent(
        seq=4, at=OPENED_AT, kind=TimelineKind.NOTED, actor="agent-quality-1", detail="VIP!"
    )
    reply = TimelineEvent(seq=5, at=OPENED_AT, kind=TimelineKind.REPLIED, actor="a", detail="Hi")
    view.timeline += [note, reply]
    view.timeline_total = 5

    shown = customer_copy(view)

    assert [event.kind for event in shown.timeline][-1:] == [TimelineKind.REPLIED]
    assert TimelineKind.NOTED not in {event.kind for event in shown.timeline}
    assert shown.timeline_total == 4 and view.timeline_total == 5, "the staff's view is kept"
    assert complaint_case_events(view, [note]) == [], "platforms are not told of notes"
    assert customer_copy(make_view()).timeline_total == 3
