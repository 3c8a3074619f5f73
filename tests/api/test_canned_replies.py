"""Canned replies through the API: an admin creates, reads, edits and retires templates
(kept with their usage), agents read them and get them filled in for a complaint, its
sub-category's first; refusals are JSON naming the field (an unknown placeholder in
`body` named), and change nothing."""

import uuid
from typing import Any

import httpx
import pytest

from api.canned_reply_calls import count_reply_from_template
from domain.access import Role
from tests.api.support import Api, intake

DEFECT_EN = {
    "title": "Defect: replacement on its way",
    "language": "en",
    "sub_category": "defect",
    "body": "Sorry, {{ customer_name }}: a new one for order {{ order_id }} ships today.",
}


async def create(api: Api, body: dict[str, Any], **headers: str) -> httpx.Response:
    return await api.http.post("/canned-replies", json=body, headers=headers)


async def created(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    answer = await create(api, body)
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made


async def titles(api: Api, **params: str) -> list[str]:
    listed = await api.http.get("/canned-replies", params=params)
    assert listed.status_code == 200, listed.text
    return [item["title"] for item in listed.json()["items"]]


def field_problems(answer: httpx.Response) -> dict[str, str]:
    body = answer.json()
    return {item["field"]: item["problem"] for item in body.get("fields", [])}


@pytest.mark.both_stores
async def test_an_admin_creates_edits_and_retires_a_template_kept_with_its_usage(
    store: str, api: Api
) -> None:
    answer = await create(api, DEFECT_EN)
    assert answer.status_code == 201, answer.text
    made = answer.json()
    reply_id = made["canned_reply_id"]
    assert answer.headers["Location"] == f"/canned-replies/{reply_id}"
    assert made | {"created_at": None, "updated_at": None} == {
        "canned_reply_id": reply_id,
        "title": DEFECT_EN["title"],
        "language": "en",
        "sub_category": "defect",
        "body": DEFECT_EN["body"],
        "placeholders": ["customer_name", "order_id"],
        "version": 1,
        "status": "active",
        "uses": 0,
        "created_by": "admin",
        "created_at": None,
        "updated_by": "admin",
        "updated_at": None,
        "retired_by": None,
        "retired_at": None,
    }

    edited = await api.http.patch(
        f"/canned-replies/{reply_id}",
        json={"version": 1, "sub_category": None, "title": "Replacement on its way"},
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["version"], edited.json()["sub_category"]) == (2, None)
    assert edited.json()["body"] == DEFECT_EN["body"]
    with api.sessions() as session:
        count_reply_from_template(
            session,
            canned_reply_id=reply_id,
            complaint_id="CAAAAAAAAAAAA",
            agent="agent-1",
            reply_key="act/agent-1/k",
        )

    retired = await api.http.post(f"/canned-replies/{reply_id}/retire")
    again = await api.http.post(f"/canned-replies/{reply_id}/retire")
    assert retired.status_code == 200 and again.json() == retired.json()
    assert retired.json()["status"] == "retired" and retired.json()["retired_by"] == "admin"
    assert await titles(api) == []
    listed = (await api.http.get("/canned-replies", params={"status": "retired"})).json()
    assert [(item["title"], item["uses"]) for item in listed["items"]] == [
        ("Replacement on its way", 1)
    ]
    read = await api.http.get(f"/canned-replies/{reply_id}")
    assert read.json()["uses"] == 1 and read.json()["status"] == "retired"


async def test_a_template_naming_an_unknown_placeholder_is_refused_naming_it(api: Api) -> None:
    body = DEFECT_EN | {"body": "Dear {{ custmer_name }}, order {{ order_no }} ships today."}

    answer = await create(api, body)

    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "validation_failed"
    problems = field_problems(answer)
    assert list(problems) == ["body"]
    assert "{{ custmer_name }}" in problems["body"] and "{{ order_no }}" in problems["body"]
    assert "customer_name" in problems["body"].split("the placeholders are")[1]
    assert await titles(api) == []


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": "   "}, "title", "more than spaces"),
        ({"title": "x" * 121}, "title", "120"),
        ({"language": "fr"}, "language", "zh-CN"),
        ({"sub_category": "broken"}, "sub_category", "defect"),
        ({"body": ""}, "body", "at least 1"),
        ({"body": "{% for x in order_id %}{% endfor %}"}, "body", "{% for %}"),
        ({"body": "{{ customer_name|attr('x') }}"}, "body", "no filter 'attr'"),
        ({"body": "Hi {{ customer_name"}, "body", "line 1"),
        ({"extra": 1}, "extra", "not permitted"),
    ],
)
async def test_a_bad_template_is_refused_naming_the_field_and_nothing_is_kept(
    api: Api, change: dict[str, Any], field: str, words: str
) -> None:
    answer = await create(api, DEFECT_EN | change)

    assert answer.status_code == 422, answer.text
    problems = field_problems(answer)
    assert field in problems and words in problems[field], problems
    assert await titles(api, status="all") == []


