"""Merging one complaint into another: the one path `POST /complaints/{id}/merge` and the
console's merge form share.

The two complaints are read first, so a request that cannot be merged is refused naming
the field at fault (`complaint_id`, the one merged; `into`, the survivor) before any
workflow hears of it: the same complaint twice, another customer's complaint, one already
merged, closed, or in the middle of an approval or a resolution. Then the merged
complaint's `merge_into` update does the rest (`workflows.complaint_merge`). Agents merge
complaints assigned to them both; supervisors any two.
"""

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client, WorkflowUpdateFailedError

from api.auth import Principal, forbidden
from api.complaint_calls import current_complaint_view
from api.errors import ApiError, FieldProblem, complaint_closed, complaint_not_found
from api.live_views import QUERY_TIMEOUT, stored_or_live
from api.updates import update_case
from domain.access import Permission
from domain.complaint_merge import (
    MergeInto,
    MergeRefusal,
    MergeRefusalReason,
    merge_refusal,
    unknown_survivor,
)
from domain.complaints import ActionResult, ComplaintView, complaint_workflow_id
from store.complaints import get_complaint
from workflows.complaints import ComplaintWorkflow


class MergeRefused(ApiError):
    """A merge refused before it was sent: the 409 or 422 naming the field at fault, and
    the refusal itself, which the console words in the user's language."""

    def __init__(self, refusal: MergeRefusal) -> None:
        message = refusal.problem
        if refusal.status_code == 422:
            message = f"invalid fields: {refusal.field}; {refusal.problem}"
        super().__init__(
            refusal.status_code,
            refusal.error,
            message,
            fields=[FieldProblem(field=refusal.field, problem=refusal.problem)],
        )
        self.refusal = refusal


def may_merge(caller: Principal, view: ComplaintView) -> bool:
    """Returns whether `caller` may merge `view` into or out of: it is assigned to them,
    or they may work any complaint."""
    return caller.may(Permission.WORK_ANY_COMPLAINT) or view.assignee == caller.user_id


async def survivor_view(temporal: Client, session: Session, into: str) -> ComplaintView:
    """Returns the survivor's view; an unknown one is the 422 naming `into`."""
    handle = temporal.get_workflow_handle(complaint_workflow_id(into))

    async def stored() -> ComplaintView | None:
        record = await run_in_threadpool(get_complaint, session, complaint_id=into)
        return record.as_view() if record is not None else None

    return await stored_or_live(
        stored,
        lambda: handle.query(ComplaintWorkflow.view, rpc_timeout=QUERY_TIMEOUT),
        unknown=MergeRefused(unknown_survivor(into)),
    )


async def merge_complaints(
    temporal: Client,
    session: Session,
    caller: Principal,
    complaint_id: str,
    into: str,
    *,
    update_id: str | None = None,
) -> ActionResult:
    """Returns the merged complaint's answer once `complaint_id` is merged into `into`
    (the first answer again for an `update_id` sent before); raises the 404, the 403, or
    the refusal naming the field, with nothing changed."""
    if into == complaint_id:
        itself = MergeRefusal(
            MergeRefusalReason.ITSELF, "a complaint cannot be merged into itself", into
        )
        raise MergeRefused(itself)
    merged = await current_complaint_view(temporal, session, complaint_id)
    survivor = await survivor_view(temporal, session, into)
    for view in (merged, survivor):
        if not may_merge(caller, view):
            raise forbidden(
                f"complaint {view.complaint_id} is assigned to {view.assignee or 'nobody'}, "
                "not to you: merging needs both complaints, or a supervisor"
            )
    refusal = merge_refusal(merged, survivor)
    if refusal is not None and not _repeat(refusal, merged, into, update_id):
        raise MergeRefused(refusal)
    try:
        return await update_case(
            temporal.get_workflow_handle(complaint_workflow_id(complaint_id)),
            ComplaintWorkflow.merge_into,
            MergeInto(into=into, actor=caller.user_id),
            closed=complaint_closed(complaint_id),
            unknown=complaint_not_found(complaint_id),
            stored=_known,
            update_id=update_id,
        )
    except (ApiError, WorkflowUpdateFailedError):
        # A repeat whose first answer the workflow no longer holds is the refusal above.
        if refusal is not None:
            raise MergeRefused(refusal) from None
        raise


def _repeat(refusal: MergeRefusal, merged: ComplaintView, into: str, update_id: str | None) -> bool:
    """Returns whether a request refused as already merged may be the same request again
    (merged into the same complaint, under an update id): its first answer is asked for."""
    already = refusal.reason is MergeRefusalReason.ALREADY_MERGED
    return already and merged.merged_into == into and bool(update_id)


async def _known() -> bool:
    # Asked only after the complaint was read above.
    return True
