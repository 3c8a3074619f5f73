"""Merging duplicate complaints: `POST /complaints/{id}/merge` (`api.merge_calls`)."""

from fastapi import APIRouter

from api.auth import MayWorkComplaints
from api.deps import SessionDep, TemporalDep
from api.errors import AUTH_RESPONSES, UPDATE_RESPONSES
from api.merge_calls import merge_complaints
from api.routes.complaints import ComplaintId
from api.updates import UpdateKeyHeader, update_id_for
from domain.complaint_merge import MergeRequest
from domain.complaints import ActionResult

router = APIRouter(prefix="/complaints", tags=["complaints"], responses=AUTH_RESPONSES)


@router.post("/{complaint_id}/merge", response_model=ActionResult, responses=UPDATE_RESPONSES)
async def merge_complaint(
    complaint_id: ComplaintId,
    body: MergeRequest,
    temporal: TemporalDep,
    session: SessionDep,
    caller: MayWorkComplaints,
    idempotency_key: UpdateKeyHeader = None,
) -> ActionResult:
    """Merges this complaint into `into`, another open complaint of the same customer.

    The survivor takes this complaint's description and every message (replies,
    information requests, the customer's answers, files sent, notes), each marked with
    this complaint's id, its evidence files, and whichever SLA deadlines come first. This
    complaint closes with `close_reason` `merged` and `merged_into`; its customer's link
    opens the survivor. Agents merge complaints assigned to them both; supervisors any
    two. Refused, naming the field (`complaint_id` or `into`), with nothing changed: the
    same complaint, another customer's, one already merged or closed, one awaiting
    approval or being resolved. With an `Idempotency-Key`, a retry returns the first
    answer and merges nothing twice.
    """
    return await merge_complaints(
        temporal,
        session,
        caller,
        complaint_id,
        body.into,
        update_id=update_id_for("merge", caller.user_id, idempotency_key),
    )
