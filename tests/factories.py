"""Realistic complaint objects for tests: call a factory, override only what the test is about.

    make_view(status=ComplaintStatus.CLOSED, assignee="agent-quality-2")
    make_intake(customer=make_customer(id="cust-vip-7", tier=CustomerTier.VIP))

Every `make_view` gets a fresh complaint id; times default to a fixed Monday morning (UTC)
so ordering assertions stay deterministic.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from domain.complaints import (
    Classification,
    ComplaintIntake,
    ComplaintProjection,
    ComplaintStatus,
    ComplaintView,
    Customer,
    OrderItem,
    OrderReference,
    Routing,
    SlaClock,
    TimelineEvent,
    TimelineKind,
)
from domain.taxonomy import Category, Channel, CustomerTier, Locale, SubCategory, Tier

OPENED_AT = datetime(2026, 11, 2, 9, 15, tzinfo=UTC)

_complaint_numbers = count(1)


def next_complaint_id() -> str:
    """Returns a complaint id no other factory call has returned in this test run."""
    return f"cmp-{next(_complaint_numbers):06d}"


def make_customer(**overrides: Any) -> Customer:
    """Returns a regular Chinese-speaking customer."""
    values: dict[str, Any] = {
        "id": "cust-10086",
        "tier": CustomerTier.REGULAR,
        "locale": Locale.ZH_CN,
        "name": "王芳",
        "email": "wang.fang@example.com",
        "phone": "+86 138 0013 8000",
    }
    return Customer(**(values | overrides))


def make_order(**overrides: Any) -> OrderReference:
    """Returns a paid two-line order (headphones and a case) in CNY."""
    values: dict[str, Any] = {
        "order_id": "ord-20261030-5521",
        "items": [
            OrderItem(
                sku="sku-hp-wh1000",
                name="Wireless headphones",
                price=Decimal("1299.00"),
                quantity=1,
            ),
            OrderItem(sku="sku-case-07", name="Headphone case", price=Decimal("89.00"), quantity=1),
        ],
        "paid_amount": Decimal("1388.00"),
        "currency": "CNY",
        "payment_id": "pay-7f3a91",
        "tracking_number": "SF1402938475",
    }
    return OrderReference(**(values | overrides))


def make_intake(**overrides: Any) -> ComplaintIntake:
    """Returns an app complaint about headphones that arrived with a dead left ear cup."""
    values: dict[str, Any] = {
        "channel": Channel.APP,
        "customer": make_customer(),
        "order": make_order(),
        "description": "收到的耳机左耳完全没有声音，换了手机也一样，要求退货或换新。",
        "evidence_urls": ["https://cdn.example.com/evidence/hp-left-silent.jpg"],
    }
    return ComplaintIntake(**(values | overrides))


def make_classification(**overrides: Any) -> Classification:
    """Returns a confident product-defect classification of general severity."""
    values: dict[str, Any] = {
        "category": Category.PRODUCT_QUALITY,
        "sub_category": SubCategory.DEFECT,
        "tier": Tier.GENERAL,
        "confidence": 0.92,
        "reasons": ["keyword: 没有声音"],
    }
    return Classification(**(values | overrides))


def make_routing(**overrides: Any) -> Routing:
    """Returns the quality team's routing with its first agent."""
    values: dict[str, Any] = {
        "team": "quality",
        "agent_id": "agent-quality-1",
        "supervisor_id": "supervisor-quality",
        "manager_id": "manager-quality",
    }
    return Routing(**(values | overrides))


def make_timeline(start: datetime = OPENED_AT, actor: str = "system") -> list[TimelineEvent]:
    """Returns the first events of a complaint: received, classified, routed."""
    kinds = (TimelineKind.RECEIVED, TimelineKind.CLASSIFIED, TimelineKind.ROUTED)
    return [
        TimelineEvent(seq=seq, at=start + timedelta(seconds=seq), kind=kind, actor=actor)
        for seq, kind in enumerate(kinds, start=1)
    ]


def make_view(**overrides: Any) -> ComplaintView:
    """Returns an open, classified and routed complaint awaiting its first reply;
    `sla_breached=True` marks its first-response clock breached (the view derives it)."""
    breached = overrides.pop("sla_breached", False)
    created_at: datetime = overrides.get("created_at", OPENED_AT)
    values: dict[str, Any] = {
        "complaint_id": next_complaint_id(),
        "status": ComplaintStatus.OPEN,
        "created_at": created_at,
        "updated_at": created_at + timedelta(seconds=3),
        "intake": make_intake(),
        "classification": make_classification(),
        "routing": make_routing(),
        "assignee": "agent-quality-1",
        "first_response": SlaClock(
            name="first_response",
            budget_seconds=24 * 3600,
            running_since=created_at,
            due_at=created_at + timedelta(hours=24),
            breached=breached,
        ),
        "resolution": SlaClock(
            name="resolution",
            budget_seconds=72 * 3600,
            running_since=created_at,
            due_at=created_at + timedelta(hours=72),
        ),
        "timeline": make_timeline(created_at),
        "timeline_total": 3,
    }
    return ComplaintView(**(values | overrides))


def make_projection(view: ComplaintView | None = None) -> ComplaintProjection:
    """Returns a projection of `view` (a fresh one by default) carrying its whole timeline."""
    view = view or make_view()
    return ComplaintProjection(view=view, new_events=list(view.timeline))
