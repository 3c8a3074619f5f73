"""A platform's typed client, generated from the served `/openapi.json`, drives a complaint
and a return through the API over real HTTP, with real workers on the Temporal dev server,
and reads the webhook events the worker sends it.

Every answer must parse into the generated models (enums included) with no field the
schema leaves out, and the generator must print no warning: a warning means a route or a
model is missing from every client generated from the document.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from domain.access import Role
from tests.api.generated_client import (
    generate_client,
    undeclared_fields,
    webhook_payload_models,
)
from tests.api.returns_support import return_request
from tests.api.support import Api, eventually, intake
from tests.api.test_webhook_events import worker_dispatching
from tests.live_server import serve
from tests.webhook_receiver import WebhookReceiver

# Makes a generated client signed in as a user with a role.
ClientFor = Callable[[str, Role], Any]

PACKAGE = "redress_client"
# The platform's backend holds a `service` key; staff act with their own.
PLATFORM = ("shop-backend", Role.SERVICE)
SUPERVISOR = ("supervisor-1", Role.SUPERVISOR)
# Updates wait for their workflow; a busy machine can take seconds.
CLIENT_TIMEOUT_SECONDS = 30


@pytest.fixture
async def client_for(served_api: Api, tmp_path: Path) -> AsyncIterator[ClientFor]:
    """Yields a maker of generated clients signed in as a user with a role (created if
    new), from a client package generated from the document the API serves."""
    document = (await served_api.http.get("/openapi.json")).raise_for_status().content
    generated: ModuleType = await asyncio.to_thread(
        generate_client, document, tmp_path / "client", PACKAGE
    )
    async with AsyncExitStack() as stack:

        def signed_in(user_id: str, role: Role) -> Any:
            client = generated.AuthenticatedClient(
                base_url=str(served_api.http.base_url),
                token=served_api.key_for(user_id, role),
                # A status the document does not list is an error, not a silent None.
                raise_on_unexpected_status=True,
                timeout=httpx.Timeout(CLIENT_TIMEOUT_SECONDS),
            )
            stack.push_async_callback(client.get_async_httpx_client().aclose)
            return client

        yield signed_in


async def _until(read: Any, ready: Any) -> Any:
    """Returns `read()`'s answer once `ready(answer)` holds, polling."""

    async def check() -> Any:
        answer = await read()
        return answer if ready(answer) else None

    return await eventually(check)


async def _open(operation: ModuleType, client: Any, body: Any, created: type) -> Any:
    """Returns what opening a case with `body` answered, checked to be `created`; with a
    fresh Idempotency-Key, as a platform sends one."""
    answer = await operation.asyncio(client=client, body=body, idempotency_key=str(uuid.uuid4()))
    _assert_fully_typed(answer, created)
    return answer


def _assert_fully_typed(parsed: Any, model: type) -> None:
    assert isinstance(parsed, model), f"expected {model.__name__}, got {parsed!r}"
    assert undeclared_fields(parsed) == [], "fields the schema does not declare"


async def test_a_generated_client_drives_a_complaint(client_for: ClientFor) -> None:
    # The package exists only once the fixture has generated it.
    from redress_client import models
    from redress_client.api.complaints import (
        get_complaint,
        list_complaints,
        open_complaint,
        send_customer_message,
        take_agent_action,
    )

    platform = client_for(*PLATFORM)
    body = models.ComplaintIntake.from_dict(intake())
    created = await _open(open_complaint, platform, body, models.ComplaintCreated)
    assert created.status is models.ComplaintStatus.RECEIVED
    complaint_id = created.complaint_id

    view = await _until(
        lambda: get_complaint.asyncio(complaint_id, client=platform),
        lambda view: view.status is models.ComplaintStatus.OPEN,
    )
    _assert_fully_typed(view, models.ComplaintView)
    assert isinstance(view.classification, models.Classification)
    assert isinstance(view.classification.category, models.Category)
    assert isinstance(view.routing, models.Routing)
    assert isinstance(view.first_response, models.SlaClock)
    assert view.intake.order.items[0].sku == "BLEND-200"
    assert Decimal(view.refunded_total) == 0

    # An agent's action and the customer's answer, relayed by the platform: typed both ways.
    staff = client_for(*SUPERVISOR)
    question = models.RequestInfoAction(question="Could you send a photo of the motor?")
    asked = await take_agent_action.asyncio(
        complaint_id, client=staff, body=models.AgentActionRequest(action=question)
    )
    _assert_fully_typed(asked, models.ActionResult)
    assert asked.status is models.ComplaintStatus.WAITING_ON_CUSTOMER
    answer = models.CustomerMessage(
        message="Here it is.", evidence_urls=["https://example.com/m.jpg"]
    )
    replied = await send_customer_message.asyncio(complaint_id, client=platform, body=answer)
    _assert_fully_typed(replied, models.ActionResult)
    assert replied.status is models.ComplaintStatus.OPEN

    view = await get_complaint.asyncio(complaint_id, client=platform)
    _assert_fully_typed(view, models.ComplaintView)
    kinds = [event.kind for event in view.timeline]
    assert models.TimelineKind.INFO_REQUESTED in kinds
    assert models.TimelineKind.CUSTOMER_REPLIED in kinds

    page = await list_complaints.asyncio(client=platform, customer_id=body.customer.id)
    _assert_fully_typed(page, models.ComplaintPage)
    assert [summary.complaint_id for summary in page.items] == [complaint_id]
    assert isinstance(page.items[0], models.ComplaintSummary)
    # Lists type their codes as the views do: a client switches on enums, not strings.
    assert isinstance(page.items[0].status, models.ComplaintStatus)
    assert page.items[0].channel is models.Channel(body.channel.value)

    # Errors parse too: the problem body of an unknown complaint.
    missing = await get_complaint.asyncio_detailed("C" + "A" * 12, client=platform)
    assert missing.status_code == 404
    _assert_fully_typed(missing.parsed, models.Problem)
    assert missing.parsed.error == "complaint_not_found"


