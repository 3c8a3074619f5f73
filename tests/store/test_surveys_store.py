"""The survey read model: projections are idempotent, a late one changes nothing, and the
console's recovery list filters and pages."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.surveys import (
    CaseKind,
    RecoveryStatus,
    RecoveryTask,
    SurveyAnswer,
    SurveyOutcome,
    SurveyProjection,
    SurveyStatus,
    SurveyView,
    survey_workflow_id,
)
from domain.taxonomy import CustomerTier, Locale
from store.db import SessionFactory
from store.surveys import get_survey, list_recovery_tasks, project_survey

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def survey(case_id: str, *, at: datetime = START, **changes: object) -> SurveyView:
    view = SurveyView(
        survey_id=survey_workflow_id(CaseKind.COMPLAINT, case_id),
        case_kind=CaseKind.COMPLAINT,
        case_id=case_id,
        customer_id="cust-1",
        customer_tier=CustomerTier.REGULAR,
        locale=Locale.EN,
        team="quality",
        status=SurveyStatus.SENT,
        created_at=START,
        updated_at=at,
        send_at=START,
        sent_at=START,
        expires_at=START + timedelta(days=7),
    )
    return view.model_copy(update=changes)


def low_answered(case_id: str, *, at: datetime, assignee: str = "sup-1") -> SurveyView:
    return survey(
        case_id,
        at=at,
        status=SurveyStatus.RECOVERING,
        answer=SurveyAnswer(csat=1, resolved=False, comment="No."),
        answered_at=at,
        low_score=True,
        recovery=RecoveryTask(
            assignee=assignee,
            reason="CSAT 1/5, not resolved",
            opened_at=at,
            due_at=at + timedelta(days=2),
            coupon_amount=Decimal("20.00"),
            currency="CNY",
            coupon_reference="CP-000001",
        ),
    )


def test_a_projection_stores_the_answer_and_replaying_it_changes_nothing(
    sessions: SessionFactory,
) -> None:
    later = START + timedelta(days=1)
    projection = SurveyProjection(view=low_answered("C-1", at=later))

    with sessions() as session:
        project_survey(session, projection=projection)
        project_survey(session, projection=projection)
        stored = get_survey(session, survey_id="survey-complaint-C-1")
        tasks, total = list_recovery_tasks(session)

    assert stored is not None
    assert (stored.csat, stored.resolved, stored.low_score) == (1, False, True)
    assert stored.as_view().answer == projection.view.answer
    assert total == 1 and tasks[0].coupon_amount == Decimal("20.00")
    assert tasks[0].due_at == later + timedelta(days=2)


def test_a_late_projection_of_an_older_view_leaves_the_newer_one(
    sessions: SessionFactory,
) -> None:
    answered = low_answered("C-2", at=START + timedelta(days=1))
    assert answered.recovery is not None
    done = answered.model_copy(
        update={
            "updated_at": START + timedelta(days=2),
            "status": SurveyStatus.CLOSED,
            "outcome": SurveyOutcome.ANSWERED,
            "recovery": answered.recovery.model_copy(
                update={"status": RecoveryStatus.DONE, "completed_by": "sup-1"}
            ),
        }
    )

    with sessions() as session:
        project_survey(session, projection=SurveyProjection(view=done))
        project_survey(session, projection=SurveyProjection(view=answered))
        stored = get_survey(session, survey_id="survey-complaint-C-2")
        tasks, _ = list_recovery_tasks(session)

    assert stored is not None and stored.status == "closed"
    assert [(task.status, task.completed_by) for task in tasks] == [("done", "sup-1")]


def test_recovery_tasks_list_oldest_first_by_status_and_assignee(
    sessions: SessionFactory,
) -> None:
    with sessions() as session:
        for day, (case_id, assignee) in enumerate([("C-3", "sup-1"), ("C-4", "sup-2")]):
            view = low_answered(case_id, at=START + timedelta(days=day), assignee=assignee)
            project_survey(session, projection=SurveyProjection(view=view))
        project_survey(session, projection=SurveyProjection(view=survey("C-5")))

        everything, total = list_recovery_tasks(session, status="open")
        mine, mine_total = list_recovery_tasks(session, assignee="sup-2")
        page, _ = list_recovery_tasks(session, limit=1, offset=1)

    assert [task.case_id for task in everything] == ["C-3", "C-4"] and total == 2
    assert [task.case_id for task in mine] == ["C-4"] and mine_total == 1
    assert [task.case_id for task in page] == ["C-4"]
    with sessions() as session, pytest.raises(ValueError):
        list_recovery_tasks(session, limit=0)
