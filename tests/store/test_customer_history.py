"""A customer's history as the complaint page's panel reads it: their other cases open
first, their answers, and what they got back in the last twelve months, per currency."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.complaints import CompensationRecord, ComplaintStatus
from domain.returns import ReturnStatus
from domain.surveys import CaseKind, SurveyAnswer, SurveyProjection, SurveyStatus
from store.complaints import project_complaint
from store.customer_history import MAX_CASES_LISTED, customer_history
from store.db import SessionFactory
from store.returns import project_return
from store.surveys import project_survey
from tests.factories import OPENED_AT, make_customer, make_intake, make_projection, make_view
from tests.return_factories import make_return_projection, make_return_request, make_return_view
from tests.store.test_surveys_store import survey

NOW = OPENED_AT + timedelta(days=30)
CUSTOMER = make_customer(id="cust-history-1")


pytestmark = pytest.mark.both_stores


def test_other_complaints_come_open_first_then_newest_and_leave_out_the_one_shown(
    sessions: SessionFactory,
) -> None:
    views = {
        "shown": make_view(intake=make_intake(customer=CUSTOMER), created_at=NOW),
        "closed_recent": make_view(
            intake=make_intake(customer=CUSTOMER),
            status=ComplaintStatus.CLOSED,
            created_at=NOW - timedelta(days=1),
        ),
        "open_old": make_view(
            intake=make_intake(customer=CUSTOMER), created_at=NOW - timedelta(days=200)
        ),
        "waiting": make_view(
            intake=make_intake(customer=CUSTOMER),
            status=ComplaintStatus.WAITING_ON_CUSTOMER,
            created_at=NOW - timedelta(days=5),
        ),
        "someone_else": make_view(created_at=NOW - timedelta(days=2)),
    }
    with sessions() as session:
        for view in views.values():
            project_complaint(session, projection=make_projection(view))
        history = customer_history(
            session,
            customer_id=CUSTOMER.id,
            excluding_complaint=views["shown"].complaint_id,
            now=NOW,
        )

    listed = [line.case_id for line in history.complaints]
    assert listed == [
        views["waiting"].complaint_id,
        views["open_old"].complaint_id,
        views["closed_recent"].complaint_id,
    ]
    assert [line.is_open for line in history.complaints] == [True, True, False]
    assert history.complaints_total == 3


def test_lists_stop_at_their_limit_and_the_total_says_how_many_there_are(
    sessions: SessionFactory,
) -> None:
    with sessions() as session:
        for days_ago in range(MAX_CASES_LISTED + 3):
            view = make_view(
                intake=make_intake(customer=CUSTOMER), created_at=NOW - timedelta(days=days_ago)
            )
            project_complaint(session, projection=make_projection(view))
        history = customer_history(
            session, customer_id=CUSTOMER.id, excluding_complaint=None, now=NOW
        )

    assert len(history.complaints) == MAX_CASES_LISTED
    assert history.complaints_total == MAX_CASES_LISTED + 3


def test_returns_come_open_first_and_surveys_only_when_answered(
    sessions: SessionFactory,
) -> None:
    request = make_return_request(customer=CUSTOMER)
    done = make_return_view(
        request=request, status=ReturnStatus.COMPLETED, created_at=NOW - timedelta(days=1)
    )
    in_transit = make_return_view(
        request=request, status=ReturnStatus.IN_TRANSIT, created_at=NOW - timedelta(days=9)
    )
    answered = survey("C-answered", at=NOW, customer_id=CUSTOMER.id).model_copy(
        update={
            "status": SurveyStatus.CLOSED,
            "answer": SurveyAnswer(csat=2, resolved=False, comment="Slow."),
            "answered_at": NOW,
            "low_score": True,
        }
    )
    unanswered = survey("C-silent", at=NOW, customer_id=CUSTOMER.id)
    with sessions() as session:
        for view in (done, in_transit):
            project_return(session, projection=make_return_projection(view))
        for view in (answered, unanswered):
            project_survey(session, projection=SurveyProjection(view=view))
        history = customer_history(
            session, customer_id=CUSTOMER.id, excluding_complaint=None, now=NOW
        )

    assert [line.case_id for line in history.returns] == [in_transit.return_id, done.return_id]
    assert history.returns_total == 2
    assert [(s.case_kind, s.case_id, s.csat, s.low_score) for s in history.surveys] == [
        (CaseKind.COMPLAINT.value, "C-answered", 2, True)
    ]
    assert history.surveys[0].comment == "Slow."


def test_given_back_adds_the_last_year_per_currency_leaving_out_undone_steps(
    sessions: SessionFactory,
) -> None:
    def compensated(days_ago: int, *steps: CompensationRecord, currency: str = "CNY") -> None:
        view = make_view(
            intake=make_intake(customer=CUSTOMER),
            created_at=NOW - timedelta(days=days_ago),
            compensations=list(steps),
        )
        if currency != "CNY":
            order = view.intake.order
            assert order is not None
            view.intake.order = order.model_copy(update={"currency": currency})
        with sessions() as session:
            project_complaint(session, projection=make_projection(view))

    def step(kind: str, amount: str, *, undone: bool = False) -> CompensationRecord:
        return CompensationRecord(
            kind=kind, amount=Decimal(amount), reference=f"ref-{kind}-{amount}", undone=undone
        )

    compensated(10, step("refund", "100.00"), step("coupon", "20.00"))
    compensated(20, step("refund", "50.00", undone=True), step("store_credit", "30.00"))
    compensated(400, step("refund", "999.00"))  # more than a year ago
    compensated(3, step("refund", "15.00"), currency="USD")
    settled = make_return_view(
        request=make_return_request(customer=CUSTOMER),
        status=ReturnStatus.COMPLETED,
        created_at=NOW - timedelta(days=40),
        refunded_total=Decimal("200.00"),
        store_credit_total=Decimal("5.00"),
    )
    with sessions() as session:
        project_return(session, projection=make_return_projection(settled))
        history = customer_history(
            session, customer_id=CUSTOMER.id, excluding_complaint=None, now=NOW
        )

    totals = {t.currency: (t.refunded, t.compensated) for t in history.given_back}
    assert totals == {
        "CNY": (Decimal("300.00"), Decimal("55.00")),
        "USD": (Decimal("15.00"), Decimal("0")),
    }


def test_a_customer_with_nothing_has_an_empty_history(sessions: SessionFactory) -> None:
    with sessions() as session:
        history = customer_history(
            session, customer_id="cust-nobody", excluding_complaint=None, now=NOW
        )

    assert (history.complaints, history.returns, history.surveys, history.given_back) == (
        [],
        [],
        [],
        [],
    )
    assert (history.complaints_total, history.returns_total) == (0, 0)
