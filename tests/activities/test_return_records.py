import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

import store.tables.returns  # noqa: F401  (not migrated yet: prepare_database creates it)
from activities.return_records import ReturnRecordActivities
from domain.returns import ParcelItem, RestockRequest
from store.db import SessionFactory
from store.returns import get_return, return_timeline
from tests.return_factories import make_return_projection


def restock_request(quantity: int = 2) -> RestockRequest:
    return RestockRequest(
        idempotency_key="rma-1/inspected/restock",
        return_id="rma-1",
        items=[ParcelItem(sku="sku-case-07", quantity=quantity)],
    )


def test_project_return_stores_the_view_once(sessions: SessionFactory) -> None:
    records = ReturnRecordActivities(sessions)
    projection = make_return_projection()

    ActivityEnvironment().run(records.project_return, projection)
    ActivityEnvironment().run(records.project_return, projection)

    with sessions() as session:
        record = get_return(session, return_id=projection.view.return_id)
        events = return_timeline(session, return_id=projection.view.return_id)
    assert record is not None and record.as_view() == projection.view
    assert [event.seq for event in events] == [1, 2]


def test_restock_items_answers_the_same_on_a_retry(sessions: SessionFactory) -> None:
    records = ReturnRecordActivities(sessions)

    first = ActivityEnvironment().run(records.restock_items, restock_request())
    retry = ActivityEnvironment().run(records.restock_items, restock_request())

    assert first == retry == 2


@pytest.mark.parametrize(
    ("quantity", "error_type"), [(3, "IdempotencyKeyReused"), (-1, "InvalidRestockRequest")]
)
def test_a_restock_that_can_never_succeed_fails_for_good(
    sessions: SessionFactory, quantity: int, error_type: str
) -> None:
    records = ReturnRecordActivities(sessions)
    ActivityEnvironment().run(records.restock_items, restock_request())

    with pytest.raises(ApplicationError) as raised:
        ActivityEnvironment().run(records.restock_items, restock_request(quantity))

    assert (raised.value.type, raised.value.non_retryable) == (error_type, True)
