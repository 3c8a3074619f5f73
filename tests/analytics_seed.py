"""A complaint read model whose analytics answers are known, for the JSON endpoints' tests
and the console's analytics page.

Four complaints open inside the window (2 to 16 March 2026, Shanghai time), two outside.
Complaint C opens at 00:30 on 3 March in Shanghai, which is still 2 March in UTC: it must
count on the 3rd. Inside the window: categories logistics 2 and product_quality 2; regions
Jiangsu 2 and Zhejiang 2; tiers critical 1, serious 1 and general 2; agents a1 and a2, 2
each.

`seed_busy_weeks` writes a larger, varied month for screenshots; its answers are not
checked. Both write rows directly, not through the projection, so they rebuild the daily
roll-ups afterwards, as an import would.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from store.db import SessionFactory, make_engine, session_factory
from store.rollups import rebuild_rollups
from store.tables.complaints import ComplaintRecord, TimelineEventRecord
from store.tables.surveys import SurveyRecord

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The API's query (`until` is the day after the last one counted).
WINDOW = {"since": "2026-03-02", "until": "2026-03-16"}
# The same days as the console asks for them (both days counted).
CONSOLE_WINDOW = {"first_day": "2026-03-02", "last_day": "2026-03-15"}
HOUR = 3600
# Windows the roll-up tests read: days only; and March from its month rows, with days of
# February and April.
ROLLUP_WINDOWS = [(date(2026, 2, 10), date(2026, 3, 16)), (date(2026, 2, 20), date(2026, 4, 3))]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Returns a moment of March 2026 given in Shanghai time, as UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def complaint_row(complaint_id: str, opened: datetime, **values: Any) -> ComplaintRecord:
    """Returns a closed web complaint from a regular customer, with `values` applied."""
    defaults: dict[str, Any] = {
        "status": "closed",
        "channel": "web",
        "customer_id": f"cust-{complaint_id}",
        "customer_tier": "regular",
        "locale": "zh-CN",
        "escalation_level": "agent",
        "description": "seeded",
        "view_json": "{}",
    }
    return ComplaintRecord(
        complaint_id=complaint_id,
        created_at=opened,
        updated_at=opened,
        **(defaults | values),
    )


def survey_row(complaint_id: str, sent: datetime, **answer: Any) -> SurveyRecord:
    """Returns the complaint's survey, sent at `sent` and answered 5 hours later if
    `answer` holds anything."""
    return SurveyRecord(
        survey_id=f"survey-complaint-{complaint_id}",
        case_kind="complaint",
        case_id=complaint_id,
        status="closed",
        customer_id=f"cust-{complaint_id}",
        customer_tier="regular",
        locale="zh-CN",
        created_at=sent,
        updated_at=sent,
        sent_at=sent,
        answered_at=sent + timedelta(hours=5) if answer else None,
        view_json="{}",
        **answer,
    )


def seed_known_answers(sessions: SessionFactory) -> None:
    """Writes the six complaints, their surveys and two audit events to the store."""
    quality = {"category": "product_quality", "sub_category": "defect", "team": "quality"}
    logistics = {"category": "logistics", "team": "logistics", "assignee": "a2"}
    rows = [
        complaint_row(
            "A", at(2, 9), **quality, tier="critical", primary_sku="S1", region="Zhejiang",
            customer_tier="vip", assignee="a1", escalation_level="supervisor",
            first_response_seconds=1 * HOUR, resolution_seconds=10 * HOUR,
            root_cause="supplier_defect", customer_id="-1+1",
        ),
        complaint_row(
            "B", at(2, 23, 30), **logistics, sub_category="late_delivery", tier="general",
            channel="app", primary_sku="S2", region="Jiangsu",
            first_response_seconds=2 * HOUR, resolution_seconds=20 * HOUR,
        ),
        complaint_row(
            "C", at(3, 0, 30), **logistics, sub_category="lost_parcel", tier="serious",
            channel="app", primary_sku="S2", region="Jiangsu", status="open",
            escalation_level="supervisor", first_response_seconds=5 * HOUR,
            first_response_breached=True, sla_breached=True,
        ),
        complaint_row(
            "D", at(9, 10), **quality, tier="general", primary_sku="S1", region="Zhejiang",
            customer_tier="new", assignee="a1", escalation_level="manager", auto_resolved=True,
            first_response_seconds=3 * HOUR, resolution_seconds=30 * HOUR,
            resolution_breached=True, sla_breached=True,
        ),
        # Outside the window on either side.
        complaint_row("E", at(1, 23), **quality, assignee="a1", first_response_seconds=HOUR),
        complaint_row("F", at(16, 8), **quality, assignee="a1"),
    ]  # fmt: skip
    surveys = [
        survey_row("A", at(6, 9), csat=5, resolved=True, nps=10),
        survey_row("B", at(6, 9), csat=2, resolved=False, nps=3),
        survey_row("D", at(13, 9)),
        survey_row("E", at(5, 9), csat=1, resolved=False, nps=0),
    ]
    events = [
        TimelineEventRecord(complaint_id="A", seq=1, at=at(2, 9), kind="received", actor="system"),
        TimelineEventRecord(
            complaint_id="A", seq=2, at=at(2, 12), kind="approved", actor="sup-1",
            detail="=refund approved",
        ),
    ]  # fmt: skip
    with sessions() as session:
        session.add_all(rows)
        session.commit()
        session.add_all([*surveys, *events])
        session.commit()
        rebuild_rollups(session)
        session.commit()


def add_rows(sessions: SessionFactory, *rows: ComplaintRecord | SurveyRecord) -> None:
    """Writes more complaints or surveys straight to the store, then rebuilds the daily
    roll-ups, as an import would."""
    with sessions() as session:
        session.add_all(rows)
        session.commit()
        rebuild_rollups(session)
        session.commit()


def seed_busy_weeks(sessions: SessionFactory, *, last_day: date, complaints: int = 160) -> None:
    """Writes `complaints` varied complaints over the 28 days up to `last_day`, with
    surveys, so the analytics page has something to draw (for screenshots). The same
    seed always writes the same rows."""
    chance = Random(7)
    channels = ["web", "app", "chat", "phone", "social"]
    regions = ["Zhejiang", "Jiangsu", "Guangdong", "Shanghai", "Beijing", "Sichuan"]
    shapes = [
        ("logistics", "late_delivery", "logistics", "carrier"),
        ("logistics", "lost_parcel", "logistics", "carrier"),
        ("logistics", "damaged_in_transit", "logistics", "handling"),
        ("product_quality", "defect", "quality", "supplier_defect"),
        ("product_quality", "not_as_described", "quality", "picking_error"),
        ("payment", "double_charge", "payments", "payment_provider"),
        ("service", "slow_reply", "service", "service_failure"),
    ]
    start = datetime.combine(last_day - timedelta(days=27), time(8), tzinfo=SHANGHAI)
    rows, surveys = [], []
    for number in range(complaints):
        category, sub_category, team, cause = chance.choice(shapes)
        opened = start + timedelta(hours=chance.uniform(0, 27 * 24 + 12))
        breached = chance.random() < 0.2
        closed = chance.random() < 0.8
        complaint_id = f"BUSY{number:04d}"
        rows.append(
            complaint_row(
                complaint_id, opened.astimezone(UTC), category=category,
                sub_category=sub_category, team=team, root_cause=cause if closed else None,
                tier=chance.choices(["critical", "serious", "general"], [1, 3, 8])[0],
                channel=chance.choices(channels, [4, 5, 3, 1, 1])[0],
                customer_tier=chance.choices(["new", "regular", "vip"], [2, 6, 1])[0],
                region=chance.choice(regions), primary_sku=f"SKU-{chance.randint(1, 14):03d}",
                assignee=f"agent-{team}-{chance.randint(1, 3)}",
                status="closed" if closed else "open",
                escalation_level="supervisor" if breached else "agent",
                first_response_seconds=int(chance.uniform(0.2, 6) * HOUR),
                resolution_seconds=int(chance.uniform(2, 60) * HOUR) if closed else None,
                sla_breached=breached, resolution_breached=breached and closed,
                first_response_breached=breached and number % 2 == 0,
                auto_resolved=chance.random() < 0.1,
            )
        )  # fmt: skip
        if closed and chance.random() < 0.7:
            answered = chance.random() < 0.6
            answer = {
                "csat": chance.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 5])[0],
                "resolved": chance.random() < 0.8,
                "nps": chance.randint(0, 10),
            }
            surveys.append(
                survey_row(complaint_id, opened + timedelta(days=3), **(answer if answered else {}))
            )
    with sessions() as session:
        session.add_all(rows)
        session.commit()
        session.add_all(surveys)
        session.commit()
        rebuild_rollups(session)
        session.commit()


@contextmanager
def seeded_store(
    database_url: str, *seeds: Callable[[SessionFactory], None]
) -> Iterator[SessionFactory]:
    """Yields sessions of the store at `database_url` once each of `seeds` wrote to it, for
    tests that only read (a module's worth of them share one seeding)."""
    engine = make_engine(database_url)
    try:
        sessions = session_factory(engine)
        for seed in seeds:
            seed(sessions)
        yield sessions
    finally:
        engine.dispose()
