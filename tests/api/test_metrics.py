"""`GET /metrics`: request counts and latency by route template, workflow starts, open
cases that want a person, and who may read them."""

import threading
from datetime import timedelta

import pytest
from prometheus_client.exposition import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from sqlmodel import Session

from api.metrics import ApiMetrics
from domain.access import Role
from domain.complaints import CloseReason, ComplaintStatus
from domain.returns import ReturnStatus
from store.complaints import project_complaint
from store.returns import project_return
from tests.api.support import Api, intake
from tests.factories import make_projection, make_view
from tests.return_factories import make_return_projection, make_return_view

UNKNOWN_COMPLAINT = "C" + "A" * 12


async def _samples(api: Api, name: str) -> list[Sample]:
    response = await api.http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    families = text_string_to_metric_families(response.text)
    return [sample for family in families for sample in family.samples if sample.name == name]


def _value(samples: list[Sample], **labels: str) -> float:
    matching = [s.value for s in samples if labels.items() <= s.labels.items()]
    return sum(matching)


async def _open_cases(api: Api) -> dict[tuple[str, str], float]:
    async with api.client_as("prometheus", Role.MONITORING) as scraper:
        response = await scraper.get("/metrics")
    assert response.status_code == 200, response.text
    families = text_string_to_metric_families(response.text)
    return {
        (sample.labels["kind"], sample.labels["state"]): sample.value
        for family in families
        for sample in family.samples
        if sample.name == "redress_open_cases"
    }


async def test_requests_are_counted_by_route_template_and_status(api: Api) -> None:
    for _ in range(2):
        response = await api.http.get(f"/complaints/{UNKNOWN_COMPLAINT}")
        assert response.status_code == 404
    assert (await api.http.get("/no/such/page")).status_code == 404

    requests = await _samples(api, "redress_http_requests_total")
    latency = await _samples(api, "redress_http_request_duration_seconds_count")

    by_template = {"method": "GET", "route": "/complaints/{complaint_id}"}
    assert _value(requests, **by_template, status="404") == 2
    assert _value(latency, **by_template) == 2
    # Raw paths never become labels: what no route matches shares one series.
    assert _value(requests, route="unmatched", status="404") == 1
    assert not [s for s in requests if UNKNOWN_COMPLAINT in s.labels["route"]]
    assert not [s for s in requests if "/no/such/page" in s.labels["route"]]


@pytest.mark.both_stores
async def test_workflow_starts_are_counted_by_type_and_outcome(api: Api) -> None:
    response = await api.create(intake())
    assert response.status_code == 201, response.text

    starts = await _samples(api, "redress_workflow_starts_total")

    assert _value(starts, workflow="ComplaintWorkflow", outcome="started") == 1
    assert _value(starts, outcome="failed") == 0


async def test_only_callers_allowed_to_read_metrics_get_them(api: Api) -> None:
    async with api.client_with_token(None) as anonymous:
        assert (await anonymous.get("/metrics")).status_code == 401
    async with api.client_as("agent-quality-1", Role.AGENT) as agent:
        assert (await agent.get("/metrics")).status_code == 403
    async with api.client_as("prometheus", Role.MONITORING) as scraper:
        scrape = await scraper.get("/metrics")
        assert scrape.status_code == 200
        assert "redress_http_requests_total" in scrape.text
        # The scraper's key opens nothing else.
        assert (await scraper.get("/complaints")).status_code == 403


@pytest.mark.both_stores
async def test_open_cases_that_need_a_person_or_are_late_are_gauged(api: Api) -> None:
    stuck = make_view(needs_person=True)
    stuck_and_breached = make_view(needs_person=True, sla_breached=True)
    breached = make_view(sla_breached=True)
    closed_at = breached.created_at + timedelta(days=3)
    closed = make_view(
        needs_person=True,
        sla_breached=True,
        status=ComplaintStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        closed_at=closed_at,
    )
    late_return = make_return_view(overdue=True)
    stuck_return = make_return_view(status=ReturnStatus.SETTLING, needs_person=True)
    ended_return = make_return_view(
        overdue=True, status=ReturnStatus.CANCELLED, closed_at=late_return.created_at
    )
    with api.sessions() as session:
        for view in (stuck, stuck_and_breached, breached, make_view(), closed):
            project_complaint(session, projection=make_projection(view))
        for return_view in (late_return, stuck_return, make_return_view(), ended_return):
            project_return(session, projection=make_return_projection(return_view))

    # What is closed or cancelled waits for nobody: it is not counted.
    assert await _open_cases(api) == {
        ("complaint", "needs_person"): 2,
        ("complaint", "breached"): 2,
        ("return", "needs_person"): 1,
        ("return", "overdue"): 1,
    }


async def test_open_case_gauges_read_zero_on_an_empty_store(api: Api) -> None:
    # Present at zero, so the alerts over them always have a series to read.
    assert set((await _open_cases(api)).values()) == {0}


def _scrape(metrics: ApiMetrics) -> dict[str, float]:
    text = generate_latest(metrics.registry).decode()
    return {
        sample.name + str(sorted(sample.labels.values())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name in ("redress_open_cases", "redress_open_case_count_failures_total")
    }


def test_a_store_that_fails_leaves_the_gauges_out_and_is_counted() -> None:
    def broken_store() -> Session:
        raise ConnectionError("the database is unreachable")

    metrics = ApiMetrics()
    metrics.open_cases.read_from(broken_store)

    assert _scrape(metrics) == {
        "redress_open_case_count_failures_total['error']": 1,
        "redress_open_case_count_failures_total['timeout']": 0,
    }


def test_a_store_that_hangs_delays_a_scrape_once_and_is_not_asked_again_meanwhile() -> None:
    release = threading.Event()
    asked: list[int] = []

    def hanging_store() -> Session:
        asked.append(1)
        release.wait(10)
        raise ConnectionError("gave up")

    metrics = ApiMetrics()
    metrics.open_cases.timeout_seconds = 0.1
    metrics.open_cases.read_from(hanging_store)
    try:
        for _ in range(3):
            scraped = _scrape(metrics)
            assert "redress_open_cases" not in str(scraped)
        assert scraped["redress_open_case_count_failures_total['timeout']"] == 3
        # One query hangs; the scrapes after it do not pile more onto the store.
        assert len(asked) == 1
    finally:
        release.set()
