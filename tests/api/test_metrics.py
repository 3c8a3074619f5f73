"""`GET /metrics`: request counts and latency by route template, workflow starts, and who
may read them."""

from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from domain.access import Role
from tests.api.support import Api, intake

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
