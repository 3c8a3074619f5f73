"""A return's console page words the policy's reasons and the plan put to the customer in
the reader's language, from the codes and amounts the return keeps; a plan a return kept
as text (proposed before plans were data) is shown as it was written."""

from datetime import timedelta
from decimal import Decimal

from api.ids import new_return_id
from domain.access import Role
from domain.money import Money
from domain.playbook_plans import PlaybookPlan
from domain.return_reasons import EligibilityReason, EligibilityReasonCode, ReturnReason
from domain.returns import (
    ConsentDecision,
    Eligibility,
    EligibilityDecision,
    ReturnStatus,
    ReturnView,
)
from store.returns import project_return
from tests.api.support import Api
from tests.console.support import signed_in
from tests.return_factories import REQUESTED_AT, make_return_projection, make_return_view

SUPERVISOR = "sup-return-plans"
# Photos missing for a transit-damage claim, and more than the policy approves alone.
REVIEWED = Eligibility(
    decision=EligibilityDecision.MANUAL_REVIEW,
    refundable_amount=Decimal("4999.00"),
    details=[
        EligibilityReason(
            code=EligibilityReasonCode.HIGH_VALUE,
            params={"amount": "4999.00", "currency": "CNY", "limit": "3000.00"},
        ),
        EligibilityReason(
            code=EligibilityReasonCode.EVIDENCE_MISSING,
            params={"reason": ReturnReason.DAMAGED_IN_TRANSIT.value},
        ),
    ],
)


def _stored(api: Api, plan: PlaybookPlan | str) -> str:
    """Stores a transit-damage return whose plan the customer accepted; returns its id."""
    view: ReturnView = make_return_view(
        return_id=new_return_id(),
        status=ReturnStatus.AWAITING_SHIPMENT,
        eligibility=REVIEWED,
        plan=plan,
        consent=ConsentDecision(accepted=True),
        consent_due_at=REQUESTED_AT + timedelta(days=2),
    )
    with api.sessions() as session:
        project_return(session, projection=make_return_projection(view))
    return view.return_id


async def test_the_plan_and_reasons_are_worded_in_the_readers_language(api: Api) -> None:
    plan = PlaybookPlan(
        reason=ReturnReason.DAMAGED_IN_TRANSIT,
        amount=Money(amount=Decimal("4999.00"), currency="CNY"),
    )
    return_id = _stored(api, plan)

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        english = await supervisor.get(f"/console/returns/{return_id}")
        chinese = await supervisor.get(f"/console/returns/{return_id}", params={"lang": "zh-CN"})

    assert english.status_code == 200, english.text
    assert "compensate you CN¥4,999.00 as you chose" in english.text
    assert "above the auto-approval limit of CN¥3,000.00." in english.text
    assert "The reason &#34;damaged_in_transit&#34; needs photos or video" in english.text
    assert chinese.status_code == 200, chinese.text
    assert "并按您的选择补偿 ¥4,999.00；运输损失由我们向承运商索赔。" in chinese.text
    assert "可退金额 ¥4,999.00 超过自动审批上限 ¥3,000.00" in chinese.text
    assert "以“运输途中损坏”为由退货需要提供照片或视频" in chinese.text


async def test_a_plan_kept_as_text_is_shown_as_it_was_written(api: Api) -> None:
    # As a return that proposed its plan before plans were data keeps it.
    written = "很抱歉商品在运输途中受损。我们将免费取回受损商品，并按您的选择补偿 4999.00 CNY。"
    return_id = _stored(api, written)

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        english = await supervisor.get(f"/console/returns/{return_id}")

    assert english.status_code == 200, english.text
    assert f'<p class="message">{written}</p>' in english.text
