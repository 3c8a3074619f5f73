"""What a settlement pays: accepted items, their worth under the eligibility cap, and the
refund's split across orders, each capped by what it paid."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.complaints import OrderItem
from domain.return_pricing import (
    AcceptedLine,
    accepted_lines,
    describe_accepted,
    inspection_problem,
    refunds_by_order,
    settlement_value,
    unit_price,
)
from domain.returns import (
    Eligibility,
    EligibilityDecision,
    InspectedLine,
    InspectionReport,
    InspectionVerdict,
    ReturnLine,
    ReturnOrder,
    ReturnRequest,
    TrackingStatus,
)
from tests.return_factories import make_return_line, make_return_order, make_return_request

HEADPHONES = "sku-hp-wh1000"  # 1299.00 on the default order
CASE = "sku-case-07"  # 89.00 on the default order, two bought
FIRST_ORDER = "ord-20261030-5521"  # paid 1477.00
SECOND_ORDER = "ord-20261104-0087"
CHARGER = "sku-chg-65w"


def second_order(paid: str) -> ReturnOrder:
    """Returns an order of a charger and two more cases, paid `paid` (a discount or not)."""
    return make_return_order(
        order_id=SECOND_ORDER,
        items=[
            OrderItem(sku=CHARGER, price=Decimal("199.00"), quantity=1),
            OrderItem(sku=CASE, price=Decimal("79.00"), quantity=2),
        ],
        paid_amount=Decimal(paid),
        payment_id="pay-8c01d2",
    )


def two_order_request(*, second_paid: str = "357.00") -> ReturnRequest:
    """Returns a request sending back the headphones and a case from the first order and
    the charger and both cases from the second."""
    return make_return_request(
        orders=[make_return_order(), second_order(second_paid)],
        lines=[
            make_return_line(),
            make_return_line(sku=CASE, quantity=1),
            make_return_line(order_id=SECOND_ORDER, sku=CHARGER),
            make_return_line(order_id=SECOND_ORDER, sku=CASE, quantity=2),
        ],
    )


def inspection(verdict: InspectionVerdict, **accepted: int) -> InspectionReport:
    """Returns the warehouse's report; `accepted` maps SKUs (as keywords) to quantities."""
    return InspectionReport(
        verdict=verdict,
        lines=[InspectedLine(sku=sku, accepted_quantity=qty) for sku, qty in accepted.items()],
        inspector="warehouse-7",
    )


def approved(refundable: str) -> Eligibility:
    return Eligibility(decision=EligibilityDecision.APPROVED, refundable_amount=Decimal(refundable))


def quantities(accepted: list[AcceptedLine]) -> list[tuple[str, str, int]]:
    return [(line.order_id, line.sku, qty) for line, qty in accepted]


# --- What the inspection accepted -------------------------------------------------------


def test_an_accepted_parcel_takes_back_every_line_whole() -> None:
    request = two_order_request()

    accepted = accepted_lines(request, inspection(InspectionVerdict.ACCEPTED), None)

    assert quantities(accepted) == [
        (FIRST_ORDER, HEADPHONES, 1),
        (FIRST_ORDER, CASE, 1),
        (SECOND_ORDER, CHARGER, 1),
        (SECOND_ORDER, CASE, 2),
    ]
    assert settlement_value(request, accepted, None) == Decimal("1299.00") + Decimal(
        "89.00"
    ) + Decimal("199.00") + 2 * Decimal("79.00")


def test_a_rejected_parcel_takes_back_nothing_and_is_worth_nothing() -> None:
    request = two_order_request()

    for verdict in (InspectionVerdict.DAMAGED_BY_CUSTOMER, InspectionVerdict.WRONG_ITEM_RETURNED):
        accepted = accepted_lines(request, inspection(verdict), TrackingStatus.DELIVERED)

        assert accepted == []
        assert settlement_value(request, accepted, approved("1477.00")) == 0
        assert refunds_by_order(request, accepted, Decimal("0")) == []
        assert describe_accepted(accepted) == ""


def test_a_partial_verdict_fills_lines_of_the_same_sku_in_request_order() -> None:
    # Two cases accepted of the three sent: the first order's line takes its one, the
    # second order's line the one left; the charger, missing from the report, takes none.
    request = two_order_request()
    report = inspection(InspectionVerdict.PARTIAL, **{CASE: 2, HEADPHONES: 1})

    accepted = accepted_lines(request, report, TrackingStatus.DELIVERED)

    assert quantities(accepted) == [
        (FIRST_ORDER, HEADPHONES, 1),
        (FIRST_ORDER, CASE, 1),
        (SECOND_ORDER, CASE, 1),
    ]
    assert describe_accepted(accepted) == f"{HEADPHONES} x1, {CASE} x1, {CASE} x1"
    assert settlement_value(request, accepted, None) == Decimal("1467.00")


def test_a_partial_verdict_never_accepts_more_than_a_line_sent() -> None:
    request = make_return_request(lines=[make_return_line(sku=CASE, quantity=2)])

    accepted = accepted_lines(request, inspection(InspectionVerdict.PARTIAL, **{CASE: 5}), None)

    assert quantities(accepted) == [(FIRST_ORDER, CASE, 2)]


