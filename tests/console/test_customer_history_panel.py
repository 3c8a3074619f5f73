"""The customer panel on a complaint's page: the agent sees the customer's other cases
with a link to each, and what they were given back, in their own language."""

import uuid

from domain.access import Role
from tests.api.support import Api, intake
from tests.console.support import signed_in


async def test_the_page_lists_the_customers_other_complaints_with_links(api: Api) -> None:
    customer_id = f"cust-{uuid.uuid4().hex[:10]}"
    earlier = (await api.create(intake(customer_id))).json()["complaint_id"]
    await api.wait_for_view(earlier, lambda view: view["status"] == "open")
    shown = (
        await api.create(intake(customer_id, description="The lid of the blender cracked."))
    ).json()["complaint_id"]
    await api.wait_for_view(shown, lambda view: view["status"] == "open")
    stranger = (await api.create(intake())).json()["complaint_id"]

    async with signed_in(api, "sup-panel", Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(f"/console/complaints/{shown}")
        chinese = await supervisor.get(f"/console/complaints/{shown}", params={"lang": "zh-CN"})

    assert page.status_code == 200
    panel = page.text[page.text.index('class="card customer-history"') :]
    assert f"The customer: {customer_id}" in panel
    assert "Other complaints (1)" in panel
    assert f'<a href="/console/complaints/{earlier}">{earlier}</a>' in panel
    assert f'data-case="{shown}"' not in panel, "the complaint shown is not its own history"
    assert stranger not in panel
    assert "No return." in panel and "No survey answered." in panel
    assert "Nothing refunded or compensated in the last 12 months." in panel
    assert "其他投诉（1）" in chinese.text and "没有退货。" in chinese.text


async def test_a_refund_shows_in_what_the_customer_was_given_back(api: Api) -> None:
    customer_id = f"cust-{uuid.uuid4().hex[:10]}"
    refunded = (await api.create(intake(customer_id))).json()["complaint_id"]
    await api.wait_for_view(refunded, lambda view: view["status"] == "open")
    proposal = {
        "compensations": [{"kind": "refund", "amount": "20.00"}],
        "message": "We refund part of the price.",
        "root_cause": "supplier_defect",
    }
    action = {"action": {"type": "propose_resolution", "proposal": proposal}}
    answered = await api.http.post(f"/complaints/{refunded}/actions", json=action)
    assert answered.status_code == 200, answered.text
    await api.wait_for_view(refunded, lambda view: view["status"] == "closed")
    shown = (await api.create(intake(customer_id))).json()["complaint_id"]
    await api.wait_for_view(shown, lambda view: view["status"] == "open")

    async with signed_in(api, "sup-given", Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(f"/console/complaints/{shown}")

    panel = page.text[page.text.index('class="card customer-history"') :]
    assert 'data-currency="CNY"' in panel
    assert '<li data-currency="CNY">Refunded CN¥20.00</li>' in panel
