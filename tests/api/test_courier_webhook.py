"""POST /webhooks/courier: signed tracking events reach the return once; anything unsigned,
stale, malformed or unknown is refused and changes nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from core.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER
from store.tables.webhooks import ReceivedCourierEvent
from tests.api.returns_support import (
    courier_event,
    open_return,
    post_courier_event,
    tracking_statuses,
    wait_for_label,
    wait_for_return,
    wait_for_status,
)
from tests.api.support import Api


def _received(api: Api) -> list[str]:
    with api.sessions() as session:
        return [row.event_id for row in session.exec(select(ReceivedCourierEvent))]


async def _labelled_return(api: Api) -> dict[str, Any]:
    return await wait_for_label(api, await open_return(api))


async def _assert_nothing_changed(api: Api, view: dict[str, Any]) -> None:
    now = (await api.http.get(f"/returns/{view['return_id']}")).json()
    assert now["status"] == "awaiting_shipment"
    assert now["last_tracking"] is None
    assert tracking_statuses(now) == []
    assert _received(api) == []


@pytest.mark.both_stores
async def test_signed_events_move_the_return_to_inspection(api: Api) -> None:
    view = await _labelled_return(api)

    for status in ("picked_up", "in_transit", "delivered"):
        response = await post_courier_event(api, courier_event(view, status))
        assert response.status_code == 202, response.text
        assert response.json() == {"accepted": True}

    view = await wait_for_status(api, view["return_id"], "awaiting_inspection")
    assert tracking_statuses(view) == ["picked_up", "in_transit", "delivered"]
    assert view["last_tracking"] == "delivered"
    assert len(_received(api)) == 3


async def test_a_wrong_signature_is_401_and_changes_nothing(api: Api) -> None:
    view = await _labelled_return(api)

    response = await post_courier_event(
        api, courier_event(view, "picked_up"), secret="not-the-shared-secret"
    )

    assert response.status_code == 401, response.text
    assert response.json()["error"] == "invalid_signature"
    assert "signature does not match" in response.json()["message"]
    await _assert_nothing_changed(api, view)


async def test_missing_or_malformed_signature_headers_are_401(api: Api) -> None:
    view = await _labelled_return(api)
    event = courier_event(view, "picked_up")
    timestamp = str(int(datetime.now(UTC).timestamp()))

    unsigned = await post_courier_event(api, event, headers={})
    assert unsigned.status_code == 401, unsigned.text
    assert SIGNATURE_HEADER in unsigned.json()["message"] or (
        TIMESTAMP_HEADER in unsigned.json()["message"]
    )
    garbled = await post_courier_event(
        api, event, headers={TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: "md5=abc"}
    )
    assert garbled.status_code == 401, garbled.text
    await _assert_nothing_changed(api, view)


async def test_a_stale_timestamp_is_401(api: Api) -> None:
    view = await _labelled_return(api)

    # Signed correctly, but ten minutes ago: a captured request replayed later.
    response = await post_courier_event(
        api, courier_event(view, "picked_up"), signed_at=datetime.now(UTC) - timedelta(minutes=10)
    )

    assert response.status_code == 401, response.text
    assert "timestamp" in response.json()["message"]
    await _assert_nothing_changed(api, view)


@pytest.mark.both_stores
async def test_an_unknown_tracking_number_is_404(api: Api) -> None:
    view = await _labelled_return(api)

    response = await post_courier_event(
        api, courier_event(view, "picked_up", tracking_number="SBX999999999")
    )

    assert response.status_code == 404, response.text
    assert response.json()["error"] == "unknown_parcel"
    assert "SBX999999999" in response.json()["message"]
    await _assert_nothing_changed(api, view)


async def test_a_malformed_event_is_422_naming_the_field(api: Api) -> None:
    view = await _labelled_return(api)

    bad_status = await post_courier_event(api, courier_event(view, "teleported"))
    assert bad_status.status_code == 422, bad_status.text
    assert [f["field"] for f in bad_status.json()["fields"]] == ["status"]

    not_json = await post_courier_event(api, b"{not json")
    assert not_json.status_code == 422, not_json.text
    assert not_json.json()["fields"][0]["field"] == "body"
    await _assert_nothing_changed(api, view)


@pytest.mark.both_stores
async def test_a_repeated_event_is_taken_once(api: Api) -> None:
    view = await _labelled_return(api)
    picked_up = courier_event(view, "picked_up")

    first = await post_courier_event(api, picked_up)
    again = await post_courier_event(api, picked_up)

    assert (first.status_code, first.json()) == (202, {"accepted": True})
    assert (again.status_code, again.json()) == (200, {"duplicate": True})
    # A later event is handled after any earlier one: once it shows, the repeat would have.
    moved = await post_courier_event(api, courier_event(view, "in_transit"))
    assert moved.status_code == 202, moved.text
    view = await wait_for_return(api, view["return_id"], lambda v: len(tracking_statuses(v)) == 2)
    assert tracking_statuses(view) == ["picked_up", "in_transit"]
    assert view["status"] == "in_transit"
    assert sorted(_received(api)) == sorted([picked_up["event_id"], view["seen_events"][-1]])


async def test_an_event_for_a_closed_return_is_ignored_with_a_200(api: Api) -> None:
    view = await _labelled_return(api)
    handle = api.temporal.get_workflow_handle(f"return-{view['return_id']}")
    await handle.terminate(reason="closed by an operator")

    response = await post_courier_event(api, courier_event(view, "picked_up"))

    # A 2xx, so that the courier stops sending it.
    assert response.status_code == 200, response.text
    assert response.json() == {"ignored": "return closed"}
