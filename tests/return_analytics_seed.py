"""Returns whose analytics answers are known, written through the real projection
(`store.returns.project_return`), for the store's, the API's and the console's tests.

Seven returns open inside the window of `tests.analytics_seed` (2 to 16 March 2026,
Shanghai time), one on either side outside it. R3 opens at 00:30 on 3 March in Shanghai,
still 2 March in UTC: it counts on the 3rd.

| id | opened | reason | units | status | settled | inspection | carrier |
|---|---|---|---|---|---|---|---|
| R1 | 2nd 09:00 | defective | S1 2 | completed | refund 200 CNY | accepted | SF |
| R2 | 2nd 23:30 | damaged | S1 1, S2 1 | completed | credit 150 CNY, claim 150 | partial | ZTO |
| R3 | 3rd 00:30 | damaged | S2 1 | completed | refund 80 CNY, no claim | accepted | ZTO |
| R4 | 9th | changed mind | S3 1 | exchange sent | exchange shipped | accepted | SF |
| R5 | 10th | wrong item | S1 1 | completed | nothing | wrong item | SF |
| R6 | 11th | defective | S2 1 | completed | refund 20 USD, claim 20 (lost) | none | SF |
| R7 | 12th | changed mind | S3 1 | rejected | nothing | none | none |

Root causes: R1 supplier defect, R2 and R3 handling, R6 carrier. R2's customer is a VIP.
Units sold: S1 100 on the 2nd and 50 on the 3rd, S2 40 on the 2nd (and S1 1,000 on 1
March, outside); S3 never reported.

`seed_busy_returns` writes a larger, varied month for screenshots; its answers are not
checked.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from domain.return_analytics import SkuDaySales, UnitsSold
from domain.returns import (
    ClaimReceipt,
    Eligibility,
    EligibilityDecision,
    InspectionReport,
    InspectionVerdict,
    Parcel,
    ParcelDirection,
    ReturnOutcome,
    ReturnReason,
    ReturnStatus,
    ReturnView,
    TrackingStatus,
)
from domain.taxonomy import CustomerTier, RootCause
from store.db import SessionFactory
from store.returns import project_return
from store.units_sold import record_units_sold
from tests.analytics_seed import SHANGHAI, at
from tests.factories import make_customer
from tests.return_factories import (
    make_return_line,
    make_return_projection,
    make_return_request,
    make_return_view,
)


def _parcel(carrier: str, direction: ParcelDirection = ParcelDirection.RETURN) -> Parcel:
    return Parcel(
        parcel_id=f"P-{carrier}-{direction.value}",
        tracking_number=f"T-{carrier}",
        carrier=carrier,
        direction=direction,
    )


def return_view(
    return_id: str,
    opened: datetime,
    reason: ReturnReason,
    lines: dict[str, int],
    *,
    currency: str = "CNY",
    tier: CustomerTier = CustomerTier.REGULAR,
    carrier: str | None = "SF",
    verdict: InspectionVerdict | None = None,
    **values: Any,
) -> ReturnView:
    """Returns a return opened at `opened` for `lines` (units per SKU), with `values`
    (status, outcome, totals, claim...) applied."""
    request = make_return_request(
        customer=make_customer(id=f"cust-{return_id}", tier=tier),
        reason=reason,
        lines=[make_return_line(sku=sku, quantity=n) for sku, n in lines.items()],
    )
    inspection = (
        InspectionReport(verdict=verdict, inspector="wh-1") if verdict is not None else None
    )
    values = {"updated_at": opened + timedelta(days=2)} | values
    return make_return_view(
        return_id=return_id,
        created_at=opened,
        request=request,
        eligibility=Eligibility(
            decision=EligibilityDecision.APPROVED,
            refundable_amount=Decimal("1000.00"),
            currency=currency,
        ),
        return_parcel=_parcel(carrier) if carrier else None,
        inspection=inspection,
        **values,
    )


def known_views() -> list[ReturnView]:
    """Returns the nine returns of the table above, R1 to R7 and the two outside."""
    completed = {"status": ReturnStatus.COMPLETED}
    damaged = ReturnReason.DAMAGED_IN_TRANSIT
    return [
        return_view(
            "R1", at(2, 9), ReturnReason.DEFECTIVE, {"S1": 2}, **completed,
            outcome=ReturnOutcome.REFUND, refunded_total=Decimal("200.00"),
            verdict=InspectionVerdict.ACCEPTED, root_cause=RootCause.SUPPLIER_DEFECT,
        ),
        return_view(
            "R2", at(2, 23, 30), damaged, {"S1": 1, "S2": 1}, **completed,
            carrier="ZTO", tier=CustomerTier.VIP, outcome=ReturnOutcome.STORE_CREDIT,
            store_credit_total=Decimal("150.00"), verdict=InspectionVerdict.PARTIAL,
            claim=ClaimReceipt(claim_id="CLM-000001", amount=Decimal("150.00")),
            root_cause=RootCause.HANDLING,
        ),
        return_view(
            "R3", at(3, 0, 30), damaged, {"S2": 1}, **completed, carrier="ZTO",
            outcome=ReturnOutcome.REFUND, refunded_total=Decimal("80.00"),
            verdict=InspectionVerdict.ACCEPTED, root_cause=RootCause.HANDLING,
        ),
        return_view(
            "R4", at(9, 10), ReturnReason.CHANGED_MIND, {"S3": 1},
            status=ReturnStatus.EXCHANGE_IN_TRANSIT, outcome=ReturnOutcome.EXCHANGE,
            verdict=InspectionVerdict.ACCEPTED,
            outbound_parcel=_parcel("SF", ParcelDirection.OUTBOUND),
        ),
        return_view(
            "R5", at(10, 10), ReturnReason.WRONG_ITEM, {"S1": 1}, **completed,
            verdict=InspectionVerdict.WRONG_ITEM_RETURNED,
        ),
        return_view(
            "R6", at(11, 10), ReturnReason.DEFECTIVE, {"S2": 1}, **completed, currency="USD",
            outcome=ReturnOutcome.REFUND, refunded_total=Decimal("20.00"),
            last_tracking=TrackingStatus.LOST, root_cause=RootCause.CARRIER,
            claim=ClaimReceipt(claim_id="CLM-000002", amount=Decimal("20.00")),
        ),
        return_view(
            "R7", at(12, 10), ReturnReason.CHANGED_MIND, {"S3": 1},
            status=ReturnStatus.REJECTED, carrier=None,
        ),
        # Outside the window on either side.
        return_view("R8", at(1, 23), ReturnReason.DEFECTIVE, {"S1": 5}, **completed),
        return_view("R9", at(16, 8), ReturnReason.DEFECTIVE, {"S1": 5}, **completed),
    ]  # fmt: skip


KNOWN_UNITS_SOLD = UnitsSold(
    days=[
        SkuDaySales(sku="S1", day=date(2026, 3, 2), units=100),
        SkuDaySales(sku="S1", day=date(2026, 3, 3), units=50),
        SkuDaySales(sku="S2", day=date(2026, 3, 2), units=40),
        SkuDaySales(sku="S1", day=date(2026, 3, 1), units=1000),
    ]
)


def seed_known_returns(sessions: SessionFactory) -> None:
    """Projects the nine returns and reports the units sold."""
    with sessions() as session:
        for view in known_views():
            project_return(session, projection=make_return_projection(view))
        record_units_sold(session, report=KNOWN_UNITS_SOLD)


def busy_views(*, last_day: date, returns: int = 120, seed: int = 11) -> list[ReturnView]:
    """Returns `returns` varied returns over the 28 days up to `last_day`; the same seed
    always gives the same returns."""
    chance = Random(seed)
    start = datetime.combine(last_day - timedelta(days=27), time(8), tzinfo=SHANGHAI)
    reasons = list(ReturnReason)
    causes = [RootCause.SUPPLIER_DEFECT, RootCause.HANDLING, RootCause.PICKING_ERROR, None]
    views = []
    for number in range(returns):
        reason = chance.choices(reasons, [2, 2, 4, 2, 3])[0]
        skus = {f"SKU-{chance.randint(1, 14):03d}": chance.randint(1, 3)}
        opened = (start + timedelta(hours=chance.uniform(0, 27 * 24 + 12))).astimezone(UTC)
        settled = chance.random() < 0.7
        outcome = chance.choices(list(ReturnOutcome), [6, 2, 2])[0] if settled else None
        amount = Decimal(chance.randint(20, 900))
        verdict = chance.choices(list(InspectionVerdict), [7, 1, 1, 2])[0] if settled else None
        at_fault = reason is ReturnReason.DAMAGED_IN_TRANSIT and outcome is not None
        values: dict[str, Any] = {
            "status": ReturnStatus.COMPLETED if settled else ReturnStatus.IN_TRANSIT,
            "outcome": outcome,
            "refunded_total": amount if outcome is ReturnOutcome.REFUND else Decimal(0),
            "store_credit_total": amount if outcome is ReturnOutcome.STORE_CREDIT else Decimal(0),
            "root_cause": chance.choice(causes) if settled else None,
        }
        if outcome is ReturnOutcome.EXCHANGE:
            values["outbound_parcel"] = _parcel("SF", ParcelDirection.OUTBOUND)
        if at_fault and chance.random() < 0.8:
            values["claim"] = ClaimReceipt(claim_id=f"CLM-{number:06d}", amount=amount)
        views.append(
            return_view(
                f"BUSY-R{number:04d}", opened, reason, skus, verdict=verdict,
                carrier=chance.choice(["SF", "ZTO", "YTO", "JD"]),
                tier=chance.choices(list(CustomerTier), [2, 6, 1])[0], **values,
            )
        )  # fmt: skip
    return views


def seed_busy_returns(sessions: SessionFactory, *, last_day: date, returns: int = 120) -> None:
    """Projects `busy_views` and reports units sold of each of its SKUs for every day."""
    days = [last_day - timedelta(days=offset) for offset in range(28)]
    sold = [
        SkuDaySales(sku=f"SKU-{n:03d}", day=day, units=20 + 3 * n)
        for n in range(1, 15)
        for day in days
    ]
    with sessions() as session:
        for view in busy_views(last_day=last_day, returns=returns):
            project_return(session, projection=make_return_projection(view))
        record_units_sold(session, report=UnitsSold(days=sold))
