"""Cases take the policy's newest version when they open and keep it, through the API and
real workflows on the dev server: a complaint opened after an admin shortened its tier's
first response gets the new SLA target while one opened before keeps the old one, and a
return opened after the apparel window grew is judged by the longer window; each case's
view names the version it runs under."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.policy_document import shipped_policy
from store.complaints import get_complaint
from tests.api.returns_support import create_return, return_request, wait_for_return
from tests.api.support import Api, intake

SHORTER_BY = timedelta(hours=1)


def opened(view: dict[str, Any]) -> bool:
    return view["status"] == "open" and view["first_response"] is not None


def apparel_delivered(days_ago: int) -> dict[str, Any]:
    body = return_request()
    delivered = datetime.now(UTC) - timedelta(days=days_ago)
    body["orders"][0]["delivered_at"] = delivered.isoformat()
    return body


async def open_complaint(api: Api) -> dict[str, Any]:
    created = await api.create(intake())
    assert created.status_code == 201, created.text
    return await api.wait_for_view(created.json()["complaint_id"], opened)


async def open_return(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    created = await create_return(api, body)
    assert created.status_code == 201, created.text
    return await wait_for_return(
        api, created.json()["return_id"], lambda view: view["eligibility"] is not None
    )


@pytest.mark.both_stores
async def test_cases_opened_after_a_change_take_it_and_earlier_ones_keep_theirs(
    store: str, api: Api
) -> None:
    before = await open_complaint(api)
    late_return_before = await open_return(api, apparel_delivered(days_ago=20))
    tier = before["classification"]["tier"]
    target = shipped_policy().complaints.sla[tier].first_response
    document = shipped_policy()
    document.complaints.sla[tier].first_response = target - SHORTER_BY
    document.returns.windows.days_by_category["apparel"] = 30
    changed = await api.http.put(
        "/policies",
        json={"document": document.model_dump(mode="json"), "reason": "faster, longer"},
        headers={"Idempotency-Key": "faster-and-longer"},
    )
    assert changed.status_code == 201, changed.text

    after = await open_complaint(api)
    late_return_after = await open_return(api, apparel_delivered(days_ago=20))
    before_now = (await api.http.get(f"/complaints/{before['complaint_id']}")).json()

    assert after["classification"]["tier"] == tier
    assert before_now["first_response"]["budget_seconds"] == target.total_seconds()
    assert after["first_response"]["budget_seconds"] == (target - SHORTER_BY).total_seconds()
    assert (before_now["policy_version"], after["policy_version"]) == (1, 2)
    assert late_return_before["eligibility"]["decision"] == "rejected"
    assert late_return_before["policy_version"] == 1
    assert late_return_after["eligibility"]["decision"] == "approved"
    assert late_return_after["policy_version"] == 2
    # The read model keeps the version with the case's view.
    with api.sessions() as session:
        record = get_complaint(session, complaint_id=after["complaint_id"])
    assert record is not None and record.as_view().policy_version == 2
