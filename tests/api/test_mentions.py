"""POST /mentions: a complaint opens one social complaint, however often it is reported;
anything else is recorded and opens nothing; bad input is a 422 naming the field."""

from typing import Any

import pytest
from sqlmodel import select

from domain.access import Role
from store.mentions import get_mention
from store.tables.idempotency import IdempotencyKey
from tests.api.mention_support import COMPLAINT, NOT_A_COMPLAINT, mention
from tests.api.support import Api


@pytest.mark.both_stores
async def test_a_complaint_opens_one_social_complaint_even_when_posted_twice(api: Api) -> None:
    body = mention(COMPLAINT)

    first = await api.http.post("/mentions", json=body)
    again = await api.http.post("/mentions", json=body)

    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    opened = first.json()
    assert opened["is_complaint"] is True
    assert opened["complaint_id"] and again.json()["complaint_id"] == opened["complaint_id"]
    assert first.headers["Location"] == f"/complaints/{opened['complaint_id']}"
    view = await api.wait_for_view(opened["complaint_id"], lambda view: True)
    assert view["intake"]["channel"] == "social"
    assert view["intake"]["evidence_urls"] == [body["link"]]
    with api.sessions() as session:
        stored = get_mention(session, mention_id=opened["mention_id"])
        assert stored is not None and stored.complaint_id == opened["complaint_id"]
        keys = session.exec(
            select(IdempotencyKey).where(IdempotencyKey.complaint_id == opened["complaint_id"])
        ).all()
        assert len(keys) == 1


@pytest.mark.both_stores
async def test_the_same_post_by_link_is_one_mention(api: Api) -> None:
    body = mention(COMPLAINT)
    del body["external_id"]

    first = await api.http.post("/mentions", json=body)
    trailing_slash = await api.http.post("/mentions", json=body | {"link": body["link"] + "/"})

    assert first.status_code == 201 and trailing_slash.status_code == 200
    assert trailing_slash.json()["mention_id"] == first.json()["mention_id"]
    assert trailing_slash.json()["complaint_id"] == first.json()["complaint_id"]


@pytest.mark.both_stores
async def test_a_mention_that_is_no_complaint_is_recorded_and_opens_nothing(api: Api) -> None:
    response = await api.http.post("/mentions", json=mention(NOT_A_COMPLAINT))

    assert response.status_code == 201, response.text
    outcome = response.json()
    assert outcome["is_complaint"] is False
    assert outcome["complaint_id"] is None and "Location" not in response.headers
    with api.sessions() as session:
        stored = get_mention(session, mention_id=outcome["mention_id"])
        assert stored is not None and not stored.is_complaint and stored.complaint_id is None
    listed = await api.http.get("/complaints", params={"customer_id": "twitter:lin_wei"})
    assert listed.status_code == 200 and listed.json()["total"] == 0


async def test_a_service_key_may_report_mentions(api: Api) -> None:
    async with api.client_as("listener", Role.SERVICE) as listener:
        response = await listener.post("/mentions", json=mention(NOT_A_COMPLAINT))

    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", ""),
        ("text", "x" * 5001),
        ("author_handle", "two words"),
        ("channel", "Not A Channel"),
        ("link", "javascript:alert(1)"),
        ("external_id", "has spaces"),
        ("likes", 3),
    ],
    ids=["empty-text", "long-text", "bad-handle", "bad-channel", "bad-link", "bad-id", "extra"],
)
async def test_bad_input_is_a_422_naming_the_field(api: Api, field: str, value: Any) -> None:
    response = await api.http.post("/mentions", json=mention(COMPLAINT) | {field: value})

    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["error"] == "validation_failed"
    assert [f["field"] for f in problem["fields"]] == [field]
