from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import col, select

from domain.returns import (
    Parcel,
    ParcelDirection,
    ParcelItem,
    RestockRequest,
    ReturnEvent,
    ReturnEventKind,
    ReturnOutcome,
    ReturnProjection,
    ReturnReason,
    ReturnStatus,
)
from domain.taxonomy import RootCause
from store.db import SessionFactory
from store.returns import (
    RestockKeyReused,
    count_recent_returns,
    get_return,
    list_returns,
    project_return,
    restock,
    return_for_tracking_number,
    return_timeline,
)

# Not migrated yet: importing the tables lets prepare_database create them.
from store.tables.returns import ReturnEventRecord, ReturnRecord, StockMovement
from tests.factories import make_customer
from tests.return_factories import (
    REQUESTED_AT,
    make_return_projection,
    make_return_request,
    make_return_view,
)


def store(sessions: SessionFactory, projection: ReturnProjection) -> None:
    with sessions() as session:
        project_return(session, projection=projection)


def parcel(tracking_number: str, direction: ParcelDirection, carrier: str = "sf") -> Parcel:
    return Parcel(
        parcel_id=f"parcel-{tracking_number}",
        tracking_number=tracking_number,
        carrier=carrier,
        direction=direction,
    )


# --- Projection -------------------------------------------------------------------------


def test_projecting_the_same_view_twice_stores_one_row_and_each_event_once(
    sessions: SessionFactory,
) -> None:
    projection = make_return_projection()

    store(sessions, projection)
    store(sessions, projection)

    with sessions() as session:
        rows = session.exec(select(ReturnRecord)).all()
        events = return_timeline(session, return_id=projection.view.return_id)
    assert [row.return_id for row in rows] == [projection.view.return_id]
    assert [(event.seq, event.kind) for event in events] == [(1, "received"), (2, "eligibility")]
    assert events[1].as_event() == projection.view.timeline[1]


def test_record_holds_the_view_in_columns_and_as_json(sessions: SessionFactory) -> None:
    view = make_return_view(
        status=ReturnStatus.COMPLETED,
        return_parcel=parcel("SF100", ParcelDirection.RETURN),
        outbound_parcel=parcel("SF200", ParcelDirection.OUTBOUND),
        outcome=ReturnOutcome.REFUND,
        refunded_total=Decimal("1299.00"),
        root_cause=RootCause.SUPPLIER_DEFECT,
        overdue=True,
        closed_at=REQUESTED_AT + timedelta(days=6),
    )

    store(sessions, make_return_projection(view))

    with sessions() as session:
        record = get_return(session, return_id=view.return_id)
    assert record is not None
    assert record.as_view() == view
    assert (record.status, record.reason, record.outcome, record.preferred_outcome) == (
        "completed",
        "defective",
        "refund",
        "refund",
    )
    assert (record.courier, record.return_tracking_number, record.outbound_tracking_number) == (
        "sf",
        "SF100",
        "SF200",
    )
    assert (record.refunded_total, record.currency, record.root_cause) == (
        Decimal("1299.00"),
        "CNY",
        "supplier_defect",
    )
    assert record.overdue and record.closed_at == view.closed_at
    assert (record.customer_id, record.customer_tier) == ("cust-10086", "regular")


def test_a_newer_view_wins_and_an_older_one_only_adds_its_events(
    sessions: SessionFactory,
) -> None:
    view = make_return_view()
    later = view.updated_at + timedelta(minutes=5)
    shipped = view.model_copy(
        update={
            "status": ReturnStatus.IN_TRANSIT,
            "updated_at": later,
            "return_parcel": parcel("SF300", ParcelDirection.RETURN),
        }
    )
    label = ReturnEvent(seq=3, at=later, kind=ReturnEventKind.LABEL_CREATED, actor="system")

    store(sessions, ReturnProjection(view=shipped, new_events=[label]))
    store(sessions, make_return_projection(view))  # a late retry of the older view

    with sessions() as session:
        record = get_return(session, return_id=view.return_id)
        events = return_timeline(session, return_id=view.return_id)
    assert record is not None
    assert (record.status, record.return_tracking_number) == ("in_transit", "SF300")
    assert [event.seq for event in events] == [1, 2, 3]


def test_a_return_without_events_is_stored(sessions: SessionFactory) -> None:
    view = make_return_view()

    store(sessions, ReturnProjection(view=view))

    with sessions() as session:
        assert get_return(session, return_id=view.return_id) is not None
        assert session.exec(select(ReturnEventRecord)).all() == []


# --- Lists ------------------------------------------------------------------------------


