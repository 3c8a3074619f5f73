"""When a return parcel's next step falls due if no courier scan comes first: the ship
reminder, the cancellation, the carrier trace and giving the parcel up as lost; and an
exchange's: when it should have arrived, and when one flagged as stuck is looked at again."""

from datetime import timedelta

import pytest

from domain.return_policy import (
    RETURN_SHIPPING,
    exchange_checked_again_at,
    exchange_due_at,
    lost_at,
    next_parcel_deadline,
    ship_by,
)
from domain.returns import ReturnStatus, ReturnView
from tests.return_factories import REQUESTED_AT, make_return_view

LABELLED_AT = REQUESTED_AT + timedelta(minutes=5)
SHIP_BY = ship_by(LABELLED_AT)
PICKED_UP_AT = LABELLED_AT + timedelta(days=2, hours=3)


def awaiting_shipment(*, reminded: bool) -> ReturnView:
    return make_return_view(
        status=ReturnStatus.AWAITING_SHIPMENT, ship_by=SHIP_BY, ship_reminded=reminded
    )


def in_transit(*, traced: bool, picked_up: bool = True) -> ReturnView:
    return make_return_view(
        status=ReturnStatus.IN_TRANSIT,
        ship_by=SHIP_BY,
        ship_reminded=True,
        picked_up_at=PICKED_UP_AT if picked_up else None,
        trace_opened=traced,
    )


def test_ship_by_is_a_week_after_the_label() -> None:
    assert SHIP_BY == LABELLED_AT + timedelta(days=7)


def test_a_parcel_not_yet_sent_is_first_due_a_reminder_before_ship_by() -> None:
    deadline = next_parcel_deadline(awaiting_shipment(reminded=False))

    assert deadline == SHIP_BY - RETURN_SHIPPING.reminder_before == SHIP_BY - timedelta(days=2)


def test_a_reminded_parcel_never_sent_is_cancelled_a_day_after_ship_by() -> None:
    deadline = next_parcel_deadline(awaiting_shipment(reminded=True))

    assert deadline == SHIP_BY + RETURN_SHIPPING.cancel_grace == SHIP_BY + timedelta(days=1)


def test_a_parcel_in_transit_is_traced_five_days_after_pickup() -> None:
    deadline = next_parcel_deadline(in_transit(traced=False))

    assert deadline == PICKED_UP_AT + timedelta(days=5)


def test_a_traced_parcel_is_lost_as_long_again_after_its_trace() -> None:
    deadline = next_parcel_deadline(in_transit(traced=True))

    assert deadline == PICKED_UP_AT + 2 * RETURN_SHIPPING.stuck_in_transit_after
    assert deadline == PICKED_UP_AT + timedelta(days=10)


@pytest.mark.parametrize(("traced", "after"), [(False, 5), (True, 10)])
def test_without_a_pickup_time_transit_deadlines_count_from_ship_by(
    traced: bool, after: int
) -> None:
    deadline = next_parcel_deadline(in_transit(traced=traced, picked_up=False))

    assert deadline == SHIP_BY + timedelta(days=after)


def test_a_return_with_no_label_yet_has_no_parcel_deadline() -> None:
    with pytest.raises(ValueError, match="no ship-by yet"):
        next_parcel_deadline(make_return_view(status=ReturnStatus.AWAITING_SHIPMENT))


def test_an_exchange_has_as_long_to_arrive_as_a_return_parcel_before_it_is_lost() -> None:
    shipped_at = PICKED_UP_AT
    assert exchange_due_at(shipped_at) == shipped_at + timedelta(days=10)
    assert exchange_due_at(shipped_at) == lost_at(shipped_at)


def test_an_exchange_flagged_as_not_moving_is_looked_at_again_at_a_traces_pace() -> None:
    flagged_at = PICKED_UP_AT + timedelta(days=10)
    assert exchange_checked_again_at(flagged_at) == flagged_at + timedelta(days=5)
    assert (
        exchange_checked_again_at(flagged_at) == flagged_at + RETURN_SHIPPING.stuck_in_transit_after
    )