def test_a_lost_parcel_counts_as_everything_accepted_whatever_a_report_says() -> None:
    request = two_order_request()
    everything = [(line, line.quantity) for line in request.lines]

    assert accepted_lines(request, None, TrackingStatus.LOST) == everything
    rejected = inspection(InspectionVerdict.DAMAGED_BY_CUSTOMER)
    assert accepted_lines(request, rejected, TrackingStatus.LOST) == everything


def test_a_parcel_settled_without_an_inspection_counts_as_everything_accepted() -> None:
    request = two_order_request()

    accepted = accepted_lines(request, None, TrackingStatus.DELIVERED)

    assert accepted == [(line, line.quantity) for line in request.lines]


# --- What it is worth -------------------------------------------------------------------


def test_the_value_is_capped_by_the_refundable_amount_eligibility_allowed() -> None:
    request = make_return_request(
        lines=[make_return_line(), make_return_line(sku=CASE, quantity=2)]
    )
    accepted = accepted_lines(request, inspection(InspectionVerdict.ACCEPTED), None)

    assert settlement_value(request, accepted, None) == Decimal("1477.00")
    assert settlement_value(request, accepted, approved("1400.00")) == Decimal("1400.00")
    assert settlement_value(request, accepted, approved("2000.00")) == Decimal("1477.00")


def test_a_line_whose_sku_or_order_is_unknown_is_worth_nothing() -> None:
    request = make_return_request(
        lines=[
            make_return_line(sku="sku-not-ordered"),
            make_return_line(order_id="ord-not-in-request"),
        ]
    )

    assert [unit_price(request, line) for line in request.lines] == [0, 0]
    assert settlement_value(request, [(line, 1) for line in request.lines], None) == 0


def test_a_unit_price_is_the_first_item_of_that_sku_on_the_line_s_own_order() -> None:
    request = two_order_request()

    prices = {(line.order_id, line.sku): unit_price(request, line) for line in request.lines}

    assert prices[(FIRST_ORDER, CASE)] == Decimal("89.00")
    assert prices[(SECOND_ORDER, CASE)] == Decimal("79.00")


# --- How the refund splits across orders ------------------------------------------------


def test_a_refund_splits_across_orders_each_capped_by_what_it_paid() -> None:
    # The second order was paid 300.00 after a discount, less than its 357.00 of goods.
    request = two_order_request(second_paid="300.00")
    accepted = accepted_lines(request, inspection(InspectionVerdict.ACCEPTED), None)
    value = settlement_value(request, accepted, None)

    refunds = refunds_by_order(request, accepted, value)

    assert value == Decimal("1745.00")
    assert refunds == [(FIRST_ORDER, Decimal("1388.00")), (SECOND_ORDER, Decimal("300.00"))]


def test_the_last_orders_get_what_is_left_of_a_capped_value() -> None:
    request = two_order_request()
    accepted = accepted_lines(request, inspection(InspectionVerdict.ACCEPTED), None)
    value = settlement_value(request, accepted, approved("1500.00"))

    refunds = refunds_by_order(request, accepted, value)

    assert refunds == [(FIRST_ORDER, Decimal("1388.00")), (SECOND_ORDER, Decimal("112.00"))]


def test_an_order_with_nothing_accepted_refunds_nothing() -> None:
    request = two_order_request()
    report = inspection(InspectionVerdict.PARTIAL, **{CHARGER: 1})
    accepted = accepted_lines(request, report, TrackingStatus.DELIVERED)

    refunds = refunds_by_order(request, accepted, settlement_value(request, accepted, None))

    assert refunds == [(SECOND_ORDER, Decimal("199.00"))]


def test_one_order_s_unused_payment_never_covers_another_order_s_goods() -> None:
    # The first order's 30.00 of accepted goods against its 1477.00 paid, the second's
    # 357.00 against 100.00 paid: each refunds at most its own goods and its own payment,
    # so 130.00 of the 387.00 value, not min(value, total paid).
    request = make_return_request(
        orders=[
            make_return_order(
                items=[OrderItem(sku=CASE, price=Decimal("30.00"), quantity=1)],
            ),
            second_order("100.00"),
        ],
        lines=[
            make_return_line(sku=CASE),
            make_return_line(order_id=SECOND_ORDER, sku=CHARGER),
            make_return_line(order_id=SECOND_ORDER, sku=CASE, quantity=2),
        ],
    )
    accepted = accepted_lines(request, inspection(InspectionVerdict.ACCEPTED), None)
    value = settlement_value(request, accepted, None)

    refunds = refunds_by_order(request, accepted, value)

    assert value == Decimal("387.00")
    assert refunds == [(FIRST_ORDER, Decimal("30.00")), (SECOND_ORDER, Decimal("100.00"))]


# --- The refund rule, for any request ---------------------------------------------------

SKUS = ["sku-a", "sku-b", "sku-c"]
MONEY = st.integers(min_value=0, max_value=300_000).map(lambda cents: Decimal(cents) / 100)


