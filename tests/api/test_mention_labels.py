"""Mentions through the JSON API: listed newest first with the detector's decision, read
one by one, and labelled. A complaint label on a mention the detector passed over opens
one social complaint however often it is sent; a not-a-complaint label on one that
opened a complaint leaves the complaint open; a mention keeps its first label (the other
one a 409 naming who gave it); bad input is a 422 naming the field; the labels export is
the detector's training CSV, for admins only."""

import csv
import io
import json
from typing import Any

import httpx
import pytest
from sqlmodel import func, select

from domain.access import Role
from store.tables.idempotency import IdempotencyKey
from store.tables.mentions import MentionLabel
from tests.api.mention_support import COMPLAINT, NOT_A_COMPLAINT, report
from tests.api.support import Api


def label_rows(api: Api) -> int:
    with api.sessions() as session:
        return session.exec(select(func.count()).select_from(MentionLabel)).one()


async def label(
    client: httpx.AsyncClient, mention_id: str, body: Any, key: str | None = None
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return await client.post(f"/mentions/{mention_id}/label", json=body, headers=headers)


@pytest.mark.both_stores
async def test_a_complaint_label_opens_one_complaint_from_a_passed_over_mention(
    api: Api,
) -> None:
    passed = await report(api, NOT_A_COMPLAINT)
    assert passed["is_complaint"] is False and passed["complaint_id"] is None
    mention_id = passed["mention_id"]

    async with api.client_as("sup-lin", Role.SUPERVISOR) as supervisor:
        first = await label(supervisor, mention_id, {"is_complaint": True}, key="label-1")
        retried = await label(supervisor, mention_id, {"is_complaint": True}, key="label-1")
        agreed = await label(supervisor, mention_id, {"is_complaint": True}, key="label-2")
        read = await supervisor.get(f"/mentions/{mention_id}")

    assert first.status_code == 201, first.text
    outcome = first.json()
    complaint_id = outcome["complaint_id"]
    assert outcome["is_complaint"] is True and outcome["labelled_by"] == "sup-lin"
    assert outcome["status_url"] == f"/complaints/{complaint_id}"
    for again in (retried, agreed):
        assert again.status_code == 200, again.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json() == outcome
    view = await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    assert view["intake"]["channel"] == "social"
    assert view["intake"]["description"] == NOT_A_COMPLAINT
    assert read.json()["complaint_id"] == complaint_id
    assert read.json()["is_complaint"] is False, "the detector's decision stays as it was"
    assert read.json()["label"]["is_complaint"] is True
    assert label_rows(api) == 1
    with api.sessions() as session:
        keys = session.exec(
            select(IdempotencyKey).where(IdempotencyKey.complaint_id == complaint_id)
        ).all()
        assert len(keys) == 1
    # The same post reported again names the complaint its label opened.
    reported_again = await api.http.post("/mentions", json=passed["body"])
    assert reported_again.status_code == 200
    assert reported_again.json()["complaint_id"] == complaint_id


async def test_a_not_a_complaint_label_leaves_the_complaint_open(api: Api) -> None:
    opened = await report(api, COMPLAINT)
    complaint_id = opened["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")

    async with api.client_as("agent-wang", Role.AGENT) as agent:
        marked = await label(agent, opened["mention_id"], {"is_complaint": False})
        contradicted = await label(agent, opened["mention_id"], {"is_complaint": True})

    assert marked.status_code == 201, marked.text
    assert marked.json()["is_complaint"] is False
    assert marked.json()["labelled_by"] == "agent-wang"
    assert marked.json()["complaint_id"] == complaint_id
    assert contradicted.status_code == 409, contradicted.text
    problem = contradicted.json()
    assert problem["error"] == "mention_already_labelled"
    assert "not a complaint by agent-wang" in problem["message"]
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert view["status"] != "closed"
    assert label_rows(api) == 1


async def test_mentions_are_listed_newest_first_by_decision(api: Api) -> None:
    opened = await report(api, COMPLAINT)
    passed = await report(api, NOT_A_COMPLAINT)
    labelled = await report(api, NOT_A_COMPLAINT)
    assert (await label(api.http, labelled["mention_id"], {"is_complaint": False})).is_success

    async def listed(**params: Any) -> dict[str, Any]:
        response = await api.http.get("/mentions", params=params)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    everything = await listed()
    assert [item["mention_id"] for item in everything["items"]] == [
        labelled["mention_id"],
        passed["mention_id"],
        opened["mention_id"],
    ]
    first = everything["items"][2]
    assert first["text"] == COMPLAINT and first["complaint_id"] == opened["complaint_id"]
    assert first["detector"] == "mention-rules" and 0 <= first["score"] <= 1
    assert first["label"] is None
    assert [i["mention_id"] for i in (await listed(decision="opened"))["items"]] == [
        opened["mention_id"]
    ]
    assert (await listed(decision="passed_over"))["total"] == 2
    only_labelled = await listed(decision="labelled")
    assert [i["label"]["labelled_by"] for i in only_labelled["items"]] == ["admin"]
    paged = await listed(limit=2)
    assert paged["total"] == 3 and paged["next"] == "/mentions?limit=2&offset=2"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "is_complaint"),
        ({"is_complaint": "yes"}, "is_complaint"),
        ({"is_complaint": 1}, "is_complaint"),
        ({"is_complaint": True, "note": "x"}, "note"),
    ],
    ids=["missing", "a-word", "a-number", "extra"],
)
async def test_a_bad_label_is_a_422_naming_the_field(api: Api, body: Any, field: str) -> None:
    passed = await report(api, NOT_A_COMPLAINT)

    response = await label(api.http, passed["mention_id"], body)

    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["fields"]] == [field]
    assert label_rows(api) == 0


