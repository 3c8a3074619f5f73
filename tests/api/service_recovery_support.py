"""A failure of service opened through the API, for the tests of failures' recovery
tasks: workers whose payments provider declines store credit, and a complaint whose
resolution is undone because of it."""

from typing import Any

from domain.service_failures import ServiceFailure, service_recovery_workflow_id
from tests.api.support import Api, intake

# What the workers' sandbox payments provider refuses, for good (`FaultPlan`).
DECLINED = {"sandbox_payments_decline": ["store_credit"]}


def _kinds(view: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in view["timeline"]]


async def undo_a_resolution(api: Api) -> tuple[str, str]:
    """Opens a complaint and proposes a refund then store credit: the credit is declined,
    the refund undone, and a recovery task opened. Returns the complaint's id and the
    task's. The workers must decline store credit (`DECLINED`)."""
    created = await api.create(intake())
    assert created.status_code == 201, created.text
    complaint_id: str = created.json()["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    proposal = {
        "compensations": [
            {"kind": "refund", "amount": "20.00"},
            {"kind": "store_credit", "amount": "10.00"},
        ],
        "message": "Sorry: a refund and some credit for the trouble.",
        "root_cause": "supplier_defect",
    }
    proposed = await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json={"action": {"type": "propose_resolution", "proposal": proposal}},
    )
    assert proposed.status_code == 200, proposed.text
    await api.wait_for_view(complaint_id, lambda view: "recovery_started" in _kinds(view))
    return complaint_id, service_recovery_workflow_id(
        complaint_id, ServiceFailure.COMPENSATION_UNDONE
    )
