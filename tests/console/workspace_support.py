"""Helpers for the complaint workspace's tests: a complaint open with its agent, the forms
of its page as a browser sends them (each with its own key), and what the workflow has
recorded, to tell that it heard nothing."""

import re
from dataclasses import dataclass
from typing import Any

import httpx
from temporalio.api.enums.v1 import EventType

from domain.complaints import complaint_workflow_id
from tests.api.support import Api, intake
from tests.console.support import csrf_token
from tests.customer.support import path_of

# What a workflow records when someone reaches it: an accepted update or a signal.
HEARD = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
}


@dataclass(frozen=True)
class OpenComplaint:
    """A complaint open and routed: its id, its agent, and the customer's page."""

    complaint_id: str
    agent: str
    customer_page: str
    customer_token: str

    @property
    def page(self) -> str:
        return f"/console/complaints/{self.complaint_id}"


async def open_complaint(api: Api, **overrides: Any) -> OpenComplaint:
    """Returns a complaint (a broken blender unless told) once it is open with an agent."""
    created = await api.create(intake(**overrides))
    assert created.status_code == 201, created.text
    body = created.json()
    view = await api.wait_for_view(body["complaint_id"], lambda view: view["status"] == "open")
    assert view["assignee"], view
    return OpenComplaint(
        complaint_id=body["complaint_id"],
        agent=view["assignee"],
        customer_page=path_of(body["customer_url"]),
        customer_token=body["customer_token"],
    )


def form_key(html: str, action: str) -> str:
    """Returns the key of the form posting to `action` on a page."""
    start = html.find(f'action="{action}"')
    assert start >= 0, f"the page has no form posting to {action}"
    found = re.search(r'name="form_key" value="([A-Za-z0-9_-]+)"', html[start:])
    assert found is not None, f"the form posting to {action} has no key"
    return found.group(1)


def form_fields(html: str, action: str) -> dict[str, str]:
    """Returns the hidden fields of the form posting to `action` on a page, as a browser
    sends them: the CSRF token, the form's key, and (on a message to the customer) the
    last message its page showed."""
    fields = {"csrf_token": csrf_token(html), "form_key": form_key(html, action)}
    start = html.find(f'action="{action}"')
    form = html[start : html.find("</form>", start)]
    seen = re.search(r'name="seen_message" value="(\d+)"', form)
    if seen is not None:
        fields["seen_message"] = seen.group(1)
    return fields


async def page_form(client: httpx.AsyncClient, page: str, action: str) -> dict[str, str]:
    """Returns the hidden fields of the form posting to `action` on `page`, as shown."""
    shown = await client.get(page)
    assert shown.status_code == 200, shown.text
    return form_fields(shown.text, action)


async def send_form(
    client: httpx.AsyncClient, complaint: OpenComplaint, form: str, fields: dict[str, Any]
) -> httpx.Response:
    """Opens the complaint's page, fills the form posting to `.../{form}` and sends it."""
    action = f"{complaint.page}/{form}"
    hidden = await page_form(client, complaint.page, action)
    return await client.post(action, data=hidden | fields)


async def heard(api: Api, complaint_id: str) -> tuple[int, int]:
    """Returns how many timeline events the complaint holds and how many updates and
    signals its workflow took: both stay put when the workflow hears nothing."""
    handle = api.temporal.get_workflow_handle(complaint_workflow_id(complaint_id))
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    history = await handle.fetch_history()
    messages = [event for event in history.events if event.event_type in HEARD]
    return view["timeline_total"], len(messages)


def kinds(view: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in view["timeline"]]
