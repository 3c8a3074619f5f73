"""Duplicate complaints on the time-skipping server with Redress's workers: a second
complaint about the same order is linked to the open one on both; merging carries every
message and file into the survivor with the earlier deadlines and closes the other as
merged; a repeat changes nothing; a refused merge leaves both as they were."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from domain.compensation import CompensationKind
from domain.complaint_merge import DuplicateLink, MergedCase, MergeInto
from domain.complaints import (
    AgentAction,
    CloseReason,
    ComplaintStatus,
    ComplaintView,
    CustomerMessage,
    ReplyAction,
    RequestInfoAction,
    TimelineKind,
)
from domain.evidence import EvidenceFile, EvidenceLimits, EvidenceNotice, EvidenceSource
from store.complaints import get_complaint, timeline
from store.evidence import Upload, case_evidence, keep_evidence
from store.evidence_files import EvidenceFiles
from tests.store.test_evidence_sniffing import image_bytes
from tests.workflows.conftest import Redress
from tests.workflows.helpers import intake, propose
from workflows.complaint_merge import ABSORB_MERGED_SIGNAL, LINK_DUPLICATE_SIGNAL
from workflows.complaints import ComplaintWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
AGAIN = "I wrote before: the kettle from this order stopped working and still does not heat."
AGENT = "agent-quality-1"
SUPERVISOR = "sup-quality"
LIMITS = EvidenceLimits(max_file_bytes=64 * 1024, max_case_bytes=96 * 1024)

Handle = WorkflowHandle[Any, ComplaintView]


async def _open(redress: Redress, description: str = KETTLE, **kwargs: Any) -> Handle:
    handle = await redress.start(intake(description, **kwargs))
    await redress.until_status(handle, ComplaintStatus.OPEN)
    return handle


def _id(handle: Handle) -> str:
    return handle.id.removeprefix("complaint-")


def _kinds(view: ComplaintView) -> list[TimelineKind]:
    return [event.kind for event in view.timeline]


async def test_a_second_complaint_about_the_same_order_is_linked_to_the_open_one_on_both(
    redress: Redress,
) -> None:
    first = await _open(redress)
    second = await _open(redress, AGAIN)
    third = await _open(redress, AGAIN)
    other_customer = await _open(redress, customer_id="cust-2002")
    no_order = await _open(redress, paid=None)

    later = await second.query(ComplaintWorkflow.view)
    earlier = await redress.until(first, lambda v: len(v.duplicates) == 2, "both duplicates linked")
    assert later.duplicate_of == _id(first)
    assert earlier.duplicates == [_id(second), _id(third)]
    # The oldest open complaint is the one a third links to, not the second.
    assert (await third.query(ComplaintWorkflow.view)).duplicate_of == _id(first)
    linked = [e for e in earlier.timeline if e.kind is TimelineKind.DUPLICATE_LINKED]
    assert [e.detail for e in linked] == [_id(second), _id(third)]
    assert [e.detail for e in later.timeline if e.kind is TimelineKind.DUPLICATE_LINKED] == [
        _id(first)
    ]
    for unrelated in (other_customer, no_order):
        view = await unrelated.query(ComplaintWorkflow.view)
        assert view.duplicate_of is None and TimelineKind.DUPLICATE_LINKED not in _kinds(view)

    # Told again, the older one changes nothing.
    await first.signal(LINK_DUPLICATE_SIGNAL, DuplicateLink(complaint_id=_id(second)))
    await first.execute_update(
        ComplaintWorkflow.act, AgentAction(actor=AGENT, action=ReplyAction(message="Looking."))
    )
    again = await first.query(ComplaintWorkflow.view)
    assert again.duplicates == [_id(second), _id(third)]
    assert _kinds(again).count(TimelineKind.DUPLICATE_LINKED) == 2

    # The read model shows the link on both.
    with redress.sessions() as session:
        stored_first = get_complaint(session, complaint_id=_id(first))
        stored_second = get_complaint(session, complaint_id=_id(second))
        assert stored_first is not None and stored_second is not None
        assert stored_first.as_view().duplicates == [_id(second), _id(third)]
        assert stored_second.as_view().duplicate_of == _id(first)


async def _worked_complaint(redress: Redress, tmp_path: Path) -> tuple[Handle, EvidenceFile]:
    """Returns an open complaint with a reply, a question answered, and a photo kept."""
    handle = await _open(redress)
    complaint_id = _id(handle)
    reply = AgentAction(actor=AGENT, action=ReplyAction(message="We are looking into it."))
    await handle.execute_update(ComplaintWorkflow.act, reply)
    ask = RequestInfoAction(question="Could you send a photo of the base?")
    await handle.execute_update(ComplaintWorkflow.act, AgentAction(actor=AGENT, action=ask))
    await handle.execute_update(
        ComplaintWorkflow.customer_reply, CustomerMessage(message="Here it is, see the photo.")
    )
    with redress.sessions() as session:
        row, _ = keep_evidence(
            session,
            EvidenceFiles(tmp_path / "evidence"),
            LIMITS,
            Upload(
                case_kind="complaint",
                case_id=complaint_id,
                filename="base.png",
                data=image_bytes("PNG"),
                source=EvidenceSource.CUSTOMER_PAGE,
            ),
        )
    kept = EvidenceFile(
        sha256=row.sha256, filename=row.filename, content_type=row.content_type, size=row.size
    )
    notice = EvidenceNotice(source=EvidenceSource.CUSTOMER_PAGE, added=[kept])
    await handle.execute_update(ComplaintWorkflow.evidence_added, notice)
    return handle, kept


async def test_merging_carries_messages_evidence_and_the_earlier_deadlines_and_closes_as_merged(
    redress: Redress, tmp_path: Path
) -> None:
    merged, photo = await _worked_complaint(redress, tmp_path)
    await redress.env.sleep(timedelta(hours=3))
    survivor = await _open(redress, AGAIN)
    before = await merged.query(ComplaintWorkflow.view)
    own = await survivor.query(ComplaintWorkflow.view)
    assert before.resolution and own.resolution and own.resolution.due_at
    assert before.resolution.due_at and before.resolution.due_at < own.resolution.due_at

    result = await merged.execute_update(
        ComplaintWorkflow.merge_into, MergeInto(into=_id(survivor), actor=SUPERVISOR), id="m-1"
    )

    assert (
        result.status is ComplaintStatus.CLOSED and result.detail == f"merged into {_id(survivor)}"
    )
    # Polled, not awaited: awaiting a result lets the server skip time past deadlines.
    closed = await redress.until_status(merged, ComplaintStatus.CLOSED)
    assert closed.close_reason is CloseReason.MERGED
    assert closed.merged_into == _id(survivor)
    assert _kinds(closed)[-2:] == [TimelineKind.MERGED_INTO, TimelineKind.CLOSED]
    taken = await redress.until(survivor, lambda v: v.merged_from == [_id(merged)], "merged in")
    marker = f"[{_id(merged)} "
    carried = [e for e in taken.timeline if e.detail.startswith(marker)]
    assert [(e.kind, e.detail.split("] ", 1)[1]) for e in carried] == [
        (TimelineKind.CUSTOMER_REPLIED, KETTLE),
        (TimelineKind.REPLIED, "We are looking into it."),
        (TimelineKind.INFO_REQUESTED, "Could you send a photo of the base?"),
        (TimelineKind.CUSTOMER_REPLIED, "Here it is, see the photo."),
        (TimelineKind.EVIDENCE_ADDED, f"base.png (PNG, {photo.size} B)"),
    ]
    assert carried[0].actor == "customer:cust-1001" and carried[1].actor == AGENT
    merged_from = [e for e in taken.timeline if e.kind is TimelineKind.MERGED_FROM]
    assert [(e.actor, e.detail) for e in merged_from] == [(SUPERVISOR, _id(merged))]
    # The survivor's deadlines move up to the merged complaint's, which opened earlier.
    assert taken.resolution and taken.resolution.due_at
    assert abs((taken.resolution.due_at - before.resolution.due_at).total_seconds()) < 1
    # The first response was given on the merged one: the survivor's own clock stands.
    assert taken.first_response and own.first_response
    assert taken.first_response.due_at == own.first_response.due_at
    with redress.sessions() as session:
        [copied] = case_evidence(session, case_kind="complaint", case_id=_id(survivor))
        assert (copied.sha256, copied.filename) == (photo.sha256, "base.png")
        record = get_complaint(session, complaint_id=_id(merged))
        assert record is not None and (record.status, record.close_reason) == ("closed", "merged")
        stored = [e.detail for e in timeline(session, complaint_id=_id(survivor))]
        assert sum(detail.startswith(marker) for detail in stored) == len(carried)
    # The merged complaint takes nothing more (refused while it winds down, then finished):
    # its customer and agents go on in the survivor.
    with pytest.raises((WorkflowUpdateFailedError, RPCError)):
        await merged.execute_update(
            ComplaintWorkflow.customer_reply, CustomerMessage(message="Hello?")
        )


async def test_merging_again_changes_nothing(redress: Redress, tmp_path: Path) -> None:
    merged, _ = await _worked_complaint(redress, tmp_path)
    survivor = await _open(redress, AGAIN)
    request = MergeInto(into=_id(survivor), actor=SUPERVISOR)
    first = await merged.execute_update(ComplaintWorkflow.merge_into, request, id="merge-key")
    await redress.until(survivor, lambda v: v.merged_from == [_id(merged)], "merged in")

    # The same update id again answers as the first time, once the workflow has finished.
    assert (await merged.result()).close_reason is CloseReason.MERGED
    taken = await survivor.query(ComplaintWorkflow.view)
    again = await merged.execute_update(ComplaintWorkflow.merge_into, request, id="merge-key")
    assert again == first
    # The survivor told twice (a retried signal) takes nothing twice.
    repeat = MergedCase(
        complaint_id=_id(merged), customer_id="cust-1001", actor=SUPERVISOR, events=[]
    )
    await survivor.signal(ABSORB_MERGED_SIGNAL, repeat)
    await survivor.execute_update(
        ComplaintWorkflow.act, AgentAction(actor=AGENT, action=ReplyAction(message="Merged."))
    )
    after = await survivor.query(ComplaintWorkflow.view)
    assert after.merged_from == [_id(merged)]
    assert after.timeline_total == taken.timeline_total + 1
    with redress.sessions() as session:
        assert len(case_evidence(session, case_kind="complaint", case_id=_id(survivor))) == 1


async def _refused(handle: Handle, request: MergeInto) -> ApplicationError:
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(ComplaintWorkflow.merge_into, request)
    assert isinstance(refused.value.cause, ApplicationError)
    return refused.value.cause


async def test_refused_merges_change_nothing(redress: Redress) -> None:
    merged = await _open(redress, paid="500.00")
    late = "My parcel is late, it still has not arrived after a week."
    closed = await redress.start(intake(late, paid="89.00"))  # resolved by a rule at once
    assert (await closed.result()).status is ComplaintStatus.CLOSED
    before = await merged.query(ComplaintWorkflow.view)

    itself = await _refused(merged, MergeInto(into=_id(merged), actor=SUPERVISOR))
    assert itself.type == "InvalidAction"
    gone = await _refused(merged, MergeInto(into=_id(closed), actor=SUPERVISOR))
    assert gone.type == "ActionNotAllowed" and "is closed" in gone.message

    after = await merged.query(ComplaintWorkflow.view)
    assert after.status is ComplaintStatus.OPEN and after.merged_into is None
    assert after.timeline_total == before.timeline_total
    # It goes on taking messages as before.
    await merged.execute_update(
        ComplaintWorkflow.customer_reply, CustomerMessage(message="Any news?")
    )

    # A complaint with a resolution waiting for approval is not merged either.
    above_authority = propose(AGENT, (CompensationKind.REFUND, "300.00"))
    await merged.execute_update(ComplaintWorkflow.act, above_authority)
    await redress.until_status(merged, ComplaintStatus.AWAITING_APPROVAL)
    survivor = await _open(redress, AGAIN)
    awaiting = await redress.until(merged, lambda v: bool(v.duplicates), "the duplicate linked")
    busy = await _refused(merged, MergeInto(into=_id(survivor), actor=SUPERVISOR))
    assert busy.type == "ActionNotAllowed" and "awaiting approval" in busy.message
    assert (await merged.query(ComplaintWorkflow.view)).timeline_total == awaiting.timeline_total
