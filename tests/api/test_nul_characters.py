"""A NUL character (U+0000) in any text is a 422 naming where it is, on every store.

PostgreSQL cannot keep text that holds one: accepted, it failed every write of the read
model afterwards (and a filter holding one was a 500). Schemathesis found both.
"""

import pytest
from sqlmodel import select

from store.tables.webhooks import ReceivedCourierEvent
from tests.api.returns_support import create_return, post_courier_event, return_request
from tests.api.support import Api, intake

# PostgreSQL refuses NUL in text where SQLite keeps it: each store must be spared one.
pytestmark = pytest.mark.both_stores

NUL = "\x00"


async def test_a_nul_in_a_body_is_422_naming_the_field(api: Api) -> None:
    body = intake(description=f"broken{NUL}blender")
    body["customer"]["name"] = f"Lin{NUL}"

    response = await api.create(body)

    assert response.status_code == 422, response.text
    fields = {f["field"]: f["problem"] for f in response.json()["fields"]}
    assert set(fields) == {"description", "customer.name"}
    assert all("NUL" in problem for problem in fields.values())


async def test_a_nul_in_a_return_or_a_courier_event_is_422(api: Api) -> None:
    opened = await create_return(api, return_request(description=f"too{NUL}small"))
    event = {
        "event_id": f"EVT{NUL}1",
        "parcel_id": "PCL-1",
        "tracking_number": "SBX000000001",
        "status": "picked_up",
        "at": "2026-05-04T09:00:00Z",
    }
    tracked = await post_courier_event(api, event)

    assert opened.status_code == 422, opened.text
    assert [f["field"] for f in opened.json()["fields"]] == ["description"]
    assert tracked.status_code == 422, tracked.text
    assert [f["field"] for f in tracked.json()["fields"]] == ["event_id"]
    with api.sessions() as session:
        assert session.exec(select(ReceivedCourierEvent)).all() == []


async def test_a_nul_in_a_filter_or_an_idempotency_key_is_422(api: Api) -> None:
    listed = await api.http.get("/complaints", params={"customer_id": f"cust{NUL}", "limit": 5})
    keyed = await api.create(intake(), key=f"key{NUL}")

    assert listed.status_code == 422, listed.text
    assert [f["field"] for f in listed.json()["fields"]] == ["customer_id"]
    assert keyed.status_code == 422, keyed.text
    assert [f["field"] for f in keyed.json()["fields"]] == ["Idempotency-Key"]
