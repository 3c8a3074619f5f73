from datetime import timedelta
from decimal import Decimal

from temporalio.testing import ActivityEnvironment

import store.tables.returns  # noqa: F401  (not migrated yet: prepare_database creates it)
from activities.eligibility import EligibilityActivities
from activities.return_records import ReturnRecordActivities
from domain.return_policy import RETURN_RISK
from domain.returns import EligibilityDecision, EligibilityInput
from store.db import SessionFactory
from tests.factories import make_customer
from tests.return_factories import (
    REQUESTED_AT,
    make_return_projection,
    make_return_request,
    make_return_view,
)

WINDOW = timedelta(days=RETURN_RISK.serial_returner_window_days)


def project(sessions: SessionFactory, *ages: timedelta, customer_id: str = "cust-10086") -> None:
    records = ReturnRecordActivities(sessions)
    for age in ages:
        view = make_return_view(
            created_at=REQUESTED_AT - age,
            request=make_return_request(customer=make_customer(id=customer_id)),
        )
        ActivityEnvironment().run(records.project_return, make_return_projection(view))


def assess(return_id: str = "rma-now") -> EligibilityInput:
    return EligibilityInput(
        return_id=return_id, request=make_return_request(), requested_at=REQUESTED_AT
    )


def test_a_first_return_is_approved(sessions: SessionFactory) -> None:
    verdict = ActivityEnvironment().run(EligibilityActivities(sessions).assess_return, assess())

    assert verdict.decision is EligibilityDecision.APPROVED
    assert verdict.refundable_amount == Decimal("1299.00")


def test_prior_returns_in_the_window_send_a_serial_returner_to_review(
    sessions: SessionFactory,
) -> None:
    limit = RETURN_RISK.serial_returner_returns
    project(sessions, *(timedelta(days=day) for day in range(1, limit + 1)))

    verdict = ActivityEnvironment().run(EligibilityActivities(sessions).assess_return, assess())

    assert verdict.decision is EligibilityDecision.MANUAL_REVIEW
    assert verdict.reasons == [
        f"Customer cust-10086 has made {limit} other returns in the last "
        f"{RETURN_RISK.serial_returner_window_days} days (review from {limit})."
    ]


def test_returns_outside_the_window_of_others_or_this_one_do_not_count(
    sessions: SessionFactory,
) -> None:
    limit = RETURN_RISK.serial_returner_returns
    # One short of the limit inside the window...
    project(sessions, *(timedelta(days=day) for day in range(1, limit)))
    # ...plus returns too old, another customer's, and this very return (a retried check).
    project(sessions, WINDOW + timedelta(seconds=1), WINDOW + timedelta(days=30))
    project(sessions, *(timedelta(days=1) for _ in range(limit)), customer_id="cust-2")
    this_return = make_return_view(created_at=REQUESTED_AT)
    ActivityEnvironment().run(
        ReturnRecordActivities(sessions).project_return, make_return_projection(this_return)
    )

    verdict = ActivityEnvironment().run(
        EligibilityActivities(sessions).assess_return, assess(this_return.return_id)
    )

    assert verdict.decision is EligibilityDecision.APPROVED


def test_the_window_ends_when_the_return_was_requested_so_a_retry_counts_the_same(
    sessions: SessionFactory,
) -> None:
    limit = RETURN_RISK.serial_returner_returns
    # Just inside the window as of the request, however late the activity runs.
    project(sessions, *(WINDOW - timedelta(minutes=minute) for minute in range(1, limit + 1)))

    verdict = ActivityEnvironment().run(EligibilityActivities(sessions).assess_return, assess())

    assert verdict.decision is EligibilityDecision.MANUAL_REVIEW
