"""Helpers for the customer pages' tests: links as our messages carry them, the nonce of
a rendered form, and surveys sent at once instead of three days after a case closes."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlmodel import select
from temporalio.client import WorkflowHandle

from api.ids import new_complaint_id
from core.links import CaseKind as LinkCaseKind
from core.links import LinkPurpose, issue_link_token
from domain.complaints import Customer
from domain.surveys import (
    CaseKind,
    SurveyCase,
    SurveyInput,
    SurveyPolicy,
    SurveyView,
    survey_workflow_id,
)
from domain.taxonomy import CustomerTier
from store.tables.outbox import OutboxMessage
from tests.api.support import Api, eventually
from workflows.surveys import SurveyWorkflow

_NONCE = re.compile(r'name="form_token" value="(\d+\.[0-9a-f]{64})"')
_SURVEY_LINK = re.compile(r"https?://\S+/surveys/([\w\-.]+)")

# Sent the moment the case closes, open for a week, with the real policy's thresholds.
SEND_AT_ONCE = SurveyPolicy(
    send_after=timedelta(0),
    remind_after=timedelta(days=3),
    close_after=timedelta(days=7),
    low_csat_at_most=2,
    win_back_coupon={CustomerTier.REGULAR: Decimal("20")},
    recovery_window=timedelta(days=2),
)

SurveyHandle = WorkflowHandle[Any, SurveyView]


def path_of(url: str) -> str:
    """Returns the path of an absolute link (the test client talks to the app directly)."""
    return urlsplit(url).path


def form_nonce(html: str) -> str:
    """Returns the nonce of the first form on a page."""
    found = _NONCE.search(html)
    assert found is not None, "the page has no form with a nonce"
    return found.group(1)


def link_token(
    api: Api,
    kind: LinkCaseKind,
    case_id: str,
    purpose: LinkPurpose,
    *,
    expires_at: datetime | None = None,
    secret: str | None = None,
) -> str:
    """Returns a link token as `core.links` mints them (a day to go unless told)."""
    return issue_link_token(
        secret or api.settings.secret_key,
        kind=kind,
        case_id=case_id,
        purpose=purpose,
        expires_at=expires_at or datetime.now(UTC) + timedelta(days=1),
    )


async def send_survey(
    api: Api,
    *,
    kind: CaseKind = CaseKind.COMPLAINT,
    case_id: str | None = None,
    locale: str = "en",
    policy: SurveyPolicy = SEND_AT_ONCE,
) -> tuple[SurveyHandle, str]:
    """Starts the survey of a case that closed just now and returns it once it is sent,
    with the token of the link the invitation carries (read from the outbox)."""
    case_id = case_id or new_complaint_id()
    customer = Customer.model_validate(
        {"id": f"cust-{uuid.uuid4().hex[:8]}", "tier": "regular", "locale": locale}
    )
    case = SurveyCase(
        kind=kind,
        case_id=case_id,
        closed_at=datetime.now(UTC),
        customer=customer,
        team="quality",
        agent_id="agent-quality-1",
        supervisor_id="sup-quality",
    )
    handle: SurveyHandle = await api.temporal.start_workflow(
        SurveyWorkflow.run,
        SurveyInput(case=case, policy=policy),
        id=survey_workflow_id(kind, case_id),
        task_queue=api.settings.complaint_task_queue,
    )
    return handle, await eventually(lambda: invitation_token(api, customer.id))


async def invitation_token(api: Api, customer_id: str) -> str | None:
    """Returns the token of the survey link sent to `customer_id`, None before it is sent."""
    with api.sessions() as session:
        sent = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.recipient_id == customer_id,
                OutboxMessage.template == "survey_invitation",
            )
        ).first()
    found = _SURVEY_LINK.search(sent.body) if sent else None
    return found.group(1) if found else None


async def page_and_nonce(client: httpx.AsyncClient, path: str) -> tuple[httpx.Response, str]:
    """Returns a page that must have opened, and the nonce of its form."""
    shown = await client.get(path)
    assert shown.status_code == 200, shown.text
    return shown, form_nonce(shown.text)
