"""Rotating a subscription's signing secret, against a real local endpoint verifying with
standardwebhooks: during the grace both secrets sign (two signatures in one header), so
an endpoint still on the old secret and one already on the new accept the same request;
a rotation without grace stops the old secret at once, and the endpoint that kept it
refuses until it takes the new one. The new secret is shown once per rotation (a retry
with the key answers it again); refusals name the field; deliveries show on `/metrics`.
"""

import asyncio
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from standardwebhooks import Webhook

from domain.access import Role
from store.admin_changes import SubjectKind, recent_changes
from tests.api.support import Api, eventually, intake
from tests.api.test_webhook_events import worker_dispatching
from tests.live_server import serve
from tests.webhook_receiver import Received, WebhookReceiver

EVENTS = ["complaint.opened"]


def dispatching(api: Api) -> AbstractAsyncContextManager[None]:
    """Runs the worker's dispatcher, retrying a failed delivery within a fraction of a
    second."""
    return worker_dispatching(api, webhook_retry_base_seconds=0.2)


async def opened_and_received(api: Api, receiver: WebhookReceiver) -> list[Received]:
    """Opens a complaint; returns every request its `complaint.opened` brought the
    receiver, once one was accepted."""
    created = await api.create(intake())
    event_id = f"evt_{created.json()['complaint_id']}_1"

    async def accepted() -> list[Received] | None:
        requests = receiver.requests_for(event_id)
        return requests if any(r.status == 204 for r in requests) else None

    return await eventually(accepted)


def verifies(secret: str, request: Received) -> bool:
    try:
        Webhook(secret).verify(request.body, request.headers)
    except Exception:
        return False
    return True


@pytest.mark.both_stores
async def test_both_secrets_sign_during_the_grace_and_then_the_new_one_alone(api: Api) -> None:
    receiver = WebhookReceiver(secret="")
    with serve(receiver.app) as base_url:
        created = await api.http.post(
            "/webhook-subscriptions", json={"url": f"{base_url}/events", "event_types": EVENTS}
        )
        assert created.status_code == 201, created.text
        subscription_id, old = created.json()["subscription_id"], created.json()["secret"]
        receiver.secret = old  # the platform has not switched yet
        url = f"/webhook-subscriptions/{subscription_id}/rotate-secret"

        rotated = await api.http.post(url, json={}, headers={"Idempotency-Key": "rot-1"})
        retried = await api.http.post(url, json={}, headers={"Idempotency-Key": "rot-1"})
        assert rotated.status_code == retried.status_code == 200, rotated.text
        assert rotated.json() == retried.json(), "a retry answers the same secret"
        new = rotated.json()["secret"]
        assert new.startswith("whsec_") and new != old
        reused = await api.http.post(
            url, json={"grace_hours": 1}, headers={"Idempotency-Key": "rot-1"}
        )
        assert (reused.status_code, reused.json()["error"]) == (422, "idempotency_key_reused")
        shown = (await api.http.get(f"/webhook-subscriptions/{subscription_id}")).json()
        assert shown["secret_rotated_at"] == rotated.json()["rotated_at"]
        assert shown["previous_secret_expires_at"] == rotated.json()["previous_secret_expires_at"]
        assert new not in str(shown) and old not in str(shown)

        async with dispatching(api):
            [graced] = await opened_and_received(api, receiver)
            assert len(graced.headers["webhook-signature"].split(" ")) == 2
            assert verifies(old, graced) and verifies(new, graced)

            # Without grace: the endpoint still on the old secret refuses until it
            # takes the new one; the delivery is retried and then accepted.
            at_once = await api.http.post(url, json={"grace_hours": 0})
            assert at_once.status_code == 200, at_once.text
            assert at_once.json()["previous_secret_expires_at"] is None
            newest = at_once.json()["secret"]
            receiver.secret = old
            created_again = asyncio.create_task(opened_and_received(api, receiver))

            async def refused_once() -> bool | None:
                return True if any(r.status == 400 for r in receiver.requests) else None

            await eventually(refused_once)
            receiver.secret = newest
            requests = await created_again

    refused, *_, accepted = requests
    assert refused.status == 400 and accepted.status == 204
    assert len(accepted.headers["webhook-signature"].split(" ")) == 1
    assert verifies(newest, accepted) and not verifies(new, accepted)
    superseded = await api.http.post(url, json={}, headers={"Idempotency-Key": "rot-1"})
    assert (superseded.status_code, superseded.json()["error"]) == (409, "secret_rotated_since")
    with api.sessions() as session:
        trail = recent_changes(session, kinds=(SubjectKind.WEBHOOK,), subject=subscription_id)
        assert [(c.action, c.actor) for c in trail] == [("secret_rotated", "admin")] * 2

    # The deliveries on /metrics, per subscription: two delivered, failed attempts seen.
    async with api.client_as("prometheus-hooks", Role.MONITORING) as scraper:
        scrape = await scraper.get("/metrics")
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(scrape.text)
        for sample in family.samples
        if sample.name.startswith("redress_webhook_")
    }
    mine = ("subscription", subscription_id)
    assert samples[("redress_webhook_deliveries_total", (("outcome", "delivered"), mine))] == 2
    assert samples[("redress_webhook_deliveries_total", (("outcome", "dead"), mine))] == 0
    assert samples[("redress_webhook_failed_attempts_total", (mine,))] >= 1
    waiting = "redress_webhook_deliveries_waiting"
    assert samples[(waiting, (("state", "pending"), mine))] == 0
    assert samples[("redress_webhook_count_failures_total", (("reason", "error"),))] == 0


async def test_rotation_refusals_name_the_field_and_change_nothing(api: Api) -> None:
    created = await api.http.post(
        "/webhook-subscriptions",
        json={"url": "https://platform.example/events", "event_types": EVENTS},
    )
    subscription_id = created.json()["subscription_id"]
    url = f"/webhook-subscriptions/{subscription_id}/rotate-secret"

    async def refused(body: dict[str, Any]) -> list[str]:
        answer = await api.http.post(url, json=body)
        assert answer.status_code == 422, answer.text
        return [field["field"] for field in answer.json()["fields"]]

    assert await refused({"grace_hours": 169}) == ["grace_hours"]
    assert await refused({"grace_hours": -1}) == ["grace_hours"]
    assert await refused({"secret": "not-a-secret"}) == ["secret"]
    assert await refused({"grace": 24}) == ["grace"]
    supervisor = api.client_as("sup-hooks", Role.SUPERVISOR)
    assert (await supervisor.post(url, json={})).status_code == 403
    unknown = await api.http.post("/webhook-subscriptions/sub_nosuch/rotate-secret", json={})
    assert (unknown.status_code, unknown.json()["error"]) == (404, "subscription_not_found")
    shown = (await api.http.get(f"/webhook-subscriptions/{subscription_id}")).json()
    assert shown["secret_rotated_at"] is None