async def test_a_generated_client_drives_a_return(client_for: ClientFor) -> None:
    from redress_client import models
    from redress_client.api.returns import get_return, give_consent, list_returns, open_return

    platform = client_for(*PLATFORM)
    body = models.ReturnRequest.from_dict(return_request())
    created = await _open(open_return, platform, body, models.ReturnCreated)
    assert created.status is models.ReturnStatus.REQUESTED
    return_id = created.return_id

    # Approved by the policy, the return gets a label and waits for the customer to ship.
    view = await _until(
        lambda: get_return.asyncio(return_id, client=platform),
        lambda view: isinstance(view.return_parcel, models.Parcel),
    )
    _assert_fully_typed(view, models.ReturnView)
    assert view.status is models.ReturnStatus.AWAITING_SHIPMENT
    assert isinstance(view.eligibility, models.Eligibility)
    assert isinstance(view.return_parcel.direction, models.ParcelDirection)
    assert view.request.lines[0].sku == "SHOE-42"

    # No plan waits for consent: the decision's refusal is a typed problem too.
    refused = await give_consent.asyncio_detailed(
        return_id, client=platform, body=models.ConsentDecision(accepted=True)
    )
    assert refused.status_code == 409
    _assert_fully_typed(refused.parsed, models.Problem)
    assert refused.parsed.error == "action_not_allowed"

    page = await list_returns.asyncio(client=platform, customer_id=body.customer.id)
    _assert_fully_typed(page, models.ReturnPage)
    assert [summary.return_id for summary in page.items] == [return_id]
    assert isinstance(page.items[0], models.ReturnSummary)
    assert page.items[0].status is models.ReturnStatus.AWAITING_SHIPMENT
    assert isinstance(page.items[0].reason, models.ReturnReason)


async def test_webhook_events_parse_into_the_generated_models(
    served_api: Api, client_for: ClientFor
) -> None:
    from redress_client import models
    from redress_client.api.complaints import open_complaint
    from redress_client.api.webhook_subscriptions import create_webhook_subscription

    document = (await served_api.http.get("/openapi.json")).json()
    payload_models = webhook_payload_models(document, models)
    assert set(payload_models) == set(models.CaseEventType), "an event type has no payload"

    receiver = WebhookReceiver(secret="")
    wanted = [models.CaseEventType.COMPLAINT_OPENED, models.CaseEventType.COMPLAINT_CLASSIFIED]
    with serve(receiver.app) as base_url:
        subscription = await create_webhook_subscription.asyncio(
            client=client_for("platform-admin", Role.ADMIN),
            body=models.SubscriptionCreate(url=f"{base_url}/events", event_types=wanted),
        )
        _assert_fully_typed(subscription, models.SubscriptionCreated)
        receiver.secret = subscription.secret  # verifies every delivery with it

        async with worker_dispatching(served_api):
            body = models.ComplaintIntake.from_dict(intake())
            platform = client_for(*PLATFORM)
            created = await _open(open_complaint, platform, body, models.ComplaintCreated)

            async def delivered() -> list[dict[str, Any]] | None:
                events = receiver.accepted()
                return events if len(events) >= len(wanted) else None

            events = await eventually(delivered)

    # Each case's events arrive in order: opened, then classified.
    assert [event["type"] for event in events] == wanted
    opened, classified = (payload_models[event["type"]].from_dict(event) for event in events)
    _assert_fully_typed(opened, models.ComplaintOpenedEvent)
    _assert_fully_typed(classified, models.ComplaintClassifiedEvent)
    assert opened.data.case_id == classified.data.case_id == created.complaint_id
    assert opened.data.case_kind is models.CaseKind.COMPLAINT
    assert opened.data.customer_id == body.customer.id
    assert classified.data.category in {category.value for category in models.Category}
