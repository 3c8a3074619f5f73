"""Goods in a resolution proposed from the complaint page, over the real workflow: a
replacement of an order item shipped by the saga, goods taken back by the complaint's own
return (shown on its page), refusals naming the item and field with nothing sent, and
another agent's complaint refused."""

import json
from typing import Any

from domain.access import Role
from tests.api.support import Api, eventually
from tests.console.goods_support import ITEMS, replacement_orders, with_items
from tests.console.support import csrf_token, signed_in
from tests.console.workspace_support import form_fields, heard, open_complaint, send_form

# Every order item of the page's form, in its order: a quantity to send again each.
NOTHING_SENT = {"replace_sku": ["BLEND-200", "LID-01"], "replace_quantity": ["", ""]}
NOTHING_BACK = {
    "return_sku": ["BLEND-200", "LID-01"],
    "return_quantity": ["", ""],
    "exchange_sku": ["", ""],
    "return_outcome": "refund",
}
CLOSING = {"root_cause": "supplier_defect", "final": "true", "intent": "send"}


async def test_a_replacement_of_an_order_item_is_shipped_by_the_saga(api: Api) -> None:
    complaint = await open_complaint(api, order=with_items(ITEMS))
    replace = {"replace_sku": ["BLEND-200", "LID-01"], "replace_quantity": ["1", "0"]}

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        page = await agent.get(complaint.page)
        checked = await send_form(
            agent, complaint, "resolution", replace | NOTHING_BACK | {"intent": "check"}
        )
        sent = await send_form(
            agent,
            complaint,
            "resolution",
            replace | NOTHING_BACK | CLOSING | {"message": "A new blender is on its way."},
        )
        assert sent.status_code == 303, sent.text
        view = await api.wait_for_view(
            complaint.complaint_id, lambda view: view["status"] == "closed"
        )
        after = await agent.get(complaint.page)

    # The form lists the order's items: SKU, name and how many were bought.
    assert '<tr data-sku="BLEND-200">' in page.text and "Spare lid" in page.text
    assert 'id="replace-quantity-1" name="replace_quantity"' in page.text
    assert 'id="return-quantity-0" name="return_quantity"' in page.text
    assert checked.status_code == 200 and 'data-needs-approval="false"' in checked.text
    assert 'data-refused="true"' not in checked.text
    steps = view["compensations"]
    assert [step["kind"] for step in steps] == ["replacement"], steps
    assert view["close_reason"] == "resolved" and view["root_cause"] == "supplier_defect"
    [shipped] = replacement_orders(api, complaint.complaint_id)
    assert json.loads(shipped.items_json) == [{"sku": "BLEND-200", "quantity": 1}]
    assert shipped.reference == steps[0]["reference"] and shipped.order_id == "ord-goods-1"
    assert f"Replacement {shipped.reference}" in after.text


async def test_taking_goods_back_starts_the_complaints_return(api: Api) -> None:
    complaint = await open_complaint(api, order=with_items(ITEMS))
    take_back = {
        "return_sku": ["BLEND-200", "LID-01"],
        "return_quantity": ["1", ""],
        "exchange_sku": ["BLEND-200-RED", ""],
        "return_outcome": "exchange",
    }

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        sent = await send_form(
            agent,
            complaint,
            "resolution",
            NOTHING_SENT | take_back | CLOSING | {"message": "Send it back: a red one follows."},
        )
        assert sent.status_code == 303, sent.text
        view = await api.wait_for_view(complaint.complaint_id, lambda view: view["return_ids"])
        agents_page = await agent.get(complaint.page)
    async with signed_in(api, "sup-goods", Role.SUPERVISOR, locale="zh-CN") as supervisor:
        supervisors_page = await supervisor.get(complaint.page)
        return_page = await supervisor.get(f"/console/returns/{view['return_ids'][0]}")

    [return_id] = view["return_ids"]
    returned = await eventually(lambda: _return_view(api, return_id))
    assert returned["request"]["complaint_id"] == complaint.complaint_id
    assert returned["request"]["preferred_outcome"] == "exchange"
    lines = [
        (line["sku"], line["quantity"], line["exchange_sku"])
        for line in returned["request"]["lines"]
    ]
    assert lines == [("BLEND-200", 1, "BLEND-200-RED")]
    # The complaint waits for its return; its page names the return (a link for those who
    # work returns, in their language).
    assert view["status"] != "closed"
    assert f'<span data-return="{return_id}">{return_id}</span>' in agents_page.text
    assert f'href="/console/returns/{return_id}" data-return="{return_id}"' in (
        supervisors_page.text
    )
    assert "退货" in supervisors_page.text
    # The return a complaint started is read like any other, in the console and the API.
    assert return_page.status_code == 200 and "BLEND-200-RED" in return_page.text
    assert 'data-kind="return_started"' in agents_page.text


async def _return_view(api: Api, return_id: str) -> dict[str, Any] | None:
    response = await api.http.get(f"/returns/{return_id}")
    return response.json() if response.status_code == 200 else None


