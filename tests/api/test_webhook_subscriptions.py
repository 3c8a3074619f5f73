"""Webhook subscriptions through the API: admins only, bad input named and refused, the
secret shown once, a delivery log that 404s what it does not hold."""

from typing import Any

import pytest

from domain.access import Role
from tests.api.support import Api

BODY: dict[str, Any] = {
    "url": "https://platform.example/redress-events",
    "event_types": ["complaint.opened", "complaint.closed"],
    "description": "order service",
}


async def test_an_admin_subscribes_and_sees_the_secret_only_in_the_creation_answer(
    api: Api,
) -> None:
    created = await api.http.post(
        "/webhook-subscriptions", json=BODY, headers={"Idempotency-Key": "sub-1"}
    )
    assert created.status_code == 201, created.text
    subscription = created.json()
    secret = subscription["secret"]
    assert secret.startswith("whsec_")
    assert (
        created.headers["Location"] == f"/webhook-subscriptions/{subscription['subscription_id']}"
    )
    assert subscription["enabled"] is True
    assert subscription["event_types"] == ["complaint.closed", "complaint.opened"]

    # A retry of the same request answers the same subscription (its first answer may
    # have been lost); the same key with another body is refused.
    retried = await api.http.post(
        "/webhook-subscriptions", json=BODY, headers={"Idempotency-Key": "sub-1"}
    )
    assert retried.status_code == 201
    assert retried.json()["subscription_id"] == subscription["subscription_id"]
    assert retried.json()["secret"] == secret
    reused = await api.http.post(
        "/webhook-subscriptions",
        json=BODY | {"description": "another"},
        headers={"Idempotency-Key": "sub-1"},
    )
    assert reused.status_code == 422
    assert reused.json()["error"] == "idempotency_key_reused"

    one = await api.http.get(f"/webhook-subscriptions/{subscription['subscription_id']}")
    listed = await api.http.get("/webhook-subscriptions")
    for answer in (one, listed):
        assert answer.status_code == 200
        # When it was rotated is shown; the secret itself, under no name.
        assert secret not in answer.text and '"secret"' not in answer.text
    assert [s["subscription_id"] for s in listed.json()["items"]] == [
        subscription["subscription_id"]
    ]


async def test_a_given_secret_is_kept_and_changes_and_disabling_show(api: Api) -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    created = await api.http.post("/webhook-subscriptions", json=BODY | {"secret": secret})
    assert created.status_code == 201, created.text
    assert created.json()["secret"] == secret
    path = f"/webhook-subscriptions/{created.json()['subscription_id']}"

    patched = await api.http.patch(
        path, json={"event_types": ["return.settled"], "url": "http://10.0.0.5:9000/events"}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["event_types"] == ["return.settled"]
    assert patched.json()["url"] == "http://10.0.0.5:9000/events"

    disabled = await api.http.delete(path)
    assert disabled.status_code == 200
    assert (await api.http.get(path)).json()["enabled"] is False
    log = await api.http.get(f"{path}/deliveries")
    assert log.status_code == 200
    assert log.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    missing = await api.http.post(f"{path}/deliveries/12345/redeliver")
    assert missing.status_code == 404
    assert missing.json()["error"] == "delivery_not_found"
    since = await api.http.post(f"{path}/redeliver", json={"since": "2026-01-01T00:00:00Z"})
    assert since.json() == {"queued": 0}
    assert (await api.http.get("/webhook-subscriptions/sub_nope")).status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"url": "ftp://platform.example/x"}, "url", "scheme"),
        ({"url": "not a url"}, "url", "URL"),
        (
            {"event_types": ["complaint.opened", "complaint.reopened"]},
            "event_types.1",
            "complaint.opened",
        ),
        ({"event_types": []}, "event_types", "at least 1"),
        ({"secret": "plain-text-secret"}, "secret", "whsec_"),
        ({"secret": "whsec_c2hvcnQ="}, "secret", "24 to 64 bytes"),
        ({"colour": "blue"}, "colour", "not permitted"),
    ],
)
async def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    api: Api, change: dict[str, Any], field: str, words: str
) -> None:
    answer = await api.http.post("/webhook-subscriptions", json=BODY | change)
    assert answer.status_code == 422
    problems = {p["field"]: p["problem"] for p in answer.json()["fields"]}
    assert words in problems[field], problems
    assert (await api.http.get("/webhook-subscriptions")).json()["items"] == []


async def test_an_empty_change_is_refused(api: Api) -> None:
    created = await api.http.post("/webhook-subscriptions", json=BODY)
    path = f"/webhook-subscriptions/{created.json()['subscription_id']}"
    answer = await api.http.patch(path, json={})
    assert answer.status_code == 422
    assert "at least one of" in answer.text


@pytest.mark.parametrize("role", [Role.AGENT, Role.SERVICE, Role.SUPERVISOR])
async def test_only_admins_manage_subscriptions(api: Api, role: Role) -> None:
    async with api.client_as(f"{role.value}-1", role) as other:
        for answer in (
            await other.post("/webhook-subscriptions", json=BODY),
            await other.get("/webhook-subscriptions"),
        ):
            assert answer.status_code == 403
            assert answer.json()["error"] == "forbidden"
    assert (await api.http.get("/webhook-subscriptions")).json()["items"] == []
