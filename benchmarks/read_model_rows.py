"""Synthetic complaints for the read model: a realistic mix, reproducible from a seed.

Rows go straight into the `complaints` table (and their surveys into
`survey_responses`) in large batches, the way a year of projections would have left them;
no workflow runs. Only the columns reports, lists and searches read are realistic: the
stored view is a placeholder. Each complaint's search text (`complaint_search`, which the
projection keeps) is written beside it from its description, order and customer. The
roll-ups reports read are not written here: the caller rebuilds them from these rows
(`store.rollups.rebuild_rollups`), as after an import.
"""

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, insert

from domain.taxonomy import Category, Channel, CustomerTier, RootCause, SubCategory, Tier
from store.complaint_search import search_text_of
from store.tables import table_of
from store.tables.complaint_search import ComplaintSearchRecord
from store.tables.complaints import ComplaintRecord
from store.tables.surveys import SurveyRecord

BATCH = 5000
DAYS = 365
REGIONS = ["Zhejiang", "Jiangsu", "Guangdong", "Shanghai", "Beijing", "Sichuan", "Hubei"]
TEAMS = ["quality", "logistics", "service", "payments"]
STATUSES = ["closed"] * 8 + ["open", "waiting_on_customer", "awaiting_approval", "resolving"]
HOUR = 3600
# Descriptions in the two languages customers write in, with a model number (one of
# 5,000) that makes a selective search.
PROBLEMS_ZH = [
    "快递三天没到，包裹可能丢失了",
    "收到的耳机左耳完全没有声音",
    "商品与描述不符，颜色不对",
    "同一笔订单被重复扣款两次",
    "外包装破损，杯子有裂纹",
    "客服回复太慢，等了一个星期",
    "申请退款后一直没有到账",
    "发错了商品，我买的是黑色的",
]
PROBLEMS_EN = [
    "The blender motor burned out after one use",
    "Parcel marked delivered but it never arrived",
    "Charged twice for the same order",
    "Wrong size shipped, I need an exchange",
    "Refund not received after two weeks",
    "The screen cracked in transit",
    "The courier was rude at the door",
    "The item does not match the photos",
]
CSAT_SCORES, CSAT_WEIGHTS = [1, 2, 3, 4, 5], [5, 7, 15, 35, 38]


def complaint_rows(
    count: int, *, seed: int = 7, end: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Yields `count` complaint rows opened over the year before `end`."""
    rng = random.Random(seed)
    # Words come from a generator of their own, so every other column is as before.
    words = random.Random(seed + 1)
    end = end or datetime.now(UTC)
    sub_categories = list(SubCategory)
    for number in range(count):
        opened = end - timedelta(seconds=rng.randrange(DAYS * 24 * HOUR))
        status = rng.choice(STATUSES)
        breached = rng.random() < 0.12
        team = rng.choice(TEAMS)
        first_response = int(rng.lognormvariate(8.5, 0.8))
        resolution = int(rng.lognormvariate(11, 0.9)) if status == "closed" else None
        yield {
            "complaint_id": f"B{number:012d}",
            "status": status,
            "close_reason": "resolved" if status == "closed" else None,
            "category": rng.choice(list(Category)).value,
            "sub_category": rng.choice(sub_categories).value,
            "tier": rng.choices(list(Tier), weights=[80, 17, 3])[0].value,
            "channel": rng.choice(list(Channel)).value,
            "customer_id": f"cust-{rng.randrange(count // 3 + 1)}",
            "customer_tier": rng.choices(list(CustomerTier), weights=[20, 70, 10])[0].value,
            "locale": "zh-CN",
            "order_id": f"ord-{number}",
            "primary_sku": f"SKU-{rng.randrange(5000)}",
            "paid_amount": Decimal(rng.randrange(1000, 100000)) / 100,
            "currency": "CNY",
            "region": rng.choice(REGIONS),
            "team": team,
            "assignee": f"agent-{team}-{rng.randrange(25)}",
            "escalation_level": "agent" if rng.random() < 0.8 else "supervisor",
            "sla_breached": breached,
            "first_response_seconds": first_response,
            "resolution_seconds": resolution,
            "first_response_breached": breached and rng.random() < 0.5,
            "resolution_breached": breached and resolution is not None,
            "refunded_total": Decimal("0"),
            "auto_resolved": rng.random() < 0.2,
            "root_cause": rng.choice(list(RootCause)).value if status == "closed" else None,
            "created_at": opened,
            "updated_at": opened,
            "closed_at": opened + timedelta(seconds=resolution) if resolution else None,
            "description": _description(words),
            "view_json": "{}",
        }


def _description(words: random.Random) -> str:
    problems = PROBLEMS_ZH if words.random() < 0.6 else PROBLEMS_EN
    return f"{words.choice(problems)} (model X{words.randrange(5000)})"


def search_rows(complaints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Returns the search text of each complaint, as the projection writes it."""
    return [
        {
            "complaint_id": row["complaint_id"],
            "search_text": search_text_of(
                description=row["description"],
                order_id=row["order_id"],
                customer_id=row["customer_id"],
                messages=[],
            ),
        }
        for row in complaints
    ]


def survey_rows(complaints: list[dict[str, Any]], *, seed: int = 11) -> Iterator[dict[str, Any]]:
    """Yields a survey for about half of the closed complaints, two thirds answered."""
    rng = random.Random(seed)
    for row in complaints:
        if row["status"] != "closed" or rng.random() < 0.5:
            continue
        answered = rng.random() < 0.66
        sent = row["closed_at"] + timedelta(days=3)
        yield {
            "survey_id": f"survey-complaint-{row['complaint_id']}",
            "case_kind": "complaint",
            "case_id": row["complaint_id"],
            "status": "closed",
            "outcome": "answered" if answered else "no_answer",
            "customer_id": row["customer_id"],
            "customer_tier": row["customer_tier"],
            "locale": "zh-CN",
            "team": row["team"],
            "agent_id": row["assignee"],
            "category": row["category"],
            "csat": rng.choices([1, 2, 3, 4, 5], weights=[5, 7, 15, 35, 38])[0]
            if answered
            else None,
            "resolved": rng.random() < 0.85 if answered else None,
            "nps": rng.randrange(11) if answered else None,
            "low_score": False,
            "created_at": sent,
            "updated_at": sent,
            "sent_at": sent,
            "answered_at": sent + timedelta(hours=6) if answered else None,
            "view_json": "{}",
        }


def seed_read_model(engine: Engine, count: int, *, progress: Any = None) -> None:
    """Inserts `count` complaints and their surveys in batches."""
    complaints = table_of(ComplaintRecord)
    surveys = table_of(SurveyRecord)
    batch: list[dict[str, Any]] = []
    for row in complaint_rows(count):
        batch.append(row)
        if len(batch) == BATCH:
            _write(engine, complaints, surveys, batch)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _write(engine, complaints, surveys, batch)
        if progress:
            progress(len(batch))


def _write(engine: Engine, complaints: Any, surveys: Any, batch: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        connection.execute(insert(complaints), batch)
        connection.execute(insert(table_of(ComplaintSearchRecord)), search_rows(batch))
        answered = list(survey_rows(batch))
        if answered:
            connection.execute(insert(surveys), answered)
