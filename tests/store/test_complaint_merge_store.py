"""What linking and merging read and write in the store: the open complaint a new one
repeats (the oldest open one of the same customer, order and category), the timeline a
merge carries, and evidence copied to the survivor once however often it is asked."""

from datetime import timedelta
from pathlib import Path

import pytest

from domain.analytics import ComplaintFilter, Scope
from domain.complaints import CloseReason, ComplaintStatus, TimelineEvent, TimelineKind
from domain.evidence import EvidenceLimits, EvidenceSource
from domain.taxonomy import Category
from store import analytics
from store.complaint_merge import carried_timeline, copy_evidence, open_duplicate_of
from store.complaints import project_complaint
from store.db import SessionFactory
from store.evidence import Upload, case_evidence, keep_evidence
from store.evidence_files import EvidenceFiles
from tests.factories import (
    OPENED_AT,
    make_classification,
    make_customer,
    make_intake,
    make_order,
    make_projection,
    make_view,
)
from tests.store.test_evidence_sniffing import image_bytes

ORDER = make_order().order_id
CUSTOMER = make_customer().id
CATEGORY = make_classification().category
REGION = "Zhejiang"


def _store(sessions: SessionFactory, **overrides: object) -> str:
    view = make_view(**overrides)
    with sessions() as session:
        project_complaint(session, projection=make_projection(view))
    return view.complaint_id


def _duplicate_of(sessions: SessionFactory, complaint_id: str) -> str | None:
    with sessions() as session:
        return open_duplicate_of(
            session,
            complaint_id=complaint_id,
            customer_id=CUSTOMER,
            order_id=ORDER,
            category=CATEGORY.value,
        )


@pytest.mark.both_stores
def test_the_oldest_open_complaint_of_the_same_customer_order_and_category(
    sessions: SessionFactory,
) -> None:
    hour = timedelta(hours=1)
    _store(sessions, created_at=OPENED_AT, status=ComplaintStatus.CLOSED)
    oldest_open = _store(sessions, created_at=OPENED_AT + hour)
    _store(sessions, created_at=OPENED_AT + 2 * hour, status=ComplaintStatus.WAITING_ON_CUSTOMER)
    _store(sessions, created_at=OPENED_AT, intake=make_intake(customer=make_customer(id="c-2")))
    _store(sessions, created_at=OPENED_AT, intake=make_intake(order=make_order(order_id="o-2")))
    other_category = make_classification(category=Category.LOGISTICS, sub_category="lost_parcel")
    _store(sessions, created_at=OPENED_AT, classification=other_category)

    assert _duplicate_of(sessions, "cmp-new") == oldest_open
    # A complaint never repeats itself: the oldest one finds the next.
    assert _duplicate_of(sessions, oldest_open) not in (None, oldest_open)


def test_no_open_complaint_is_no_duplicate(sessions: SessionFactory) -> None:
    _store(sessions, status=ComplaintStatus.CLOSED)
    assert _duplicate_of(sessions, "cmp-new") is None


def test_a_merge_carries_messages_and_files_only(sessions: SessionFactory) -> None:
    at = OPENED_AT + timedelta(hours=1)
    events = [
        TimelineEvent(seq=4, at=at, kind=TimelineKind.REPLIED, actor="agent-1", detail="Hi"),
        TimelineEvent(seq=5, at=at, kind=TimelineKind.SLA_REMINDER, actor="redress"),
        TimelineEvent(seq=6, at=at, kind=TimelineKind.EVIDENCE_ADDED, actor="c", detail="a.png"),
    ]
    view = make_view()
    view.timeline = [*view.timeline, *events]
    view.timeline_total = 6
    with sessions() as session:
        project_complaint(session, projection=make_projection(view))
        carried = carried_timeline(session, complaint_id=view.complaint_id)

    assert [(e.seq, e.kind) for e in carried] == [
        (4, TimelineKind.REPLIED),
        (6, TimelineKind.EVIDENCE_ADDED),
    ]


@pytest.mark.both_stores
def test_evidence_is_copied_to_the_survivor_once(sessions: SessionFactory, tmp_path: Path) -> None:
    files = EvidenceFiles(tmp_path / "evidence")
    limits = EvidenceLimits(max_file_bytes=64 * 1024, max_case_bytes=96 * 1024)
    with sessions() as session:
        for name, data in (("a.png", image_bytes("PNG")), ("b.jpg", image_bytes("JPEG"))):
            upload = Upload(
                case_kind="complaint",
                case_id="CMERGED",
                filename=name,
                data=data,
                source=EvidenceSource.EMAIL,
            )
            keep_evidence(session, files, limits, upload)
        first = copy_evidence(session, from_complaint_id="CMERGED", to_complaint_id="CSURVIVOR")
        again = copy_evidence(session, from_complaint_id="CMERGED", to_complaint_id="CSURVIVOR")
        copied = case_evidence(session, case_kind="complaint", case_id="CSURVIVOR")
        kept = case_evidence(session, case_kind="complaint", case_id="CMERGED")

    assert (first, again) == (2, 0)
    assert [(row.filename, row.sha256) for row in copied] == [
        (row.filename, row.sha256) for row in kept
    ]
    assert {row.source_ref for row in copied} == {"merged from CMERGED"}
    assert {row.source for row in copied} == {"email"}


@pytest.mark.both_stores
def test_a_merged_complaint_counts_as_received_but_not_as_closed(
    sessions: SessionFactory,
) -> None:
    closed_at = OPENED_AT + timedelta(hours=2)
    in_region = make_intake(customer=make_customer(region=REGION))
    for reason in (CloseReason.RESOLVED, CloseReason.MERGED):
        _store(
            sessions,
            intake=in_region,
            status=ComplaintStatus.CLOSED,
            close_reason=reason,
            closed_at=closed_at,
            merged_into="CSURVIVOR" if reason is CloseReason.MERGED else None,
        )
    _store(sessions, intake=in_region)
    day = OPENED_AT.date()
    # By agent alone the roll-ups answer; with a region too, the complaints themselves.
    filters = [
        ComplaintFilter(since=day, until=day + timedelta(days=1)),
        ComplaintFilter(since=day, until=day + timedelta(days=1), region=REGION),
    ]

    with sessions() as session:
        rows = [analytics.scoreboard(session, f, Scope.AGENT).rows for f in filters]

    for [row] in rows:
        assert (row.complaints, row.closed) == (3, 1)
