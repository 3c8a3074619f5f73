"""End to end, on the dev server with real workers: a customer's messages reach them by
the channel `REDRESS_CUSTOMER_CHANNEL` picks. Through the platform, as a signed
`notification.requested` event at a real endpoint (verified with standardwebhooks);
by e-mail, at a real SMTP server (aiosmtpd); and a message nobody would receive shows on
the case's timeline."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from store.db import SessionFactory
from store.tables.outbox import OutboxMessage
from tests.api.conftest import api_test_settings, running_api
from tests.api.support import Api, eventually, intake
from tests.api.test_webhook_events import worker_dispatching
from tests.live_server import serve
from tests.mail import mail_catcher, received
from tests.webhook_receiver import WebhookReceiver

NOTIFICATION_REQUESTED = "notification.requested"


@asynccontextmanager
async def channel_api(
    env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
    **overrides: Any,
) -> AsyncIterator[Api]:
    """Yields the API and real workers with `overrides` set, the webhook dispatcher
    running; a failed delivery is tried again a tenth of a second later."""
    settings = api_test_settings(
        env.client,
        database_url,
        tmp_path,
        queue="channels",
        webhook_retry_base_seconds=0.1,
        public_base_url="https://help.shop.example",
        **overrides,
    )
    async with running_api(env.client, sessions, settings) as api, worker_dispatching(api):
        yield api


async def subscribe(api: Api, url: str, event_types: list[str]) -> dict[str, Any]:
    created = await api.http.post(
        "/webhook-subscriptions", json={"url": url, "event_types": event_types}
    )
    assert created.status_code == 201, created.text
    subscription: dict[str, Any] = created.json()
    return subscription


def outbox_rows(sessions: SessionFactory, complaint_id: str) -> list[OutboxMessage]:
    with sessions() as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.complaint_id == complaint_id)
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def kinds(view: dict[str, Any]) -> list[str]:
    return [entry["kind"] for entry in view["timeline"]]


@pytest.mark.both_stores
async def test_a_customer_known_by_their_app_account_gets_the_acknowledgement_there(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> None:
    # The endpoint refuses each message's first delivery: its retry must be the same event.
    receiver = WebhookReceiver(secret="", refuse_first={NOTIFICATION_REQUESTED})
    customer = {"id": "cust-app-7", "locale": "en", "name": "Lin Wei", "platform_user_id": "u-8812"}
    with serve(receiver.app) as base_url:
        async with channel_api(
            dev_server_env, sessions, database_url, tmp_path, customer_channel="auto"
        ) as api:
            subscription = await subscribe(
                api, f"{base_url}/events", ["complaint.opened", NOTIFICATION_REQUESTED]
            )
            receiver.secret = subscription["secret"]
            # A key of its own per run: the dev server outlives the test's store.
            opened = await api.create(intake(customer=customer), key=f"app-only-{uuid.uuid4()}")
            assert opened.status_code == 201, opened.text
            complaint_id = opened.json()["complaint_id"]

            async def pushed() -> list[dict[str, Any]] | None:
                messages = [
                    event
                    for event in receiver.accepted()
                    if event["type"] == NOTIFICATION_REQUESTED
                    and event["data"]["case_id"] == complaint_id
                ]
                return messages or None

            [message] = await eventually(pushed)
            log = await api.http.get(
                f"/webhook-subscriptions/{subscription['subscription_id']}/deliveries"
            )
            view = await api.wait_for_view(complaint_id, lambda v: "acknowledged" in kinds(v))

    data = message["data"]
    assert data["template"] == "acknowledgement" and data["locale"] == "en"
    assert data["subject"] == f"We have received your complaint (ref. {complaint_id})"
    assert data["text"].startswith("Dear Lin Wei") and "Thank you for contacting us" in data["text"]
    assert data["contact"]["platform_user_id"] == "u-8812"
    assert data["customer_id"] == "cust-app-7"
    assert data["case_url"].startswith("https://help.shop.example/my/")
    # Once: refused, then taken, both times the same signed event (the receiver verified
    # each signature with standardwebhooks before answering).
    [event_id] = {
        headers_id for headers_id in receiver.ids_accepted() if headers_id.startswith("ntf_")
    }
    tries = receiver.requests_for(event_id)
    assert [r.status for r in tries] == [500, 204]
    assert tries[0].body == tries[1].body
    # After the case's opening, as it happened.
    types = [e["type"] for e in receiver.accepted() if e["data"]["case_id"] == complaint_id]
    assert types == ["complaint.opened", NOTIFICATION_REQUESTED]
    [delivery] = [d for d in log.json()["items"] if d["event_id"] == event_id]
    assert delivery["status"] == "delivered"
    assert [a["response_code"] for a in delivery["attempts"]] == [500, 204]
    [row] = outbox_rows(sessions, complaint_id)
    assert (row.delivery_channel, row.delivery_status) == ("platform", "sent")
    assert "notification_failed" not in kinds(view)


async def test_a_customer_with_an_address_is_mailed_under_email(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> None:
    maildir = tmp_path / "mail"
    receiver = WebhookReceiver(secret="")
    with mail_catcher(maildir) as smtp_url, serve(receiver.app) as base_url:
        async with channel_api(
            dev_server_env,
            sessions,
            database_url,
            tmp_path,
            customer_channel="email",
            notifications_provider="smtp",
            smtp_url=smtp_url,
        ) as api:
            # Subscribed, yet `email` sends no customer message to the platform.
            subscription = await subscribe(api, f"{base_url}/events", [NOTIFICATION_REQUESTED])
            receiver.secret = subscription["secret"]
            customer = intake()["customer"] | {
                "platform_user_id": "u-1",
                "phone": "+86 138 0013 8000",
            }
            opened = await api.create(intake(customer=customer))
            complaint_id = opened.json()["complaint_id"]

            async def mailed() -> list[Any] | None:
                return received(maildir) or None

            [(_, mail)] = await eventually(mailed)

    assert mail["To"].addresses[0].addr_spec == "lin.wei@example.com"
    assert str(mail["Subject"]) == f"We have received your complaint (ref. {complaint_id})"
    [row] = outbox_rows(sessions, complaint_id)
    assert (row.delivery_channel, row.delivery_status) == ("email", "sent")
    assert receiver.requests == []


async def test_platform_without_a_subscription_puts_the_failure_on_the_timeline(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> None:
    async with channel_api(
        dev_server_env, sessions, database_url, tmp_path, customer_channel="platform"
    ) as api:
        opened = await api.create(intake())
        complaint_id = opened.json()["complaint_id"]
        view = await api.wait_for_view(complaint_id, lambda v: "notification_failed" in kinds(v))
        # The case goes on without its acknowledgement.
        view = await api.wait_for_view(complaint_id, lambda v: v["status"] == "open")

    [failed] = [e for e in view["timeline"] if e["kind"] == "notification_failed"]
    assert "acknowledgement" in failed["detail"]
    assert "no enabled webhook subscription takes notification.requested" in failed["detail"]
    [row] = outbox_rows(sessions, complaint_id)
    assert (row.delivery_channel, row.delivery_status) == ("platform", "failed")


@pytest.mark.parametrize("phone", ["13800138000", "+86 138 0013 8000 ext 5", "+0861380013800"])
async def test_a_phone_number_not_in_e164_form_is_refused_naming_the_field(
    api: Api, phone: str
) -> None:
    customer = intake()["customer"] | {"id": "cust-bad-phone", "phone": phone}

    response = await api.create(intake(customer=customer))

    assert response.status_code == 422, response.text
    problem = response.json()
    assert [f["field"] for f in problem["fields"]] == ["customer.phone"]
    assert "E.164" in problem["fields"][0]["problem"]
    listed = await api.http.get("/complaints", params={"customer_id": "cust-bad-phone"})
    assert listed.json()["total"] == 0
