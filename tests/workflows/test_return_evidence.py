"""A return's `evidence_added` update on the time-skipping server: each of the customer's
files on the timeline and in the read model once per update id, and nothing recorded
for a notice the return refuses or once the return has finished."""

import hashlib
from typing import Any

import pytest
from sqlmodel import select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from domain.evidence import EvidenceFile, EvidenceNotice, EvidenceSource, describe_file
from domain.returns import ReturnEventKind, ReturnStatus, ReturnView, ReviewDecision
from store.tables.returns import ReturnEventRecord
from tests.workflows.conftest import Redress
from tests.workflows.test_return_workflow import return_request, start_return, until_status
from workflows.returns import ReturnWorkflow


def photo(name: str, source: EvidenceSource = EvidenceSource.CUSTOMER_PAGE) -> EvidenceNotice:
    """Returns the notice of one kept JPEG named `name`."""
    kept = EvidenceFile(
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        filename=name,
        content_type="image/jpeg",
        size=48213,
    )
    return EvidenceNotice(source=source, added=[kept])


def update_id(view: ReturnView, notice: EvidenceNotice) -> str:
    return f"evidence_added/{view.return_id}/{notice.added[0].sha256}"


def evidence_events(view: ReturnView) -> list[tuple[str, str]]:
    return [(e.actor, e.detail) for e in view.timeline if e.kind is ReturnEventKind.EVIDENCE_ADDED]


def stored_evidence_events(redress: Redress, return_id: str) -> list[str]:
    with redress.sessions() as session:
        rows = session.exec(
            select(ReturnEventRecord).where(
                ReturnEventRecord.return_id == return_id,
                ReturnEventRecord.kind == ReturnEventKind.EVIDENCE_ADDED.value,
            )
        )
        return [row.detail for row in rows]


async def held_for_review(redress: Redress) -> tuple[Any, ReturnView]:
    # A defective item without photos is held for a supervisor: the photo the policy
    # asks for arrives while the return waits.
    handle = await start_return(redress, return_request(reason="defective"))
    return handle, await until_status(redress, handle, ReturnStatus.UNDER_REVIEW)


async def test_each_file_is_recorded_once_per_update_id(redress: Redress) -> None:
    handle, view = await held_for_review(redress)
    sole, box = photo("sole.jpg"), photo("box.jpg", EvidenceSource.API)

    first = await handle.execute_update(
        ReturnWorkflow.evidence_added, sole, id=update_id(view, sole)
    )
    again = await handle.execute_update(
        ReturnWorkflow.evidence_added, sole, id=update_id(view, sole)
    )
    await handle.execute_update(ReturnWorkflow.evidence_added, box, id=update_id(view, box))

    customer = "customer:cust-2002"
    assert evidence_events(first) == [(customer, "sole.jpg (JPEG, 48213 B)")]
    assert again == first, "a repeated id answers the first update's view"
    live = await handle.query(ReturnWorkflow.view)
    assert evidence_events(live) == [
        (customer, describe_file(sole.added[0])),
        (customer, describe_file(box.added[0])),
    ]
    # The update answers once its change is in the read model.
    assert stored_evidence_events(redress, view.return_id) == [
        "sole.jpg (JPEG, 48213 B)",
        "box.jpg (JPEG, 48213 B)",
    ]
    assert live.status is ReturnStatus.UNDER_REVIEW, "a file decides nothing by itself"


@pytest.mark.parametrize(
    ("notice", "refusal"),
    [
        (EvidenceNotice(source=EvidenceSource.API), "names no file"),
        (photo("dent.jpg", EvidenceSource.WAREHOUSE), "recorded by the inspection"),
    ],
)
async def test_a_notice_the_return_does_not_take_is_refused_and_records_nothing(
    redress: Redress, notice: EvidenceNotice, refusal: str
) -> None:
    handle, _ = await held_for_review(redress)

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(ReturnWorkflow.evidence_added, notice)

    cause = refused.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == "InvalidAction" and refusal in str(cause)
    assert evidence_events(await handle.query(ReturnWorkflow.view)) == []


async def test_a_finished_return_takes_no_file(redress: Redress) -> None:
    handle, view = await held_for_review(redress)
    await handle.execute_update(
        ReturnWorkflow.decide_review,
        ReviewDecision(reviewer="sup-r", approved=False, reason="outside the policy"),
    )
    final: ReturnView = await handle.result()
    assert final.status is ReturnStatus.REJECTED
    late = photo("late.jpg")

    # The API turns this into its 409 return_closed (`api.updates.update_case`).
    with pytest.raises(RPCError):
        await handle.execute_update(ReturnWorkflow.evidence_added, late, id=update_id(view, late))

    assert evidence_events(await handle.query(ReturnWorkflow.view)) == []
    assert stored_evidence_events(redress, view.return_id) == []
