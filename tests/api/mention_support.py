"""Mentions for the tests: posts the rules detector takes for a complaint or not, a valid
mention body with a fresh post id, and reporting one through `POST /mentions`."""

import uuid
from typing import Any

from tests.api.support import Api

COMPLAINT = (
    "@ShopSupport my blender arrived broken, the motor does not turn on at all and "
    "nobody answers my emails. Terrible service."
)
NOT_A_COMPLAINT = "@ShopSupport thanks, loving the new store! Great prices this week."


def mention(text: str, **overrides: Any) -> dict[str, Any]:
    """Returns a valid mention with a fresh post id and link."""
    post = uuid.uuid4().hex[:12]
    body: dict[str, Any] = {
        "text": text,
        "author_handle": "@lin_wei",
        "channel": "twitter",
        "link": f"https://twitter.example/lin_wei/status/{post}",
        "external_id": post,
    }
    body.update(overrides)
    return body


async def report(api: Api, text: str, **overrides: Any) -> dict[str, Any]:
    """Reports a new mention of `text`; returns the answer, with the body sent as `body`."""
    body = mention(text, **overrides)
    response = await api.http.post("/mentions", json=body)
    assert response.status_code == 201, response.text
    outcome: dict[str, Any] = response.json()
    return outcome | {"body": body}
