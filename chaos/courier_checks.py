"""Goods in motion, per return: one return parcel, the courier's every tracking event taken
by the webhook and by the workflow exactly once, a claim only for a parcel the carrier
lost, and stock put back once."""

from collections import Counter

from chaos.findings import Findings
from chaos.scenarios import Case
from chaos.snapshot import StoreSnapshot
from domain.returns import InspectionVerdict, ReturnView, TrackingStatus
from store.tables.couriers import ParcelFate


def check_parcels(
    case: Case, view: ReturnView, snapshot: StoreSnapshot, findings: Findings
) -> None:
    return_id = str(case.case_id)
    parcels = snapshot.parcels.get(return_id, [])
    coming_back = [p for p in parcels if p.direction == "return"]
    going_out = [
        p for p in parcels if p.direction == "outbound" and p.status != TrackingStatus.CANCELLED
    ]
    if not coming_back:
        findings.lose("return parcel", return_id, "the courier has no parcel for it")
        return
    if len(coming_back) > 1:
        findings.duplicate(
            "return parcel", return_id, f"{len(coming_back)} labels booked", len(coming_back) - 1
        )
    parcel = coming_back[0]
    if view.return_parcel is None or view.return_parcel.parcel_id != parcel.parcel_id:
        findings.lose(
            "return parcel", return_id, f"the workflow does not follow {parcel.parcel_id}"
        )
    findings.made["return parcels"] += 1
    expected_out = 1 if view.outbound_parcel is not None else 0
    if len(going_out) != expected_out:
        findings.duplicate(
            "outbound parcel", return_id, f"{len(going_out)} shipped, {expected_out} expected"
        )
    _check_claim(case, view, parcel.fate, snapshot, findings)
    _check_tracking(case, parcel.parcel_id, parcel.tracking_number, snapshot, findings)


def _check_claim(
    case: Case, view: ReturnView, fate: str, snapshot: StoreSnapshot, findings: Findings
) -> None:
    return_id = str(case.case_id)
    claims = snapshot.claims.get(return_id, [])
    expected = 1 if view.claim is not None else 0
    if len(claims) > expected:
        findings.duplicate(
            "carrier claim", return_id, f"{len(claims)} filed", len(claims) - expected
        )
    elif len(claims) < expected:
        findings.lose("carrier claim", return_id, "the workflow has a claim the courier never got")
    if fate == ParcelFate.LOSE and view.claim is None:
        findings.lose(
            "carrier claim", return_id, "the carrier lost the parcel and was never claimed"
        )
    findings.made["carrier claims"] += len(claims)


def _check_tracking(
    case: Case, parcel_id: str, tracking_number: str, snapshot: StoreSnapshot, findings: Findings
) -> None:
    return_id = str(case.case_id)
    sent = snapshot.parcel_events.get(parcel_id, [])
    received = Counter(e.event_id for e in snapshot.received_events.get(parcel_id, []))
    undelivered = [
        e.status for e in sent if not e.delivered_to_webhook or e.event_id not in received
    ]
    if undelivered:
        findings.lose("courier event", return_id, f"never taken by the webhook: {undelivered}")
    timeline = snapshot.timelines.get(case.ledger_case, [])
    taken = [
        event.detail.split(":", 1)[0]
        for event in timeline
        if event.kind == "tracking" and f"({tracking_number})" in event.detail
    ]
    statuses = [e.status for e in sent]
    if taken == statuses:
        findings.made["courier events taken once"] += len(taken)
    elif len(taken) > len(statuses) or len(set(taken)) < len(taken):
        findings.duplicate(
            "courier event", return_id, f"the workflow took {taken}, sent {statuses}"
        )
    else:
        findings.lose("courier event", return_id, f"the workflow took {taken}, sent {statuses}")


def check_stock(case: Case, view: ReturnView, snapshot: StoreSnapshot, findings: Findings) -> None:
    """Accepted items went back into stock once: no more, no less."""
    return_id = str(case.case_id)
    lost_in_transit = view.last_tracking is TrackingStatus.LOST
    verdict = view.inspection.verdict if view.inspection else None
    expected: Counter[str] = Counter()
    if lost_in_transit or verdict is InspectionVerdict.ACCEPTED:
        for line in view.request.lines:
            expected[line.sku] += line.quantity
    elif verdict is InspectionVerdict.PARTIAL and view.inspection is not None:
        for inspected in view.inspection.lines:
            expected[inspected.sku] += inspected.accepted_quantity
    restocked: Counter[str] = Counter()
    for movement in snapshot.stock.get(return_id, []):
        if "/restock/" in movement.idempotency_key:
            restocked[movement.sku] += movement.quantity
    if restocked != expected:
        what = "stock put back"
        detail = f"restocked {dict(restocked)}, accepted {dict(expected)}"
        if restocked.total() > expected.total():
            findings.duplicate(what, return_id, detail)
        else:
            findings.lose(what, return_id, detail)
