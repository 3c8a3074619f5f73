"""Presence on a complaint page: who else has the complaint open, and who is writing to
its customer.

The page's script (`presence.js`) reports the page every `HEARTBEAT` (reading, or writing
a reply or a question) and at once when that changes, and puts the answer, an HTML
fragment naming the others present, in place. Reports go to the store
(`store.presence`), so every API process answers alike. Without the script the page shows
no presence, and nothing else changes.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from starlette.concurrency import run_in_threadpool

from api.complaint_calls import current_complaint_view, works_on
from api.console.rendering import render
from api.console.routing import ComplaintIdPath, ConsoleRoute
from api.console.session import ConsoleProblem, SignedIn, check_form
from api.deps import SessionDep, SettingsDep, TemporalDep
from domain.presence import HEARTBEAT, PresenceState
from store.presence import present_on, record_presence

router = APIRouter(route_class=ConsoleRoute)

# Each page load's own key (`presence_panel`); anything else names no page.
PAGE_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Checked here rather than by the form's declaration, so a refusal names the field.
FormText = Annotated[str, Form()]


@dataclass(frozen=True)
class PresencePanel:
    """What the complaint page's presence panel carries for its script."""

    url: str
    page_key: str
    heartbeat_seconds: int


def presence_panel(complaint_id: str) -> PresencePanel:
    """Returns the presence panel of a complaint page being rendered, with a key of its own."""
    return PresencePanel(
        url=f"/console/complaints/{complaint_id}/presence",
        page_key=secrets.token_urlsafe(18),
        heartbeat_seconds=int(HEARTBEAT.total_seconds()),
    )


def _reported_state(raw: str) -> PresenceState:
    try:
        return PresenceState(raw)
    except ValueError:
        raise ConsoleProblem(422, "presence_state_invalid") from None


@router.post("/complaints/{complaint_id}/presence")
async def report_presence(
    request: Request,
    complaint_id: ComplaintIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    csrf_token: FormText = "",
    page_key: FormText = "",
    state: FormText = "",
) -> Response:
    """Keeps the page's report and returns who else has the complaint open now. Writing
    is reported only by those who may reply (else the 403 page, and nothing is kept)."""
    check_form(settings.secret_key, user, csrf_token)
    reported = _reported_state(state)
    if not PAGE_KEY_PATTERN.fullmatch(page_key):
        raise ConsoleProblem(422, "presence_page_key_invalid")
    view = await current_complaint_view(temporal, session, complaint_id)
    if reported is PresenceState.WRITING and not works_on(user.principal, view):
        raise ConsoleProblem(403, "forbidden_not_yours")
    now = datetime.now(UTC)
    principal = user.principal
    await run_in_threadpool(
        record_presence,
        session,
        complaint_id=complaint_id,
        user_id=principal.user_id,
        display_name=principal.display_name or principal.user_id,
        page_key=page_key,
        state=reported,
        now=now,
    )
    present = await run_in_threadpool(
        present_on, session, complaint_id=complaint_id, now=now, excluding=principal.user_id
    )
    return render(request, "complaint_presence.html", user=user, present=present)
