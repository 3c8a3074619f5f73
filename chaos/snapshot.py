"""What the store holds once the run is over, read once and grouped by case, so that the
checks are plain functions over plain rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session, col, select

from domain.survey_timeline import is_survey_seq
from store.db import SessionFactory
from store.tables.complaints import ComplaintRecord, TimelineEventRecord
from store.tables.couriers import CarrierClaim, SandboxParcel, SandboxParcelEvent
from store.tables.fulfillment import ReplacementOrder
from store.tables.idempotency import IdempotencyKey
from store.tables.ledger import LedgerEntry, SandboxCharge
from store.tables.outbox import OutboxMessage
from store.tables.returns import ReturnEventRecord, ReturnRecord, StockMovement
from store.tables.webhook_subscriptions import WebhookDelivery, WebhookEvent
from store.tables.webhooks import ReceivedCourierEvent

Row = TypeVar("Row")


@dataclass(frozen=True)
class Event:
    """One timeline event of a case, as the read model keeps it."""

    seq: int
    kind: str
    detail: str


@dataclass
class StoreSnapshot:
    complaints: dict[str, ComplaintRecord]
    returns: dict[str, ReturnRecord]
    # Keyed by the case's reference ("C..." or "return-R..."), oldest first.
    timelines: dict[str, list[Event]]
    ledger: dict[str, list[LedgerEntry]]
    charges: dict[str, SandboxCharge]
    replacements: dict[str, list[ReplacementOrder]]
    outbox: dict[str, list[OutboxMessage]]
    # Keyed by return id.
    parcels: dict[str, list[SandboxParcel]]
    claims: dict[str, list[CarrierClaim]]
    stock: dict[str, list[StockMovement]]
    # Keyed by parcel id.
    parcel_events: dict[str, list[SandboxParcelEvent]]
    received_events: dict[str, list[ReceivedCourierEvent]]
    idempotency_keys: dict[str, str] = field(default_factory=dict)
    # Events published for platforms, and their deliveries to every subscription.
    webhook_events: list[WebhookEvent] = field(default_factory=list)
    webhook_deliveries: list[WebhookDelivery] = field(default_factory=list)


def read_snapshot(sessions: SessionFactory) -> StoreSnapshot:
    """Returns every row the checks look at."""
    with sessions() as session:
        # Each case's own events: the checks hold its workflow to them, and its survey's
        # (added after it ended) are none of its doing.
        timelines: dict[str, list[Event]] = defaultdict(list)
        for row in _all(session, TimelineEventRecord, TimelineEventRecord.seq):
            if not is_survey_seq(row.seq):
                timelines[row.complaint_id].append(Event(row.seq, row.kind, row.detail))
        for event in _all(session, ReturnEventRecord, ReturnEventRecord.seq):
            if not is_survey_seq(event.seq):
                timelines[f"return-{event.return_id}"].append(
                    Event(event.seq, event.kind, event.detail)
                )
        return StoreSnapshot(
            complaints={r.complaint_id: r for r in _all(session, ComplaintRecord)},
            returns={r.return_id: r for r in _all(session, ReturnRecord)},
            timelines=dict(timelines),
            ledger=_grouped(_all(session, LedgerEntry, LedgerEntry.id), "complaint_id"),
            charges={c.payment_id: c for c in _all(session, SandboxCharge)},
            replacements=_grouped(
                _all(session, ReplacementOrder, ReplacementOrder.id), "complaint_id"
            ),
            outbox=_grouped(_all(session, OutboxMessage, OutboxMessage.id), "complaint_id"),
            parcels=_grouped(_all(session, SandboxParcel, SandboxParcel.created_at), "return_id"),
            claims=_grouped(_all(session, CarrierClaim), "return_id"),
            stock=_grouped(_all(session, StockMovement, StockMovement.id), "return_id"),
            parcel_events=_grouped(
                _all(session, SandboxParcelEvent, SandboxParcelEvent.seq), "parcel_id"
            ),
            received_events=_grouped(_all(session, ReceivedCourierEvent), "parcel_id"),
            idempotency_keys={k.key: k.complaint_id for k in _all(session, IdempotencyKey)},
            webhook_events=_all(session, WebhookEvent, WebhookEvent.created_at),
            webhook_deliveries=_all(session, WebhookDelivery, WebhookDelivery.id),
        )


def _all(session: Session, table: type[Row], order: object = None) -> list[Row]:
    query = select(table)
    if order is not None:
        query = query.order_by(col(order))
    return list(session.exec(query))


def _grouped(rows: list[Row], attribute: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[str(getattr(row, attribute))].append(row)
    return dict(grouped)