def test_lists_are_newest_first_and_filter_on_every_column(sessions: SessionFactory) -> None:
    refunded = make_return_view(
        created_at=REQUESTED_AT,
        status=ReturnStatus.COMPLETED,
        outcome=ReturnOutcome.REFUND,
        return_parcel=parcel("SF1", ParcelDirection.RETURN, carrier="sf"),
    )
    exchanged = make_return_view(
        created_at=REQUESTED_AT + timedelta(hours=1),
        status=ReturnStatus.COMPLETED,
        outcome=ReturnOutcome.EXCHANGE,
        return_parcel=parcel("YT1", ParcelDirection.RETURN, carrier="yto"),
        overdue=True,
    )
    other_customer = make_return_view(
        created_at=REQUESTED_AT + timedelta(hours=2),
        request=make_return_request(
            customer=make_customer(id="cust-2"),
            reason=ReturnReason.CHANGED_MIND,
            evidence_urls=[],
        ),
    )
    for view in (refunded, exchanged, other_customer):
        store(sessions, make_return_projection(view))

    def ids(**filters: object) -> tuple[list[str], int]:
        with sessions() as session:
            rows, total = list_returns(session, **filters)  # type: ignore[arg-type]
        return [row.return_id for row in rows], total

    assert ids() == ([other_customer.return_id, exchanged.return_id, refunded.return_id], 3)
    assert ids(status="completed") == ([exchanged.return_id, refunded.return_id], 2)
    assert ids(status=ReturnStatus.AWAITING_SHIPMENT) == ([other_customer.return_id], 1)
    assert ids(reason="changed_mind") == ([other_customer.return_id], 1)
    assert ids(outcome=ReturnOutcome.REFUND) == ([refunded.return_id], 1)
    assert ids(courier="yto") == ([exchanged.return_id], 1)
    assert ids(overdue=True) == ([exchanged.return_id], 1)
    assert ids(overdue=False, reason="defective") == ([refunded.return_id], 1)
    assert ids(customer_id="cust-2") == ([other_customer.return_id], 1)
    assert ids(limit=1, offset=1) == ([exchanged.return_id], 3)


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (201, 0), (10, -1)])
def test_lists_refuse_pages_out_of_bounds(
    sessions: SessionFactory, limit: int, offset: int
) -> None:
    with sessions() as session, pytest.raises(ValueError):
        list_returns(session, limit=limit, offset=offset)


def test_recent_returns_of_a_customer_are_counted_except_the_current_one(
    sessions: SessionFactory,
) -> None:
    old = make_return_view(created_at=REQUESTED_AT - timedelta(days=100))
    recent = [make_return_view(created_at=REQUESTED_AT - timedelta(days=d)) for d in (1, 30)]
    current = make_return_view(created_at=REQUESTED_AT)
    someone_else = make_return_view(
        request=make_return_request(customer=make_customer(id="cust-2"))
    )
    for view in (old, *recent, current, someone_else):
        store(sessions, make_return_projection(view))

    with sessions() as session:
        count = count_recent_returns(
            session,
            customer_id="cust-10086",
            exclude_return_id=current.return_id,
            since=REQUESTED_AT - timedelta(days=90),
        )
    assert count == 2


# --- Tracking numbers -------------------------------------------------------------------


def test_a_tracking_number_finds_its_return_by_either_parcel(sessions: SessionFactory) -> None:
    exchange = make_return_view(
        return_parcel=parcel("SF-RET-1", ParcelDirection.RETURN),
        outbound_parcel=parcel("SF-OUT-1", ParcelDirection.OUTBOUND),
    )
    store(sessions, make_return_projection(exchange))
    store(sessions, make_return_projection(make_return_view()))

    with sessions() as session:
        by_return = return_for_tracking_number(session, tracking_number="SF-RET-1")
        by_outbound = return_for_tracking_number(session, tracking_number="SF-OUT-1")
        unknown = return_for_tracking_number(session, tracking_number="SF-NOPE")
    assert by_return == by_outbound == exchange.return_id
    assert unknown is None


# --- Restocking -------------------------------------------------------------------------


def restock_request(key: str = "rma-1/restock", **overrides: object) -> RestockRequest:
    values: dict[str, object] = {
        "idempotency_key": key,
        "return_id": "rma-1",
        "items": [
            ParcelItem(sku="sku-hp-wh1000", quantity=1),
            ParcelItem(sku="sku-case-07", quantity=2),
        ],
    }
    return RestockRequest.model_validate(values | overrides)


def movements(sessions: SessionFactory) -> list[tuple[str, str, int]]:
    with sessions() as session:
        rows = session.exec(select(StockMovement).order_by(col(StockMovement.id))).all()
    return [(row.idempotency_key, row.sku, row.quantity) for row in rows]


def test_restocking_writes_one_movement_per_sku_once(sessions: SessionFactory) -> None:
    with sessions() as session:
        first = restock(session, request=restock_request())
    with sessions() as session:
        retry = restock(session, request=restock_request())

    assert first == retry == 3
    assert movements(sessions) == [
        ("rma-1/restock/sku-hp-wh1000", "sku-hp-wh1000", 1),
        ("rma-1/restock/sku-case-07", "sku-case-07", 2),
    ]


def test_restocking_adds_up_repeated_skus_and_skips_zero_quantities(
    sessions: SessionFactory,
) -> None:
    request = restock_request(
        items=[
            ParcelItem(sku="sku-case-07", quantity=1),
            ParcelItem(sku="sku-case-07", quantity=1),
            ParcelItem(sku="sku-hp-wh1000", quantity=0),
        ]
    )

    with sessions() as session:
        assert restock(session, request=request) == 2

    assert movements(sessions) == [("rma-1/restock/sku-case-07", "sku-case-07", 2)]


def test_a_restock_key_reused_for_other_quantities_is_refused(sessions: SessionFactory) -> None:
    with sessions() as session:
        restock(session, request=restock_request())

    other = restock_request(
        items=[ParcelItem(sku="sku-case-07", quantity=5), ParcelItem(sku="sku-new", quantity=1)]
    )
    with sessions() as session, pytest.raises(RestockKeyReused, match="sku-case-07"):
        restock(session, request=other)

    # Nothing of the refused request was written, not even its new SKU.
    assert [sku for _, sku, _ in movements(sessions)] == ["sku-hp-wh1000", "sku-case-07"]