async def test_edits_are_refused_when_stale_retired_taken_or_empty(api: Api) -> None:
    first = await created(api, DEFECT_EN)
    second = await created(api, DEFECT_EN | {"title": "Defect: refund"})
    path = f"/canned-replies/{second['canned_reply_id']}"
    await api.http.patch(path, json={"version": 1, "body": "Refund sent, {{ customer_name }}."})

    stale = await api.http.patch(path, json={"version": 1, "title": "Mine"})
    taken = await api.http.patch(path, json={"version": 2, "title": first["title"].upper()})
    empty = await api.http.patch(path, json={"version": 2})
    unknown = await api.http.patch(path, json={"version": 2, "body": "{{ refund_amount }}"})
    missing = await api.http.patch("/canned-replies/999999", json={"version": 1, "title": "x"})
    await api.http.post(path + "/retire")
    retired = await api.http.patch(path, json={"version": 3, "title": "Back"})

    assert (stale.status_code, stale.json()["error"]) == (409, "canned_reply_edited_meanwhile")
    assert "version 2" in stale.json()["message"]
    assert (taken.status_code, taken.json()["error"]) == (409, "canned_reply_title_taken")
    assert field_problems(taken) == {"title": "already the title of an active template"}
    assert empty.status_code == 422 and "title, sub_category, body" in empty.text
    assert unknown.status_code == 422 and "{{ refund_amount }}" in field_problems(unknown)["body"]
    assert (missing.status_code, missing.json()["error"]) == (404, "canned_reply_not_found")
    assert (retired.status_code, retired.json()["error"]) == (409, "canned_reply_retired")
    kept = (await api.http.get(path)).json()
    assert (kept["title"], kept["body"]) == (second["title"], "Refund sent, {{ customer_name }}.")


async def test_a_creation_retried_with_its_key_makes_one_template(api: Api) -> None:
    key = f"create-{uuid.uuid4()}"

    first = await create(api, DEFECT_EN, **{"Idempotency-Key": key})
    again = await create(api, DEFECT_EN, **{"Idempotency-Key": key})
    other = await create(api, DEFECT_EN | {"title": "Another"}, **{"Idempotency-Key": key})
    taken = await create(api, DEFECT_EN)

    assert first.status_code == again.status_code == 201
    assert first.json()["canned_reply_id"] == again.json()["canned_reply_id"]
    assert (other.status_code, other.json()["error"]) == (422, "idempotency_key_reused")
    assert (taken.status_code, taken.json()["error"]) == (409, "canned_reply_title_taken")
    assert await titles(api) == [DEFECT_EN["title"]]


