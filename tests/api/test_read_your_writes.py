"""An update's answer means the read model shows its change: the API reads cases from the
read model (never with a workflow query once a case is projected), so a client that acts
and then reads must find what it did, even while the workflow waits on a slow provider."""

import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from activities.notifications.factory import notification_provider
from core.settings import Settings
from domain.notifications import Notification, NotificationReceipt
from store.db import SessionFactory
from tests.api.conftest import api_test_settings, running_api
from tests.api.support import Api, eventually, intake

# Longer than any test step here takes: while a message is being sent, the workflow's loop
# is busy, and only the update handler itself can get its change into the read model.
SEND_SECONDS = 3.0


class SlowNotifier:
    """The outbox provider, taking SEND_SECONDS per message like a slow gateway until
    `hurry` is called; keeps the templates of the messages it has finished sending."""

    def __init__(self, settings: Settings, sessions: SessionFactory) -> None:
        self._outbox = notification_provider(settings, sessions)
        self._hurried = threading.Event()
        self.sent: list[str] = []

    def hurry(self) -> None:
        """Sends what is in flight and what comes later at once: the test is over, and the
        workers wait for their activities before they stop."""
        self._hurried.set()

    def send(self, notification: Notification) -> NotificationReceipt:
        self._hurried.wait(SEND_SECONDS)
        receipt = self._outbox.send(notification)
        self.sent.append(notification.template.value)
        return receipt


@pytest.fixture
async def slow_api(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[Api, SlowNotifier]]:
    client = dev_server_env.client
    settings = api_test_settings(client, database_url, tmp_path, queue="read-your-writes")
    notifier = SlowNotifier(settings, sessions)
    async with running_api(client, sessions, settings, notifier) as api:
        yield api, notifier
        notifier.hurry()


@pytest.mark.both_stores
async def test_a_read_after_an_update_shows_it_while_a_message_is_still_going_out(
    slow_api: tuple[Api, SlowNotifier],
) -> None:
    api, notifier = slow_api
    created = await api.create(intake())
    complaint_id = created.json()["complaint_id"]
    # Projected before the acknowledgement goes out, so readable while it is being sent.
    await eventually(lambda: _view_if(api, complaint_id, "open"))

    replied = await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json={"action": {"type": "reply", "message": "We are on it."}},
    )
    assert replied.status_code == 200, replied.text
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()

    assert notifier.sent == [], "the test lost its race: the acknowledgement was already out"
    kinds = [event["kind"] for event in view["timeline"]]
    assert "replied" in kinds, kinds
    assert view["first_response"]["met_at"] is not None, view["first_response"]


async def _view_if(api: Api, complaint_id: str, status: str) -> dict[str, Any] | None:
    response = await api.http.get(f"/complaints/{complaint_id}")
    if response.status_code != 200 or response.json()["status"] != status:
        return None
    view: dict[str, Any] = response.json()
    return view