async def test_refused_goods_name_the_field_and_the_workflow_hears_nothing(api: Api) -> None:
    many = ITEMS + [{"sku": f"PART-{n:02d}", "price": "1.00", "quantity": 1} for n in range(1, 20)]
    complaint = await open_complaint(api, order=with_items(many))
    skus = [item["sku"] for item in many]
    proposal = CLOSING | {"message": "Here is what we will do."}

    def sending(quantities: list[str]) -> dict[str, Any]:
        return {"replace_sku": skus, "replace_quantity": quantities}

    one_each = ["1"] * len(skus)
    before = await heard(api, complaint.complaint_id)
    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        over = await send_form(
            agent, complaint, "resolution", sending(["3"] + [""] * 20) | proposal
        )
        not_a_number = await send_form(
            agent, complaint, "resolution", sending(["", "one"] + [""] * 19) | proposal
        )
        unknown = await send_form(
            agent,
            complaint,
            "resolution",
            {"replace_sku": ["KETTLE-9"], "replace_quantity": ["1"]} | proposal,
        )
        too_many = await send_form(agent, complaint, "resolution", sending(one_each) | proposal)
        back_over = await send_form(
            agent,
            complaint,
            "resolution",
            {"return_sku": ["LID-01"], "return_quantity": ["2"], "exchange_sku": [""]} | proposal,
        )
        not_final = await send_form(
            agent,
            complaint,
            "resolution",
            {"return_sku": ["LID-01"], "return_quantity": ["1"], "exchange_sku": [""]}
            | proposal
            | {"final": ""},
        )
        stray_exchange = await send_form(
            agent,
            complaint,
            "resolution",
            {"return_sku": ["LID-01"], "return_quantity": ["1"], "exchange_sku": ["LID-02"]}
            | proposal
            | {"return_outcome": "refund"},
        )
        check = await agent.get(
            f"{complaint.page}/resolution-check",
            params={"replace_sku": "BLEND-200", "replace_quantity": "5"},
        )
        # The page in Chinese (the choice is remembered), refusing in Chinese.
        await agent.get(complaint.page, params={"lang": "zh-CN"})
        over_zh = await send_form(
            agent, complaint, "resolution", sending(["3"] + [""] * 20) | proposal
        )

    assert over.status_code == 422 and 'data-field="replace-quantity-0"' in over.text
    assert "Replacement of BLEND-200: the quantity must be a whole number from 1 to 2." in (
        over.text
    )
    assert 'id="replace-quantity-0" name="replace_quantity"' in over.text
    marked = 'value="3" aria-describedby="replace-hint" aria-invalid="true"'
    assert marked in over.text, "the field is marked and keeps what was typed"
    assert "Here is what we will do." in over.text
    assert not_a_number.status_code == 422 and 'data-field="replace-quantity-1"' in (
        not_a_number.text
    )
    assert unknown.status_code == 422 and "KETTLE-9 is not an item of order ord-goods-1" in (
        unknown.text
    )
    assert too_many.status_code == 422 and 'data-problem="replace_too_many"' in too_many.text
    assert "at most 20 different items" in too_many.text
    assert back_over.status_code == 422 and "Take back LID-01: the quantity must be" in (
        back_over.text
    )
    assert not_final.status_code == 422 and 'data-field="propose-final"' in not_final.text
    assert stray_exchange.status_code == 422 and 'data-field="exchange-sku-0"' in (
        stray_exchange.text
    )
    assert check.status_code == 200 and 'data-problem="replace_quantity_invalid"' in check.text
    assert over_zh.status_code == 422 and "补发 BLEND-200：数量须为 1 到 2 的整数。" in over_zh.text
    assert await heard(api, complaint.complaint_id) == before
    assert replacement_orders(api, complaint.complaint_id) == []


async def test_another_agents_complaint_is_refused(api: Api) -> None:
    complaint = await open_complaint(api, order=with_items(ITEMS))
    before = await heard(api, complaint.complaint_id)

    async with signed_in(api, complaint.agent, Role.AGENT) as owner:
        page = await owner.get(complaint.page)
    async with signed_in(api, "agent-someone-else", Role.AGENT) as other:
        shown = await other.get(complaint.page)
        hidden = form_fields(page.text, f"{complaint.page}/resolution")
        sent = await other.post(
            f"{complaint.page}/resolution",
            data=hidden
            | {"csrf_token": csrf_token(shown.text)}
            | {"replace_sku": ["BLEND-200"], "replace_quantity": ["1"]}
            | CLOSING
            | {"message": "Not mine to send."},
        )
        check = await other.get(
            f"{complaint.page}/resolution-check",
            params={"replace_sku": "BLEND-200", "replace_quantity": "1"},
        )

    assert sent.status_code == 403 and "assigned to another agent" in sent.text
    assert check.status_code == 403
    assert await heard(api, complaint.complaint_id) == before
    assert replacement_orders(api, complaint.complaint_id) == []


async def test_an_order_without_item_lines_takes_skus_typed_in(api: Api) -> None:
    complaint = await open_complaint(api, order=with_items([]))
    typed = {"replace_sku": ["KETTLE-1", ""], "replace_quantity": ["2", ""]}

    async with signed_in(api, complaint.agent, Role.AGENT) as agent:
        page = await agent.get(complaint.page)
        no_quantity = await send_form(
            agent,
            complaint,
            "resolution",
            {"replace_sku": ["KETTLE-1"], "replace_quantity": [""]} | CLOSING | {"message": "x"},
        )
        sent = await send_form(
            agent, complaint, "resolution", typed | CLOSING | {"message": "A kettle follows."}
        )
        assert sent.status_code == 303, sent.text
    await api.wait_for_view(complaint.complaint_id, lambda view: view["status"] == "closed")

    assert 'id="replace-sku-0" name="replace_sku"' in page.text
    assert "The order lists no items, so none can be taken back." in page.text
    assert 'name="return_quantity"' not in page.text
    assert no_quantity.status_code == 422 and 'data-field="replace-quantity-0"' in (
        no_quantity.text
    )
    assert "Replacement of KETTLE-1: the quantity must be a whole number from 1 to 100." in (
        no_quantity.text
    )
    [shipped] = replacement_orders(api, complaint.complaint_id)
    assert json.loads(shipped.items_json) == [{"sku": "KETTLE-1", "quantity": 2}]
