"""Staff and customer actions carry an `Idempotency-Key`: a retry after a lost response
(the same key again) returns the first answer and changes nothing, so the customer gets
one reply, not two; new keys are new actions."""

import asyncio
from typing import Any

import httpx
import pytest
from sqlmodel import col, func, select

from store.tables.outbox import OutboxMessage
from tests.api.returns_support import open_return, return_request, wait_for_status
from tests.api.support import Api, eventually, intake


async def _open_complaint(api: Api) -> str:
    complaint_id: str = (await api.create(intake())).json()["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    return complaint_id


async def _reply(api: Api, complaint_id: str, message: str, key: str) -> httpx.Response:
    return await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json={"action": {"type": "reply", "message": message}},
        headers={"Idempotency-Key": key},
    )


def _replies(view: dict[str, Any]) -> list[str]:
    return [event["detail"] for event in view["timeline"] if event["kind"] == "replied"]


async def _sent_replies(api: Api, complaint_id: str, expected: int) -> int:
    """Returns how many replies went out to the customer, once `expected` have."""

    async def count() -> int | None:
        with api.sessions() as session:
            sent = session.exec(
                select(func.count()).where(
                    col(OutboxMessage.complaint_id) == complaint_id,
                    col(OutboxMessage.template) == "agent_reply",
                )
            ).one()
        return sent if sent >= expected else None

    return await eventually(count)


@pytest.mark.both_stores
async def test_a_reply_retried_with_its_key_reaches_the_customer_once(api: Api) -> None:
    complaint_id = await _open_complaint(api)

    first = await _reply(api, complaint_id, "Sorry, checking now.", key="reply-1")
    retried = await _reply(api, complaint_id, "Sorry, checking now.", key="reply-1")
    # Two at once, as a client that timed out and retried while the first still ran.
    racing = await asyncio.gather(
        *(_reply(api, complaint_id, "A photo would help.", key="reply-2") for _ in range(2))
    )

    assert first.status_code == 200, first.text
    assert retried.status_code == 200, retried.text
    assert retried.json() == first.json()
    assert [answer.status_code for answer in racing] == [200, 200]
    assert racing[0].json() == racing[1].json()
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert _replies(view) == ["Sorry, checking now.", "A photo would help."]
    # Messages go out in order: once the second reply's is there, a duplicate of the
    # first would be too.
    assert await _sent_replies(api, complaint_id, expected=2) == 2


async def test_new_keys_are_new_replies(api: Api) -> None:
    complaint_id = await _open_complaint(api)

    one = await _reply(api, complaint_id, "Checking now.", key="reply-a")
    two = await _reply(api, complaint_id, "Checking now.", key="reply-b")
    # One key on another route, or from another caller, is another action too.
    message = await api.http.post(
        f"/complaints/{complaint_id}/messages",
        json={"message": "Thanks."},
        headers={"Idempotency-Key": "reply-a"},
    )

    assert (one.status_code, two.status_code, message.status_code) == (200, 200, 200)
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert _replies(view) == ["Checking now.", "Checking now."]
    assert [e["kind"] for e in view["timeline"]].count("customer_replied") == 1
    assert await _sent_replies(api, complaint_id, expected=2) == 2


async def test_a_retry_after_the_case_closed_still_gets_the_first_answer(api: Api) -> None:
    complaint_id = await _open_complaint(api)
    coupon = {
        "compensations": [{"kind": "coupon", "amount": "20.00"}],
        "message": "Here is a 20.00 coupon for the trouble.",
        "root_cause": "supplier_defect",
    }
    body = {"action": {"type": "propose_resolution", "proposal": coupon}}
    headers = {"Idempotency-Key": "resolve-1"}

    first = await api.http.post(f"/complaints/{complaint_id}/actions", json=body, headers=headers)
    closed = await api.wait_for_view(complaint_id, lambda view: view["status"] == "closed")
    retried = await api.http.post(f"/complaints/{complaint_id}/actions", json=body, headers=headers)

    assert first.status_code == 200, first.text
    assert retried.status_code == 200, retried.text
    assert retried.json() == first.json()
    assert [c["kind"] for c in closed["compensations"]] == ["coupon"]


async def test_a_review_retried_with_its_key_gets_its_first_answer(api: Api) -> None:
    # A defect without photos goes to a person.
    return_id = await open_return(api, return_request(reason="defective"))
    await wait_for_status(api, return_id, "under_review")
    review = {"approved": True, "reason": "photos by email"}
    headers = {"Idempotency-Key": "review-1"}

    first = await api.http.post(f"/returns/{return_id}/review", json=review, headers=headers)
    # The retry comes once the return has moved on, as after a response lost for a while.
    await wait_for_status(api, return_id, "awaiting_shipment")
    retried = await api.http.post(f"/returns/{return_id}/review", json=review, headers=headers)
    unkeyed = await api.http.post(f"/returns/{return_id}/review", json=review)

    assert first.status_code == 200, first.text
    assert retried.status_code == 200, retried.text
    assert retried.json() == first.json()
    # Without its key, the same request is a new review, refused: none is pending now.
    assert unkeyed.status_code == 409, unkeyed.text
    view = await wait_for_status(api, return_id, "awaiting_shipment")
    assert [e["kind"] for e in view["timeline"]].count("reviewed") == 1


async def test_a_bad_key_on_an_update_route_is_422_naming_the_header(api: Api) -> None:
    complaint_id = await _open_complaint(api)

    too_long = await _reply(api, complaint_id, "Hello", key="k" * 201)
    with_nul = await api.http.post(
        f"/returns/{'R' + 'A' * 12}/consent",
        json={"accepted": True},
        headers={"Idempotency-Key": "key\x00"},
    )

    for refused in (too_long, with_nul):
        assert refused.status_code == 422, refused.text
        assert [f["field"] for f in refused.json()["fields"]] == ["Idempotency-Key"]
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert _replies(view) == []
