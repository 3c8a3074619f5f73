"""The customer's return page words the plan put to them and the policy's reasons in the
page's language, from the codes and amounts the return keeps; a plan kept as text (by a
return that proposed it before plans were data) is shown as it was written."""

from datetime import timedelta
from decimal import Decimal

from api.ids import new_return_id
from core.links import CaseKind, LinkPurpose
from domain.money import Money
from domain.playbook_plans import PlaybookPlan
from domain.return_reasons import EligibilityReason, EligibilityReasonCode, ReturnReason
from domain.returns import Eligibility, EligibilityDecision, ReturnStatus
from store.returns import project_return
from tests.api.support import Api
from tests.console.support import browser
from tests.customer.support import link_token
from tests.return_factories import REQUESTED_AT, make_return_projection, make_return_view

COUPON = PlaybookPlan(
    reason=ReturnReason.WRONG_ITEM, amount=Money(amount=Decimal("10.00"), currency="CNY")
)
# Food, which cannot be sent back unless it arrived wrong.
FOOD = EligibilityReason(
    code=EligibilityReasonCode.NOT_RETURNABLE,
    params={"line": "1", "order_id": "ord-7", "sku": "sku-tea", "category": "food"},
)


def _page(api: Api, **view: object) -> str:
    """Stores a return as `view` says; returns the path of its customer's page."""
    stored = make_return_view(return_id=new_return_id(), **view)
    with api.sessions() as session:
        project_return(session, projection=make_return_projection(stored))
    return f"/my/{link_token(api, CaseKind.RETURN, stored.return_id, LinkPurpose.CASE)}"


def _waiting_for_consent(plan: PlaybookPlan | str) -> dict[str, object]:
    return {
        "status": ReturnStatus.AWAITING_CONSENT,
        "plan": plan,
        "consent_due_at": REQUESTED_AT + timedelta(days=2),
    }


async def test_the_plan_is_worded_in_the_pages_language(api: Api) -> None:
    page = _page(api, **_waiting_for_consent(COUPON))

    async with browser(api) as client:
        english = await client.get(page, params={"lang": "en"})
        chinese = await client.get(page, params={"lang": "zh-CN"})

    assert english.status_code == 200, english.text
    assert "add an apology coupon worth CN¥10.00. If you would rather" in english.text
    assert 'value="accept"' in english.text
    assert chinese.status_code == 200, chinese.text
    assert "另附一张 ¥10.00 道歉优惠券。如您更希望退款，也可以拒绝此方案。" in chinese.text


async def test_a_plan_kept_as_text_is_shown_as_it_was_written(api: Api) -> None:
    written = "We are sorry we sent the wrong item. ... an apology coupon worth 10.00."
    page = _page(api, **_waiting_for_consent(written))

    async with browser(api) as client:
        chinese = await client.get(page, params={"lang": "zh-CN"})

    assert chinese.status_code == 200, chinese.text
    assert f'<p class="text">{written}</p>' in chinese.text


async def test_a_rejected_returns_reasons_are_worded_in_the_pages_language(api: Api) -> None:
    verdict = Eligibility(decision=EligibilityDecision.REJECTED, details=[FOOD])
    page = _page(api, status=ReturnStatus.REJECTED, eligibility=verdict)

    async with browser(api) as client:
        english = await client.get(page, params={"lang": "en"})
        chinese = await client.get(page, params={"lang": "zh-CN"})

    assert "Line 1 (order ord-7, SKU sku-tea): food items cannot be returned" in english.text
    assert "第1行（订单 ord-7 的商品 sku-tea）属于食品类商品" in chinese.text
