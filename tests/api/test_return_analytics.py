"""Return analytics endpoints on the known returns (`tests.return_analytics_seed`: seven
returns inside the window, two outside), and units sold reported by the platform."""

from datetime import date, timedelta
from typing import Any

import pytest

from domain.access import Role
from tests.analytics_seed import WINDOW
from tests.api.support import Api
from tests.return_analytics_seed import seed_known_returns


@pytest.fixture
def seeded(api: Api) -> Api:
    seed_known_returns(api.sessions)
    return api


async def _get(api: Api, path: str, **params: str) -> Any:
    response = await api.http.get(f"/analytics/returns/{path}", params=WINDOW | params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.both_stores
async def test_return_rates_per_sku_reason_and_root_cause(seeded: Api) -> None:
    by_sku = await _get(seeded, "rates")
    by_reason = await _get(seeded, "rates", dimension="reason", sku="S1")
    by_cause = await _get(seeded, "rates", dimension="root_cause")

    assert {k: by_sku[k] for k in ("dimension", "returns", "units", "units_sold")} == {
        "dimension": "sku", "returns": 7, "units": 9, "units_sold": 190,
    }  # fmt: skip
    assert [(r["key"], r["units"], r["units_sold"], r["return_rate"]) for r in by_sku["rows"]] == [
        ("S1", 4, 150, 0.0267),
        ("S2", 3, 40, 0.075),
        ("S3", 2, None, None),
    ]
    assert (by_reason["units"], by_reason["units_sold"]) == (4, 150)
    assert [(r["key"], r["return_rate"]) for r in by_reason["rows"]] == [
        ("damaged_in_transit", 0.0067),
        ("defective", 0.0133),
        ("wrong_item", 0.0067),
    ]
    assert [(r["key"], r["returns"]) for r in by_cause["rows"]][:2] == [(None, 3), ("handling", 2)]


@pytest.mark.both_stores
async def test_settlements_claims_and_inspections(seeded: Api) -> None:
    settled = await _get(seeded, "settlements")
    claims = await _get(seeded, "claims")
    inspected = await _get(seeded, "inspections", dimension="courier")

    assert settled["dimension"] == "reason"
    assert settled["total"]["refunded"] == [
        {"currency": "CNY", "amount": "280.00"},
        {"currency": "USD", "amount": "20.00"},
    ]
    assert settled["total"]["store_credited"] == [{"currency": "CNY", "amount": "150.00"}]
    assert (settled["total"]["exchanges"], settled["total"]["completed"]) == (1, 5)
    assert claims["dimension"] == "courier"
    assert {k: claims["total"][k] for k in ("claims_due", "claims_filed", "claim_rate")} == {
        "claims_due": 3, "claims_filed": 2, "claim_rate": 0.6667,
    }  # fmt: skip
    assert [(r["key"], r["recovered"]) for r in claims["rows"]] == [
        ("ZTO", [{"currency": "CNY", "amount": "150.00"}]),
        ("SF", [{"currency": "USD", "amount": "20.00"}]),
    ]
    assert [(r["key"], r["inspected"], r["accepted_rate"]) for r in inspected["rows"]] == [
        ("SF", 3, 0.6667),
        ("ZTO", 2, 0.5),
    ]


async def test_returns_over_time_split_by_reason(seeded: Api) -> None:
    weekly = await _get(seeded, "trend", bucket="week", split_by="reason")
    vip = await _get(seeded, "trend", customer_tier="vip")

    assert weekly["total"] == 7
    assert weekly["points"][0] == {"bucket": "2026-03-02", "key": "damaged_in_transit", "count": 2}
    assert vip["points"] == [{"bucket": "2026-03-02", "key": None, "count": 1}]


async def test_returns_over_time_split_by_outcome(seeded: Api) -> None:
    weekly = await _get(seeded, "trend", bucket="week", split_by="outcome")

    assert (weekly["bucket"], weekly["split_by"], weekly["total"]) == ("week", "outcome", 7)
    # Returns not settled (R5 completed with nothing to pay, R7 rejected) have no outcome.
    assert sorted(
        (point["bucket"], point["key"] or "", point["count"]) for point in weekly["points"]
    ) == [
        ("2026-03-02", "refund", 2),
        ("2026-03-02", "store_credit", 1),
        ("2026-03-09", "", 2),
        ("2026-03-09", "exchange", 1),
        ("2026-03-09", "refund", 1),
    ]


async def test_platforms_report_units_sold_and_the_rates_follow(api: Api) -> None:
    seed_known_returns(api.sessions)
    report = {"days": [{"sku": "S3", "day": "2026-03-09", "units": 8}]}
    async with api.client_as("shop-backend", Role.SERVICE) as platform:
        first = await platform.put("/analytics/units-sold", json=report)
        again = await platform.put("/analytics/units-sold", json=report)
        reading = await platform.get("/analytics/returns/rates", params=WINDOW)

    assert first.status_code == 200, first.text
    assert first.json() == {"stored": 1, "changed": 1}
    assert again.json() == {"stored": 1, "changed": 0}
    assert reading.status_code == 403  # the platform reports; staff read
    by_sku = await _get(api, "rates")
    assert by_sku["units_sold"] == 198
    assert by_sku["rows"][2] | {"share": 0} == {
        "key": "S3", "returns": 2, "units": 2, "share": 0, "units_sold": 8, "return_rate": 0.25,
    }  # fmt: skip


async def test_only_supervisors_and_admins_read_and_only_platforms_report(api: Api) -> None:
    report = {"days": [{"sku": "S1", "day": "2026-03-02", "units": 1}]}
    async with api.client_as("agent-7", Role.AGENT) as agent:
        refused = await agent.get("/analytics/returns/claims", params=WINDOW)
        not_reported = await agent.put("/analytics/units-sold", json=report)
    async with api.client_as("sup-9", Role.SUPERVISOR) as supervisor:
        allowed = await supervisor.get("/analytics/returns/claims", params=WINDOW)
        not_a_platform = await supervisor.put("/analytics/units-sold", json=report)

    assert (refused.status_code, not_reported.status_code) == (403, 403)
    assert (allowed.status_code, not_a_platform.status_code) == (200, 403)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("rates", {"since": "2026-03-16", "until": "2026-03-02"}, "since"),
        ("rates", {"dimension": "colour"}, "dimension"),
        ("settlements", {"reason": "bored"}, "reason"),
        ("claims", {"verdict": "fine"}, "verdict"),
        ("inspections", {"sku": "x" * 65}, "sku"),
        ("trend", {"bucket": "year"}, "bucket"),
    ],
)
async def test_bad_filters_are_422_naming_the_field(
    api: Api, path: str, params: dict[str, str], field: str
) -> None:
    response = await api.http.get(f"/analytics/returns/{path}", params=params)

    assert response.status_code == 422, response.text
    assert response.json()["fields"][0]["field"] == field


GOOD = {"sku": "S9", "day": "2026-03-05", "units": 5}
LATER = str(date.today() + timedelta(days=3))


@pytest.mark.parametrize(
    ("days", "field"),
    [
        ([GOOD, {"sku": "S1", "day": "2026-03-02", "units": -1}], "days.1.units"),
        ([GOOD, {"sku": "", "day": "2026-03-02", "units": 1}], "days.1.sku"),
        ([GOOD, {"sku": "S1", "day": "2 March", "units": 1}], "days.1.day"),
        ([GOOD, {"sku": "S1", "day": LATER, "units": 1}], "days.1.day"),
        ([GOOD, {**GOOD, "units": 6}], "days.1.sku"),
        ([], "days"),
    ],
)
async def test_a_bad_units_sold_report_is_422_naming_the_field_and_stores_nothing(
    api: Api, days: list[dict[str, Any]], field: str
) -> None:
    async with api.client_as("shop-backend", Role.SERVICE) as platform:
        response = await platform.put("/analytics/units-sold", json={"days": days})

    assert response.status_code == 422, response.text
    assert response.json()["fields"][0]["field"] == field
    rates = await _get(api, "rates", sku="S9", since="2026-03-01")
    assert rates["units_sold"] is None
