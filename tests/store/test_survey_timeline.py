"""A survey's events on its case's timeline: added by the survey's projection once each
(however often it is replayed), beside the case's own seqs, and read back with the case.
On SQLite and on PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.survey_timeline import SURVEY_SEQ_BASE
from domain.surveys import (
    CaseKind,
    SurveyAnswer,
    SurveyEvent,
    SurveyEventKind,
    SurveyProjection,
    SurveyStatus,
    SurveyView,
    survey_workflow_id,
)
from domain.taxonomy import CustomerTier, Locale
from store.complaints import project_complaint, timeline
from store.db import SessionFactory
from store.returns import project_return, return_timeline
from store.survey_timeline import survey_events_of_case
from store.surveys import project_survey
from tests.factories import make_projection
from tests.return_factories import make_return_projection

pytestmark = pytest.mark.both_stores

SENT_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _survey(kind: CaseKind, case_id: str, events: list[SurveyEvent]) -> SurveyProjection:
    view = SurveyView(
        survey_id=survey_workflow_id(kind, case_id),
        case_kind=kind,
        case_id=case_id,
        customer_id="cust-1",
        customer_tier=CustomerTier.REGULAR,
        locale=Locale.EN,
        status=SurveyStatus.SENT,
        created_at=SENT_AT,
        updated_at=events[-1].at,
        send_at=SENT_AT,
        sent_at=SENT_AT,
        expires_at=SENT_AT + timedelta(days=7),
        answer=SurveyAnswer(csat=2, resolved=False, nps=3),
        timeline=events,
        timeline_total=len(events),
    )
    return SurveyProjection(view=view)


def _event(seq: int, kind: SurveyEventKind, detail: str = "") -> SurveyEvent:
    return SurveyEvent(
        seq=seq, at=SENT_AT + timedelta(hours=seq), kind=kind, actor="redress", detail=detail
    )


SCHEDULED = _event(1, SurveyEventKind.SCHEDULED, "to be sent at ...")
SENT = _event(2, SurveyEventKind.SENT)
ANSWERED = _event(3, SurveyEventKind.ANSWERED, "csat 2, resolved no, nps 3")
RECOVERY = _event(4, SurveyEventKind.RECOVERY_OPENED, "CSAT 2/5, not resolved")
COUPON = _event(5, SurveyEventKind.COUPON_ISSUED, "20.00 CNY (CP-1)")


def test_the_complaint_timeline_gets_the_surveys_events_once(sessions: SessionFactory) -> None:
    complaint = make_projection()
    complaint_id = complaint.view.complaint_id
    sent = _survey(CaseKind.COMPLAINT, complaint_id, [SCHEDULED, SENT])
    answered = _survey(
        CaseKind.COMPLAINT, complaint_id, [SCHEDULED, SENT, ANSWERED, RECOVERY, COUPON]
    )

    with sessions() as session:
        project_complaint(session, projection=complaint)
        for projection in (sent, answered, answered, sent):  # retried, replayed, late
            project_survey(session, projection=projection)
        rows = timeline(session, complaint_id=complaint_id)
        shown = survey_events_of_case(session, case_kind=CaseKind.COMPLAINT, case_id=complaint_id)

    own = [(row.seq, row.kind) for row in rows if row.seq < SURVEY_SEQ_BASE]
    assert own == [(1, "received"), (2, "classified"), (3, "routed")]
    assert [(event.seq - SURVEY_SEQ_BASE, event.kind) for event in shown] == [
        (2, "survey_sent"),
        (3, "survey_answered"),
        (4, "recovery_started"),
    ]
    assert shown[1].detail == "csat 2, resolved no, nps 3"
    assert shown[1].at == ANSWERED.at
    assert len(rows) == 6


def test_the_return_timeline_gets_them_too(sessions: SessionFactory) -> None:
    projected = make_return_projection()
    return_id = projected.view.return_id
    unanswered = _survey(
        CaseKind.RETURN,
        return_id,
        [
            SCHEDULED,
            SENT,
            _event(3, SurveyEventKind.REMINDED),
            _event(4, SurveyEventKind.NO_ANSWER),
        ],
    )

    with sessions() as session:
        project_return(session, projection=projected)
        project_survey(session, projection=unanswered)
        rows = return_timeline(session, return_id=return_id)

    assert [row.kind for row in rows] == [
        "received",
        "eligibility",
        "survey_sent",
        "survey_reminded",
        "survey_not_answered",
    ]


def test_a_survey_of_a_case_the_store_never_held_adds_nothing(sessions: SessionFactory) -> None:
    stray = _survey(CaseKind.COMPLAINT, "CAAAAAAAAAAAA", [SCHEDULED, SENT])

    with sessions() as session:
        project_survey(session, projection=stray)
        shown = survey_events_of_case(
            session, case_kind=CaseKind.COMPLAINT, case_id="CAAAAAAAAAAAA"
        )

    assert shown == []
