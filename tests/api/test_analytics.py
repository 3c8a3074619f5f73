"""Analytics endpoints on a read model seeded with complaints whose answers are known
(`tests.analytics_seed`: four complaints inside the window, two outside)."""

import csv
import io
from typing import Any

import pytest

from domain.access import Role
from tests.analytics_seed import WINDOW, seed_known_answers
from tests.api.support import Api


@pytest.fixture
def seeded(api: Api) -> Api:
    seed_known_answers(api.sessions)
    return api


async def _get(api: Api, path: str, **params: str) -> Any:
    response = await api.http.get(f"/analytics/{path}", params=WINDOW | params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.both_stores
async def test_breakdown_counts_each_value_in_the_window(seeded: Api) -> None:
    by_category = await _get(seeded, "breakdown", dimension="category")
    by_region = await _get(seeded, "breakdown", dimension="region", channel="app")

    assert by_category["total"] == 4
    assert [(row["key"], row["count"], row["share"]) for row in by_category["rows"]] == [
        ("logistics", 2, 0.5),
        ("product_quality", 2, 0.5),
    ]
    assert by_region["rows"] == [{"key": "Jiangsu", "count": 2, "share": 1.0}]


@pytest.mark.both_stores
async def test_trends_bucket_by_business_day_week_and_month(seeded: Api) -> None:
    daily = await _get(seeded, "trend", bucket="day")
    weekly = await _get(seeded, "trend", bucket="week", split_by="tier")
    monthly = await _get(seeded, "trend", bucket="month")

    assert [(p["bucket"], p["count"]) for p in daily["points"]] == [
        ("2026-03-02", 2),
        ("2026-03-03", 1),  # 00:30 in Shanghai, the evening before in UTC
        ("2026-03-09", 1),
    ]
    assert [(p["bucket"], p["key"], p["count"]) for p in weekly["points"]] == [
        ("2026-03-02", "critical", 1),
        ("2026-03-02", "general", 1),
        ("2026-03-02", "serious", 1),
        ("2026-03-09", "general", 1),
    ]
    assert [(p["bucket"], p["count"]) for p in monthly["points"]] == [("2026-03-01", 4)]


@pytest.mark.both_stores
async def test_service_levels_report_nearest_rank_percentiles_and_rates(seeded: Api) -> None:
    levels = await _get(seeded, "service-levels")

    assert levels["complaints"] == 4
    # First responses 1, 2, 3, 5 hours: the median is the 2nd, p90 the 4th.
    assert levels["first_response"] == {
        "measured": 4,
        "median_hours": 2.0,
        "p90_hours": 5.0,
        "within_sla_rate": 0.75,
    }
    assert levels["resolution"] == {
        "measured": 3,
        "median_hours": 20.0,
        "p90_hours": 30.0,
        "within_sla_rate": 0.6667,
    }
    assert levels["sla_breach_rate"] == 0.5
    assert levels["escalation_rate"] == 0.75
    assert levels["auto_resolution_rate"] == 0.25


@pytest.mark.both_stores
async def test_satisfaction_comes_from_the_counted_complaints_surveys(seeded: Api) -> None:
    answers = await _get(seeded, "satisfaction")

    assert answers == {
        "surveys_sent": 3,
        "answered": 2,
        "response_rate": 0.6667,
        "csat_average": 3.5,
        "csat_distribution": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1},
        "resolved_rate": 0.5,
        "nps": 0.0,
        "nps_answers": 2,
    }


@pytest.mark.both_stores
async def test_scoreboard_ranks_agents_and_teams(seeded: Api) -> None:
    agents = await _get(seeded, "scoreboard", scope="agent")
    teams = await _get(seeded, "scoreboard", scope="team")

    assert agents["rows"] == [
        {
            "key": "a1",
            "complaints": 2,
            "closed": 2,
            "sla_met_rate": 0.5,
            "median_resolution_hours": 10.0,
            "csat_average": 5.0,
            "csat_answers": 1,
            "escalation_rate": 1.0,
        },
        {
            "key": "a2",
            "complaints": 2,
            "closed": 1,
            "sla_met_rate": 0.5,
            "median_resolution_hours": 20.0,
            "csat_average": 2.0,
            "csat_answers": 1,
            "escalation_rate": 0.5,
        },
    ]
    assert [(row["key"], row["complaints"]) for row in teams["rows"]] == [
        ("logistics", 2),
        ("quality", 2),
    ]


@pytest.mark.both_stores
async def test_exports_are_csv_with_formulas_defused(seeded: Api) -> None:
    complaints = await seeded.http.get("/analytics/complaints.csv", params=WINDOW)
    audit = await seeded.http.get("/analytics/audit.csv", params=WINDOW | {"actor": "sup-1"})

    assert complaints.status_code == 200
    assert complaints.headers["content-type"].startswith("text/csv")
    assert "attachment" in complaints.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(complaints.text)))
    assert [row["complaint_id"] for row in rows] == ["A", "B", "C", "D"]
    assert rows[0]["customer_id"] == "'-1+1", "a cell a spreadsheet would compute is quoted"
    trail = list(csv.DictReader(io.StringIO(audit.text)))
    assert [(r["case_id"], r["kind"], r["actor"], r["detail"]) for r in trail] == [
        ("A", "approved", "sup-1", "'=refund approved")
    ]


async def test_only_supervisors_and_admins_see_analytics(seeded: Api) -> None:
    async with seeded.client_as("agent-7", Role.AGENT) as agent:
        refused = await agent.get("/analytics/breakdown", params=WINDOW)
    async with seeded.client_as("sup-9", Role.SUPERVISOR) as supervisor:
        allowed = await supervisor.get("/analytics/breakdown", params=WINDOW)
    assert refused.status_code == 403
    assert allowed.status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-03-16", "until": "2026-03-02"}, "since"),
        ({"since": "2020-01-01", "until": "2026-03-02"}, "until"),
        ({"category": "weather"}, "category"),
        ({"since": "yesterday"}, "since"),
    ],
)
async def test_bad_filters_are_422_naming_the_field(
    api: Api, params: dict[str, str], field: str
) -> None:
    response = await api.http.get("/analytics/breakdown", params=params)

    assert response.status_code == 422, response.text
    assert response.json()["fields"][0]["field"] == field
