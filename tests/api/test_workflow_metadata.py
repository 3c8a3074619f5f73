"""What ops see of a case in the Temporal UI besides its id: a one-line summary set when
the case opens, and current details saying what it waits for and until when (payloads
like any other, so the stack's codec encrypts them)."""

from typing import Any

from domain.complaints import ComplaintStatus
from tests.api.support import Api, eventually, intake


async def _current_details(api: Api, workflow_id: str) -> str:
    metadata: Any = await api.temporal.get_workflow_handle(workflow_id).query(
        "__temporal_workflow_metadata"
    )
    details: str = metadata.current_details
    return details


async def test_an_opened_complaint_says_what_it_is_and_what_it_waits_for(api: Api) -> None:
    body = intake()
    created = (await api.create(body)).json()
    workflow_id = created["workflow_id"]
    await api.wait_for_view(created["complaint_id"], lambda v: v["status"] == "open")

    description = await api.temporal.get_workflow_handle(workflow_id).describe()
    summary = await description.static_summary()
    assert summary is not None
    assert created["complaint_id"] in summary
    assert body["customer"]["id"] in summary and body["order"]["order_id"] in summary

    # The loop sets its details when it next waits, a moment after the view shows "open".
    async def waiting() -> str | None:
        details = await _current_details(api, workflow_id)
        return details or None

    details = await eventually(waiting)
    assert details.startswith(f"{ComplaintStatus.OPEN}: waiting for ")
    assert "next deadline" in details and "UTC" in details