async def test_agents_read_templates_and_only_admins_write_them(api: Api) -> None:
    made = await created(api, DEFECT_EN)
    path = f"/canned-replies/{made['canned_reply_id']}"

    async with api.client_as("agent-canned", Role.AGENT) as agent:
        listed = await agent.get("/canned-replies", params={"language": "en"})
        read = await agent.get(path)
        placeholders = await agent.get("/canned-replies/placeholders")
        refused = [
            await agent.post("/canned-replies", json=DEFECT_EN | {"title": "Mine"}),
            await agent.patch(path, json={"version": 1, "title": "Mine"}),
            await agent.post(path + "/retire"),
        ]
    async with api.client_as("sup-canned", Role.SUPERVISOR) as supervisor:
        refused.append(await supervisor.post(path + "/retire"))
    async with api.client_as("platform", Role.SERVICE) as service:
        refused.append(await service.get("/canned-replies"))

    assert listed.status_code == read.status_code == 200
    assert [item["title"] for item in listed.json()["items"]] == [DEFECT_EN["title"]]
    kinds = {item["name"]: item["kind"] for item in placeholders.json()["items"]}
    assert kinds["paid_amount"] == "money" and kinds["resolution_due"] == "moment"
    assert kinds["customer_name"] == "text" and len(kinds) == 10
    assert [answer.status_code for answer in refused] == [403] * 5
    assert all(answer.json()["error"] == "forbidden" for answer in refused)
    assert (await api.http.get(path)).json()["version"] == 1


async def test_lists_filter_by_language_sub_category_and_general(api: Api) -> None:
    for body in (
        DEFECT_EN,
        DEFECT_EN | {"title": "Thanks for waiting", "sub_category": None},
        DEFECT_EN | {"title": "质量问题：换新", "language": "zh-CN"},
        DEFECT_EN | {"title": "Late: new date", "sub_category": "late_delivery"},
    ):
        await created(api, body)

    assert await titles(api, language="en", sub_category="defect") == [DEFECT_EN["title"]]
    assert await titles(api, sub_category="general") == ["Thanks for waiting"]
    assert await titles(api, language="zh-CN") == ["质量问题：换新"]
    bad = await api.http.get("/canned-replies", params={"sub_category": "nope", "status": "x"})
    assert bad.status_code == 422
    assert set(field_problems(bad)) == {"sub_category", "status"}


async def test_a_complaint_gets_its_templates_filled_in_its_sub_category_s_first(
    api: Api,
) -> None:
    opened = await api.create(intake())
    complaint_id = opened.json()["complaint_id"]
    view = await api.wait_for_view(complaint_id, lambda view: view["resolution"] is not None)
    # A broken blender: the rules classify it as damaged in transit.
    sub_category = view["classification"]["sub_category"]
    own = DEFECT_EN | {"sub_category": sub_category}
    for body in (
        own | {"title": "General: thanks", "sub_category": None, "body": "Thanks."},
        own,
        own | {"title": "Paid", "body": "You paid {{ paid_amount }}; by {{ resolution_due }}."},
        own | {"title": "Tracking", "body": "Tracking {{ tracking_number }}."},
        own | {"title": "Late", "sub_category": "late_delivery"},
        own | {"title": "中文", "language": "zh-CN"},
    ):
        await created(api, body)

    async with api.client_as("agent-suggest", Role.AGENT) as agent:
        answer = await agent.get(f"/complaints/{complaint_id}/canned-replies")
        unknown = await agent.get("/complaints/CZZZZZZZZZZZZ/canned-replies")

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["language"], body["sub_category"]) == ("en", sub_category)
    shown = {item["title"]: item for item in body["items"]}
    assert list(shown) == [DEFECT_EN["title"], "Paid", "Tracking", "General: thanks"]
    order_id = view["intake"]["order"]["order_id"]
    assert shown[DEFECT_EN["title"]]["text"] == (
        f"Sorry, Lin Wei: a new one for order {order_id} ships today."
    )
    assert shown["Paid"]["text"].startswith("You paid CN¥99.00; by ")
    assert shown["Paid"]["text"].endswith("+0000.")
    assert (shown["Tracking"]["text"], shown["Tracking"]["missing_value"]) == (
        None,
        "tracking_number",
    )
    assert unknown.status_code == 404
