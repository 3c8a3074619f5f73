"""Returns that wait on a person do not wait silently: a review nobody decides goes to the
manager and then is flagged overdue, and an inspection the warehouse misses goes to the
supervisor; both show in the console's overdue queue (a review with the manager at once,
before the workflow flags it overdue) and as overdue in the API's list, until someone
acts. Time-skipping server: the windows pass in moments."""

from datetime import timedelta
from typing import Any

from domain.return_policy import return_case_policy
from domain.return_queues import ReturnQueue
from domain.returns import (
    RETURN_STAFF,
    InspectionVerdict,
    ReturnEventKind,
    ReturnStatus,
    ReviewDecision,
)
from domain.taxonomy import EscalationLevel
from store.return_queues import list_return_queue
from store.returns import list_returns
from tests.workflows.conftest import Redress
from tests.workflows.helpers import outbox
from tests.workflows.test_return_workflow import (
    inspection,
    return_request,
    ship_to_warehouse,
    start_return,
    until,
    until_sent,
    until_status,
)
from workflows.returns import ReturnWorkflow

POLICY = return_case_policy()
A_MOMENT = timedelta(minutes=1)


def overdue_ids(redress: Redress) -> set[str]:
    """Returns the ids of the returns the read model lists as overdue."""
    with redress.sessions() as session:
        rows, _ = list_returns(session, overdue=True, limit=200)
        return {row.return_id for row in rows}


def overdue_queue(redress: Redress) -> set[str]:
    """Returns the ids of the returns in the console's overdue queue."""
    with redress.sessions() as session:
        page = list_return_queue(session, queue=ReturnQueue.OVERDUE, page_size=200)
        return {row.return_id for row in page.rows}


def staff_told(redress: Redress, return_id: str, template: str) -> list[str]:
    """Returns who was sent `template` about the return, in order."""
    return [
        recipient
        for sent, recipient in outbox(redress.sessions, f"return-{return_id}")
        if sent == template
    ]


async def until_told(redress: Redress, handle: Any, template: str, expected: list[str]) -> None:
    """Waits until the staff sent `template` about the return are `expected`, in order: the
    message is recorded by an activity a moment after the view changes."""
    return_id = (await handle.query(ReturnWorkflow.view)).return_id
    try:
        await until(
            redress,
            handle,
            lambda _: staff_told(redress, return_id, template) == expected,
            f"{template} sent to {expected}",
        )
    except AssertionError:
        assert staff_told(redress, return_id, template) == expected


async def test_a_review_nobody_decides_goes_to_the_manager_then_shows_overdue(
    redress: Redress,
) -> None:
    # Transit damage without photos does not match its reason: a supervisor must review.
    handle = await start_return(redress, return_request(reason="defective"))
    view = await until_status(redress, handle, ReturnStatus.UNDER_REVIEW)
    assert view.review_level == "supervisor" and not view.overdue

    await redress.env.sleep(POLICY.review_windows[EscalationLevel.SUPERVISOR] + A_MOMENT)
    view = await until(redress, handle, lambda v: v.review_level == "manager", "the manager")
    kinds = [event.kind for event in view.timeline]
    assert kinds.count(ReturnEventKind.REVIEW_ESCALATED) == 1
    assert kinds.count(ReturnEventKind.REVIEW_REQUESTED) == 2
    assert view.status is ReturnStatus.UNDER_REVIEW and not view.overdue
    await until_told(
        redress,
        handle,
        "return_review_requested",
        [RETURN_STAFF["supervisor"], RETURN_STAFF["manager"]],
    )
    # Staff read the policy's reason in their own language, worded from its code.
    asked = await until_sent(redress, view.return_id, "return_review_requested")
    assert "以“商品质量问题”为由退货需要提供照片或视频，但未上传任何凭证。" in asked
    # Late already: on the overdue queue, though not flagged overdue yet.
    await until(redress, handle, lambda v: v.return_id in overdue_queue(redress), "the queue")
    assert view.return_id not in overdue_ids(redress)

    # Nobody above the manager: the return stays open, flagged where people look.
    await redress.env.sleep(POLICY.review_windows[EscalationLevel.MANAGER] + A_MOMENT)
    view = await until(redress, handle, lambda v: v.overdue, "overdue")
    assert view.timeline[-1].kind is ReturnEventKind.NEEDS_PERSON
    assert view.timeline[-1].detail == "review overdue"
    await until(redress, handle, lambda v: v.return_id in overdue_ids(redress), "the queue")

    await handle.execute_update(
        ReturnWorkflow.decide_review, ReviewDecision(reviewer="mgr-r", approved=True)
    )
    view = await until(redress, handle, lambda v: v.return_parcel is not None, "a label")
    assert view.status is ReturnStatus.AWAITING_SHIPMENT and not view.overdue
    await until(redress, handle, lambda v: v.return_id not in overdue_ids(redress), "cleared")
    assert view.return_id not in overdue_queue(redress)


async def test_an_overdue_inspection_goes_to_the_supervisor_and_clears_when_done(
    redress: Redress,
) -> None:
    handle = await start_return(redress, return_request())
    view = await ship_to_warehouse(redress, handle)
    assert view.inspection_due_at is not None and not view.overdue
    await until_told(redress, handle, "return_inspection_requested", [RETURN_STAFF["warehouse"]])

    await redress.env.sleep(POLICY.inspection_window + A_MOMENT)
    view = await until(redress, handle, lambda v: v.overdue, "overdue")
    assert view.status is ReturnStatus.AWAITING_INSPECTION
    assert [e.kind for e in view.timeline].count(ReturnEventKind.INSPECTION_ESCALATED) == 1
    await until_told(
        redress,
        handle,
        "return_inspection_requested",
        [RETURN_STAFF["warehouse"], RETURN_STAFF["supervisor"]],
    )
    await until(redress, handle, lambda v: v.return_id in overdue_ids(redress), "the queue")
    assert view.return_id in overdue_queue(redress)

    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED, ("SHOE-42", 1))
    )
    final = await handle.result()
    assert final.status is ReturnStatus.COMPLETED and not final.overdue
    assert final.return_id not in overdue_ids(redress)
    assert final.return_id not in overdue_queue(redress)
