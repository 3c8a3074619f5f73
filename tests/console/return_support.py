"""Helpers for the return console's tests: returns driven to where a form waits (through
the API and the courier's signed webhook, as in production), the hidden fields of a
return page's forms, and what a workflow's history says about updates."""

import re
from decimal import Decimal
from typing import Any

from temporalio.api.enums.v1 import EventType

from domain.returns import return_workflow_id
from store.returns import get_return
from store.tables.ledger import record_charge
from tests.api.returns_support import (
    courier_event,
    open_return,
    post_courier_event,
    return_request,
    wait_for_label,
    wait_for_return,
    wait_for_status,
)
from tests.api.support import Api, eventually
from tests.console.support import csrf_token

_FORM_KEYS = re.compile(
    r'action="/console/returns/[^"/]+/([a-z-]+)"[^>]*>\s*'
    r'<input type="hidden" name="csrf_token" value="[0-9a-f]+">\s*'
    r'<input type="hidden" name="form_key" value="([A-Za-z0-9_-]+)">'
)


def form_of(page: str, action: str) -> dict[str, str]:
    """Returns the hidden fields (CSRF token and form key) of the page's form posting to
    `action` (`review`, `inspection`, `settlement-retry`)."""
    keys = dict(_FORM_KEYS.findall(page))
    assert action in keys, f"the page has no {action} form (it has {sorted(keys)})"
    return {"csrf_token": csrf_token(page), "form_key": keys[action]}


def two_pairs_request(**overrides: Any) -> dict[str, Any]:
    """Returns a return of two pairs of the same trail shoes (80.00 each) for a refund."""
    body = return_request(**overrides)
    order = body["orders"][0]
    order["items"][0]["quantity"] = 2
    order["paid_amount"] = "160.00"
    body["lines"][0]["quantity"] = 2
    return body


async def projected(api: Api, return_id: str, status: str) -> None:
    """Waits until the read model holds the return in `status` (the queues read it)."""

    async def stored() -> bool | None:
        with api.sessions() as session:
            row = get_return(session, return_id=return_id)
            return True if row is not None and row.status == status else None

    await eventually(stored)


async def open_for_review(api: Api) -> str:
    """Returns the id of a return in review: transit damage needs photos, and a defect
    without any is for a supervisor to judge."""
    return_id = await open_return(api, return_request(reason="defective"))
    await wait_for_status(api, return_id, "under_review")
    await projected(api, return_id, "under_review")
    return return_id


async def deliver_to_warehouse(api: Api, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """Returns the view of a return whose parcel the courier's webhook carried to the
    warehouse (picked up, in transit, delivered), once it waits for its inspection."""
    return_id = await open_return(api, body or return_request())
    labelled = await wait_for_label(api, return_id)
    for status in ("picked_up", "in_transit", "delivered"):
        posted = await post_courier_event(api, courier_event(labelled, status))
        assert posted.status_code in (200, 202), posted.text
    view = await wait_for_status(api, return_id, "awaiting_inspection")
    await projected(api, return_id, "awaiting_inspection")
    return view


def capture_only(api: Api, view: dict[str, Any], amount: str) -> None:
    """Records that the payment gateway captured only `amount` of the return's order, so a
    larger refund is refused for good (or, raised again, allowed)."""
    order = view["request"]["orders"][0]
    with api.sessions() as session:
        record_charge(
            session,
            payment_id=order["payment_id"],
            order_id=order["order_id"],
            amount=Decimal(amount),
            currency=order["currency"],
        )
        session.commit()


async def needing_a_person(api: Api, return_id: str) -> dict[str, Any]:
    """Returns the view once the return's settlement waits for a person (and is stored so)."""
    view = await wait_for_return(api, return_id, lambda v: v["needs_person"])

    async def stored() -> bool | None:
        with api.sessions() as session:
            row = get_return(session, return_id=return_id)
            return True if row is not None and row.needs_person else None

    await eventually(stored)
    return view


async def accepted_updates(api: Api, return_id: str) -> int:
    """Returns how many updates the return's workflow accepted into its history (updates
    refused by a validator, or never sent, leave none)."""
    handle = api.temporal.get_workflow_handle(return_workflow_id(return_id))
    history = await handle.fetch_history()
    accepted = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    return sum(1 for event in history.events if event.event_type == accepted)


def kinds(view: dict[str, Any]) -> list[str]:
    """Returns the kinds of the view's timeline events, oldest first."""
    return [event["kind"] for event in view["timeline"]]