@st.composite
def settlements(
    draw: st.DrawFn,
) -> tuple[ReturnRequest, list[AcceptedLine], Eligibility | None]:
    """Draws a request over one to three orders (discounted, or paid in full or more),
    what the warehouse accepted of it, and the eligibility verdict's cap, if any."""
    orders, lines = [], []
    for number in range(draw(st.integers(min_value=1, max_value=3))):
        order_id = f"ord-{number}"
        skus = draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=3, unique=True))
        items = [
            OrderItem(sku=sku, price=draw(MONEY), quantity=draw(st.integers(1, 4))) for sku in skus
        ]
        orders.append(make_return_order(order_id=order_id, items=items, paid_amount=draw(MONEY)))
        lines += [
            make_return_line(order_id=order_id, sku=sku, quantity=draw(st.integers(1, 4)))
            for sku in draw(st.lists(st.sampled_from(SKUS), max_size=3, unique=True))
        ]
    lines = lines or [make_return_line(order_id="ord-0", sku=SKUS[0])]
    request = make_return_request(orders=orders, lines=lines)
    accepted = [
        (line, draw(st.integers(1, line.quantity))) for line in lines if draw(st.booleans())
    ]
    cap = draw(st.none() | MONEY)
    eligibility = None if cap is None else approved(str(cap))
    return request, accepted, eligibility


def worth_by_order(request: ReturnRequest, accepted: list[AcceptedLine]) -> dict[str, Decimal]:
    worth: dict[str, Decimal] = {}
    for line, qty in accepted:
        worth[line.order_id] = worth.get(line.order_id, Decimal("0")) + (
            unit_price(request, line) * qty
        )
    return worth


@given(settlements())
def test_refunds_stay_within_the_value_and_each_order_s_payment_and_goods(
    settlement: tuple[ReturnRequest, list[AcceptedLine], Eligibility | None],
) -> None:
    request, accepted, eligibility = settlement
    value = settlement_value(request, accepted, eligibility)
    worth = worth_by_order(request, accepted)
    paid = {order.order_id: order.paid_amount for order in request.orders}

    refunds = refunds_by_order(request, accepted, value)

    refunded = sum((amount for _, amount in refunds), Decimal("0"))
    assert refunded <= value
    assert [order_id for order_id, _ in refunds] == [
        order.order_id for order in request.orders if order.order_id in dict(refunds)
    ]
    for order_id, amount in refunds:
        assert 0 < amount <= min(paid[order_id], worth[order_id])
    # Not min(value, total paid): an order's payment covers only its own accepted goods.
    refundable = sum((min(w, paid[order_id]) for order_id, w in worth.items()), Decimal("0"))
    assert refunded == min(value, refundable)


def lines_by_sku(lines: list[ReturnLine]) -> dict[str, int]:
    sent: dict[str, int] = {}
    for line in lines:
        sent[line.sku] = sent.get(line.sku, 0) + line.quantity
    return sent


@given(settlements(), st.dictionaries(st.sampled_from(SKUS), st.integers(0, 10)))
def test_a_partial_verdict_accepts_what_the_report_says_up_to_what_was_sent(
    settlement: tuple[ReturnRequest, list[AcceptedLine], Eligibility | None],
    reported: dict[str, int],
) -> None:
    request = settlement[0]
    report = inspection(InspectionVerdict.PARTIAL, **reported)

    accepted = accepted_lines(request, report, TrackingStatus.DELIVERED)

    sent = lines_by_sku(request.lines)
    taken = lines_by_sku([line.model_copy(update={"quantity": q}) for line, q in accepted])
    assert taken == {
        sku: min(qty, sent[sku]) for sku, qty in reported.items() if sku in sent and qty
    }
    assert all(0 < qty <= line.quantity for line, qty in accepted)


def test_a_sku_returned_on_two_lines_may_be_accepted_up_to_their_sum() -> None:
    request = two_order_request()  # the case: one from the first order, two from the second
    partial = inspection(InspectionVerdict.PARTIAL, **{CASE: 3})

    assert inspection_problem(request, partial) is None
    assert quantities(accepted_lines(request, partial, None)) == [
        (FIRST_ORDER, CASE, 1),
        (SECOND_ORDER, CASE, 2),
    ]


def test_findings_accepting_more_than_came_back_or_naming_a_sku_twice_are_refused() -> None:
    request = two_order_request()
    too_many = inspection(InspectionVerdict.PARTIAL, **{CASE: 4})
    unknown = inspection(InspectionVerdict.PARTIAL, **{"sku-never-sent": 1})
    twice = InspectionReport(
        verdict=InspectionVerdict.PARTIAL,
        lines=[InspectedLine(sku=CASE, accepted_quantity=1)] * 2,
        inspector="warehouse-7",
    )

    assert inspection_problem(request, too_many) == f"{CASE}: 4 accepted but 3 returned"
    assert inspection_problem(request, unknown) == "sku-never-sent: 1 accepted but 0 returned"
    assert inspection_problem(request, twice) == f"{CASE}: named twice in the inspection"
