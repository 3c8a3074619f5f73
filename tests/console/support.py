"""Helpers for the console's tests: a browser-like client, staff with passwords,
complaints that wait for a supervisor, and a low survey answer that opens a recovery
task."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from domain.access import Role
from domain.surveys import CaseKind, survey_workflow_id
from store.staff import create_user
from tests.api.support import Api, eventually, intake
from tests.customer.support import invitation_token, page_and_nonce

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
# Critical (a safety hazard): any compensation on it waits for a supervisor.
SAFETY_DESCRIPTION = "The blender caught fire and burned my hand: a safety hazard."


def add_staff(api: Api, user_id: str, role: Role, *, locale: str = "en") -> None:
    """Creates a staff user who signs in with PASSWORD."""
    with api.sessions() as session:
        create_user(
            session,
            user_id=user_id,
            display_name=f"{user_id} (test)",
            role=role,
            locale=locale,
            password=PASSWORD,
        )


def browser(api: Api, *, accept_language: str = "en-GB,en;q=0.8") -> httpx.AsyncClient:
    """Returns a client of the app that keeps cookies and follows no redirect, like a
    browser whose every step the test checks (set to English unless told otherwise)."""
    return httpx.AsyncClient(
        transport=api.transport,
        base_url=api.http.base_url,
        headers={"Accept-Language": accept_language},
        timeout=10,
    )


def csrf_token(html: str) -> str:
    """Returns the CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


async def sign_in(
    client: httpx.AsyncClient, user_id: str, password: str = PASSWORD
) -> httpx.Response:
    """Signs in through the form; returns the form's answer (a 303 on success)."""
    form = await client.get("/console/sign-in")
    assert form.status_code == 200, form.text
    return await client.post(
        "/console/sign-in",
        data={"user_id": user_id, "password": password, "csrf_token": csrf_token(form.text)},
    )


@asynccontextmanager
async def signed_in(
    api: Api, user_id: str, role: Role, *, locale: str = "en"
) -> AsyncIterator[httpx.AsyncClient]:
    """Yields a browser-like client signed in as a new staff user."""
    add_staff(api, user_id, role, locale=locale)
    async with browser(api) as client:
        answer = await sign_in(client, user_id)
        assert answer.status_code == 303, answer.text
        yield client


async def post_form(
    client: httpx.AsyncClient, page: str, action: str, fields: dict[str, str]
) -> httpx.Response:
    """Opens `page`, then posts `fields` to `action` with the page's CSRF token."""
    shown = await client.get(page)
    assert shown.status_code == 200, shown.text
    return await client.post(action, data={"csrf_token": csrf_token(shown.text), **fields})


async def open_awaiting_approval(api: Api, **overrides: Any) -> str:
    """Returns the id of a critical complaint whose refund proposal waits for approval,
    once the read model lists it as waiting (the inbox reads the read model)."""
    body = intake(description=SAFETY_DESCRIPTION) | overrides
    created = await api.create(body)
    assert created.status_code == 201, created.text
    complaint_id: str = created.json()["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    proposal = {
        "compensations": [{"kind": "refund", "amount": "99.00"}],
        "message": "A full refund, with our apologies.",
        "root_cause": "supplier_defect",
    }
    proposed = await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json={"action": {"type": "propose_resolution", "proposal": proposal}},
    )
    assert proposed.json()["status"] == "awaiting_approval", proposed.text

    async def listed() -> bool | None:
        page = await api.http.get("/complaints", params={"status": "awaiting_approval"})
        ids = {item["complaint_id"] for item in page.json()["items"]}
        return True if complaint_id in ids else None

    await eventually(listed)
    return complaint_id


async def answer_low_after_closing(api: Api, fields: dict[str, str]) -> tuple[str, str]:
    """Opens a complaint, lets an agent's coupon close it, then answers its survey with
    `fields` through the survey page's form, as the customer would; returns the
    complaint's id and the id of the recovery task a low answer opens. The survey policy
    must send at once (`tests.customer.support.SEND_AT_ONCE`)."""
    body = intake()
    created = await api.create(body)
    assert created.status_code == 201, created.text
    complaint_id: str = created.json()["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")
    proposal = {
        "compensations": [{"kind": "coupon", "amount": "20.00"}],
        "message": "Sorry.",
        "root_cause": "supplier_defect",
    }
    proposed = await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json={"action": {"type": "propose_resolution", "proposal": proposal}},
    )
    assert proposed.status_code == 200, proposed.text
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "closed")
    token = await eventually(lambda: invitation_token(api, body["customer"]["id"]))
    async with browser(api) as client:
        _, nonce = await page_and_nonce(client, f"/surveys/{token}")
        answered = await client.post(f"/surveys/{token}", data={"form_token": nonce, **fields})
    assert answered.status_code == 200, answered.text
    return complaint_id, survey_workflow_id(CaseKind.COMPLAINT, complaint_id)


def timeline_kinds(view: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in view["timeline"]]
