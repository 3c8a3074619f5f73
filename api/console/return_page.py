"""A return's page: its items and reasons, the customer's evidence, the policy's verdict
in the reader's language, the label or pickup and every parcel scan, the inspection and
its photos, carrier claims, the settlement and the timeline; with the form the return waits for,
when the reader may send it (`return_forms`).

The page reads the return as `GET /returns/{id}` does (`api.return_calls`); its status,
settlement and timeline are fetched again every few seconds (`/live`), so a refund that
runs after an inspection shows up without a reload. Supervisors, admins and the
warehouse see it; agents get the 403 page.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from sqlmodel import Session
from temporalio.client import Client

from api.console.rendering import render
from api.console.return_queue_page import RETURNS_PATH, require_returns
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem, ConsoleUser, SignedIn
from api.deps import SessionDep, TemporalDep, get_app_settings
from api.evidence_views import ShownEvidence, evidence_shown
from api.ids import RETURN_ID_PATTERN
from api.return_calls import current_return_view
from core.links import CaseKind
from core.wording.return_words import category_name, describe_plan, describe_reason
from domain.access import Permission
from domain.evidence import EvidenceLimits, EvidenceSource, megabytes
from domain.return_pricing import unit_price
from domain.returns import (
    MAX_INSPECTION_PHOTOS,
    InspectionVerdict,
    ReturnEventKind,
    ReturnStatus,
    ReturnView,
    TrackingStatus,
    return_workflow_id,
)
from domain.taxonomy import RootCause

router = APIRouter(route_class=ConsoleRoute)

# A malformed id names no return: the console's 404 page (see ConsoleRoute).
ReturnIdPath = Annotated[str, Path(pattern=RETURN_ID_PATTERN)]
LIVE_REFRESH_SECONDS = 4
# The request models' limit on a review's reason and an inspection's note.
MAX_NOTE_CHARS = 1000
# What `?done=` says after a form was taken (anything else says nothing).
NOTICES = {
    "approved": "return_done_approved",
    "denied": "return_done_denied",
    "inspected": "return_done_inspected",
    "retried": "return_done_retried",
}
_TRACKING_STATUSES = {status.value: status for status in TrackingStatus}
# Accepting all and accepting part come first, the verdicts that accept nothing after.
_ACCEPTING = [InspectionVerdict.ACCEPTED, InspectionVerdict.PARTIAL]
VERDICTS = _ACCEPTING + [verdict for verdict in InspectionVerdict if verdict not in _ACCEPTING]


@dataclass(frozen=True)
class ParcelScan:
    """One courier event the return took: when, its status (None if unknown), the words."""

    at: datetime
    status: TrackingStatus | None
    detail: str


@dataclass(frozen=True)
class ItemToInspect:
    """One SKU of the parcel: its name on the order and how many came back."""

    sku: str
    name: str
    returned: int


@dataclass
class ReturnForms:
    """A refused form, to show again: the refusal and the values its words need, which
    form it came from (`review`, `inspection`, `retry`), and what was typed (quantities
    by SKU apart)."""

    problem: ConsoleProblem | None = None
    values: dict[str, str] = field(default_factory=dict)
    form: str | None = None
    typed: dict[str, str] = field(default_factory=dict)
    accepted: dict[str, str] = field(default_factory=dict)


def parcel_scans(view: ReturnView) -> list[ParcelScan]:
    """Returns the courier events on the return's timeline, oldest first.

    The workflow records each as "<status>: <courier's words> (<tracking number>)".
    """
    scans = []
    for event in view.timeline:
        if event.kind is not ReturnEventKind.TRACKING:
            continue
        status, _, rest = event.detail.partition(": ")
        known = _TRACKING_STATUSES.get(status)
        scans.append(ParcelScan(at=event.at, status=known, detail=rest if known else event.detail))
    return scans


def items_to_inspect(view: ReturnView) -> list[ItemToInspect]:
    """Returns each SKU the customer sent back, in the request's order, with its name and
    how many came back in all (the inspection accepts quantities per SKU)."""
    names = {item.sku: item.name or "" for order in view.request.orders for item in order.items}
    returned: dict[str, int] = {}
    for line in view.request.lines:
        returned[line.sku] = returned.get(line.sku, 0) + line.quantity
    return [
        ItemToInspect(sku=sku, name=names.get(sku, ""), returned=quantity)
        for sku, quantity in returned.items()
    ]


@dataclass(frozen=True)
class ReturnFiles:
    """The files a return's page shows: those of the complaint it came from, the
    customer's own sent with the return, and the photos its inspection names."""

    complaint: list[ShownEvidence]
    customer: list[ShownEvidence]
    inspection: list[ShownEvidence]