async def test_unknown_and_malformed_mentions(api: Api) -> None:
    unknown = await label(api.http, "MAAAAAAAAAAAA", {"is_complaint": True})
    malformed = await api.http.get("/mentions/not-an-id")
    bad_filter = await api.http.get("/mentions", params={"decision": "maybe"})

    assert unknown.status_code == 404 and unknown.json()["error"] == "mention_not_found"
    assert malformed.status_code == 422
    assert [f["field"] for f in malformed.json()["fields"]] == ["mention_id"]
    assert bad_filter.status_code == 422
    assert [f["field"] for f in bad_filter.json()["fields"]] == ["decision"]


async def test_a_key_reused_for_another_label_is_refused(api: Api) -> None:
    first, second = await report(api, NOT_A_COMPLAINT), await report(api, NOT_A_COMPLAINT)

    recorded = await label(api.http, first["mention_id"], {"is_complaint": False}, key="k-1")
    reused = await label(api.http, second["mention_id"], {"is_complaint": False}, key="k-1")

    assert recorded.status_code == 201
    assert reused.status_code == 422 and reused.json()["error"] == "idempotency_key_reused"
    assert label_rows(api) == 1


@pytest.mark.parametrize(
    ("role", "may_review", "may_export"),
    [
        (Role.SERVICE, True, False),
        (Role.AGENT, True, False),
        (Role.SUPERVISOR, True, False),
        (Role.WAREHOUSE, False, False),
        (Role.MONITORING, False, False),
        (Role.ADMIN, True, True),
    ],
)
async def test_who_may_read_label_and_export(
    api: Api, role: Role, may_review: bool, may_export: bool
) -> None:
    passed = await report(api, NOT_A_COMPLAINT)

    async with api.client_as(f"user-{role.value}", role) as client:
        listed = await client.get("/mentions")
        read = await client.get(f"/mentions/{passed['mention_id']}")
        labelled = await label(client, passed["mention_id"], {"is_complaint": False})
        exported = await client.get("/mentions/labels")

    assert {listed.status_code, read.status_code} == {200 if may_review else 403}
    assert labelled.status_code == (201 if may_review else 403)
    assert exported.status_code == (200 if may_export else 403)
    assert label_rows(api) == (1 if may_review else 0)


async def test_admins_export_the_labels_as_training_csv_or_json_lines(api: Api) -> None:
    passed = await report(api, NOT_A_COMPLAINT)
    opened = await report(api, COMPLAINT)
    async with api.client_as("sup-lin", Role.SUPERVISOR) as supervisor:
        await label(supervisor, passed["mention_id"], {"is_complaint": True})
        await label(supervisor, opened["mention_id"], {"is_complaint": False})

    as_csv = await api.http.get("/mentions/labels")
    as_lines = await api.http.get("/mentions/labels", params={"format": "jsonl"})
    refused = await api.http.get("/mentions/labels", params={"format": "xlsx"})

    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert "mention-labels.csv" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [(r["text"], r["is_complaint"], r["labelled_by"]) for r in rows] == [
        (NOT_A_COMPLAINT, "1", "sup-lin"),
        (COMPLAINT, "0", "sup-lin"),
    ]
    lines = [json.loads(line) for line in as_lines.text.splitlines()]
    assert [(line["text"], line["is_complaint"]) for line in lines] == [
        (NOT_A_COMPLAINT, True),
        (COMPLAINT, False),
    ]
    assert refused.status_code == 422
    assert [f["field"] for f in refused.json()["fields"]] == ["format"]


async def test_the_label_route_is_in_the_openapi_document(api: Api) -> None:
    document = (await api.http.get("/openapi.json")).json()

    route = document["paths"]["/mentions/{mention_id}/label"]["post"]
    assert route["operationId"] == "label_a_mention"
    assert {"201", "200", "404", "409", "422"} <= set(route["responses"])
    assert "get" in document["paths"]["/mentions/labels"]
    schema = document["components"]["schemas"]["MentionLabelRequest"]
    assert schema["required"] == ["is_complaint"]
