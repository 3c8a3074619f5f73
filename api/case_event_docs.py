"""The events platforms subscribe to, in the OpenAPI document as webhooks (`webhooks:` in
OpenAPI 3.1), so a platform generates their types with the API's client."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from domain.case_event_payloads import EVENT_MODELS

_HEADERS = (
    "Sent as a POST with `webhook-id` (the event's id, the same on every retry), "
    "`webhook-timestamp` and `webhook-signature` (Standard Webhooks, HMAC-SHA256 with the "
    "subscription's secret). Answer with any 2xx; anything else is retried "
    '(docs/api.md, "Webhooks").'
)


def _receiver(model: type[BaseModel]) -> Callable[..., Any]:
    def receive(body: model) -> None:  # type: ignore[valid-type]
        """Documents one event's body; never called."""

    return receive


def document_case_events(app: FastAPI) -> None:
    """Adds one OpenAPI webhook per event type, named after it, with its body's schema."""
    for event_type, model in EVENT_MODELS.items():
        app.webhooks.add_api_route(
            event_type.value,
            _receiver(model),
            methods=["POST"],
            name=f"{event_type.value.replace('.', '_')}_event",
            operation_id=f"{event_type.value.replace('.', '_')}_event",
            summary=f"A `{event_type.value}` event",
            description=_HEADERS,
            tags=["webhook events"],
        )
