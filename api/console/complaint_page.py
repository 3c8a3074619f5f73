"""One complaint: its details and its live timeline from the workflow query.

The page reads the complaint as `GET /complaints/{id}` does (the workflow's `view` query,
the read model when no worker answers). A few lines of script fetch the live part again
every few seconds (`/live`, an HTML fragment), so no front-end build is needed.
"""

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from api.complaint_calls import current_complaint_view
from api.console.canned_reply_picker import reply_picker
from api.console.complaint_workspace import workspace_for
from api.console.merge_panel import merge_panel
from api.console.presence import presence_panel
from api.console.rendering import render
from api.console.routing import ComplaintIdPath, ConsoleRoute
from api.console.session import SignedIn
from api.deps import SessionDep, TemporalDep
from api.evidence_views import evidence_shown
from core.links import CaseKind
from store.customer_history import customer_history

router = APIRouter(route_class=ConsoleRoute)

LIVE_REFRESH_SECONDS = 3


@router.get("/complaints/{complaint_id}")
async def complaint_page(
    request: Request,
    complaint_id: ComplaintIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
) -> Response:
    """Shows the complaint with its live timeline and the customer's history."""
    view = await current_complaint_view(temporal, session, complaint_id)
    evidence = await evidence_shown(
        session,
        case_kind=CaseKind.COMPLAINT.value,
        case_id=complaint_id,
        url_of=lambda sha256: f"/complaints/{complaint_id}/evidence/{sha256}",
    )
    history = await run_in_threadpool(
        customer_history,
        session,
        customer_id=view.intake.customer.id,
        excluding_complaint=complaint_id,
        now=datetime.now(UTC),
    )
    workspace = await workspace_for(request, user, session, view)
    return render(
        request,
        "complaint.html",
        user=user,
        view=view,
        evidence=evidence,
        history=history,
        merge=await merge_panel(request, user, session, view),
        workspace=workspace,
        canned=await reply_picker(request, user, session, view, workspace),
        refresh_seconds=LIVE_REFRESH_SECONDS,
        presence=presence_panel(complaint_id),
    )


@router.get("/complaints/{complaint_id}/live")
async def complaint_live_part(
    request: Request,
    complaint_id: ComplaintIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
) -> Response:
    """Returns the part of the complaint page that changes: status, compensation, timeline."""
    view = await current_complaint_view(temporal, session, complaint_id)
    return render(request, "complaint_live.html", user=user, view=view)