async def _files(session: Session, view: ReturnView) -> ReturnFiles:
    """Returns the files the page shows, each list oldest first (the inspection's photos
    in the order it names them)."""
    complaint_id = view.request.complaint_id
    complaint = (
        await evidence_shown(
            session,
            case_kind=CaseKind.COMPLAINT.value,
            case_id=complaint_id,
            url_of=lambda sha256: f"/complaints/{complaint_id}/evidence/{sha256}",
        )
        if complaint_id is not None
        else []
    )
    own = await evidence_shown(
        session,
        case_kind=CaseKind.RETURN.value,
        case_id=view.return_id,
        url_of=lambda sha256: f"/returns/{view.return_id}/evidence/{sha256}",
    )
    by_hash = {file.sha256: file for file in own}
    named = view.inspection.photos if view.inspection else []
    return ReturnFiles(
        complaint=complaint,
        customer=[file for file in own if file.source != EvidenceSource.WAREHOUSE],
        inspection=[by_hash[sha256] for sha256 in named if sha256 in by_hash],
    )


@dataclass(frozen=True)
class PhotoLimits:
    """What the inspection form's photo field takes, for its hint and `accept`."""

    most: int
    max_file_mb: str
    types: str
    accept: str


def photo_limits(limits: EvidenceLimits) -> PhotoLimits:
    """Returns the photo field's limits, as the store checks them."""
    photos = limits.photos_only()
    return PhotoLimits(
        most=MAX_INSPECTION_PHOTOS,
        max_file_mb=megabytes(photos.max_file_bytes),
        types=photos.accepted_names(),
        accept=",".join(sorted(photos.accepted_types)),
    )


def _forms_shown(user: ConsoleUser, view: ReturnView) -> dict[str, bool]:
    """Returns which forms the page offers: the one the return waits for, to a reader
    whose role may send it."""
    reviews = user.may(Permission.REVIEW_RETURNS)
    return {
        "review": reviews and view.status is ReturnStatus.UNDER_REVIEW,
        "inspection": user.may(Permission.INSPECT_RETURNS)
        and view.status is ReturnStatus.AWAITING_INSPECTION,
        "retry": reviews and view.status is ReturnStatus.SETTLING and view.needs_person,
    }


async def return_page_response(
    request: Request,
    user: ConsoleUser,
    session: Session,
    temporal: Client,
    return_id: str,
    *,
    status_code: int = 200,
    forms: ReturnForms | None = None,
    notice: str | None = None,
) -> Response:
    """Returns the return's page, with a refused form shown again when `forms` holds one."""
    view = await current_return_view(temporal, session, return_id)
    settings = get_app_settings(request)
    workflow_url = (
        f"{settings.effective_temporal_ui_url}/namespaces/{settings.temporal_namespace}"
        f"/workflows/{return_workflow_id(return_id)}"
    )
    return render(
        request,
        "return.html",
        user=user,
        status_code=status_code,
        view=view,
        files=await _files(session, view),
        photo_limits=photo_limits(settings.evidence_limits),
        scans=parcel_scans(view),
        items=items_to_inspect(view),
        unit_price=unit_price,
        describe_reason=describe_reason,
        category_name=category_name,
        describe_plan=describe_plan,
        forms=forms or ReturnForms(),
        shown=_forms_shown(user, view),
        # Each form its own key, sent as the update's id: the same form sent twice is
        # one decision, a second form is another (and refused once the first is taken).
        form_keys={name: secrets.token_urlsafe(24) for name in ("review", "inspection", "retry")},
        max_note=MAX_NOTE_CHARS,
        verdicts=VERDICTS,
        root_causes=list(RootCause),
        notice=notice,
        queues_url=RETURNS_PATH,
        workflow_url=workflow_url,
        refresh_seconds=LIVE_REFRESH_SECONDS,
    )


@router.get("/returns/{return_id}")
async def return_page(
    request: Request,
    return_id: ReturnIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    done: str = "",
) -> Response:
    """Shows the return, and the form it waits for when the reader may send it."""
    require_returns(user)
    return await return_page_response(
        request, user, session, temporal, return_id, notice=NOTICES.get(done)
    )


@router.get("/returns/{return_id}/live")
async def return_live_part(
    request: Request,
    return_id: ReturnIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
) -> Response:
    """Returns the part of the return's page that changes: status, settlement, timeline."""
    require_returns(user)
    view = await current_return_view(temporal, session, return_id)
    return render(request, "return_live.html", user=user, view=view)
