"""The Mail page, for admins: what Redress e-mailed (newest first, filtered by delivery
status, paged) and inbound mail that waits for a person, each linked to its case.

It reads the store alone (`store.mail_log`), so it answers while Temporal is away. The
two lists page apart (`page`, `inbound_page`), both in the URL, so a reload or a bookmark
finds the same place.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.queue_page import QueueInputError
from api.console.rendering import render
from api.console.routing import ConsoleRoute
from api.console.session import SignedIn, require
from api.deps import SessionDep
from domain.access import Permission
from store.mail_log import (
    MailPage,
    OutboundStatus,
    list_inbound_for_a_person,
    list_outbound_mail,
    outbound_status,
)
from store.tables.inbound_mail import InboundMail
from store.tables.outbox import OutboxMessage

router = APIRouter(route_class=ConsoleRoute)

STATUSES = [status.value for status in OutboundStatus]
# Complaints have a console page; returns (`return-R…`) have none yet.
_COMPLAINT_ID = re.compile(r"C[A-Z2-7]{12}")


@dataclass
class MailView:
    """What the template shows; the lists are None when the URL was refused."""

    status: OutboundStatus | None = None
    outbound: MailPage[OutboxMessage] | None = None
    inbound: MailPage[InboundMail] | None = None
    error: QueueInputError | None = None


def _page(request: Request, name: str) -> int:
    raw = request.query_params.get(name, "1") or "1"
    # Past a billion no store's offset fits; no mail log is that long.
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000_000:
        raise QueueInputError("queue_page_invalid")
    return int(raw)


def _read(session: Session, request: Request) -> MailView:
    view = MailView()
    try:
        asked = request.query_params.get("status", "")
        if asked and asked not in STATUSES:
            raise QueueInputError("queue_filter_invalid", field_key="status", name="status")
        view.status = OutboundStatus(asked) if asked else None
        outbound_page, inbound_page = _page(request, "page"), _page(request, "inbound_page")
        view.outbound = list_outbound_mail(session, status=view.status, page=outbound_page)
        view.inbound = list_inbound_for_a_person(session, page=inbound_page)
    except QueueInputError as refused:
        view.error = refused
    return view


def _page_link(request: Request, name: str) -> Callable[[int], str]:
    kept = {k: v for k, v in request.query_params.items() if k != "lang"}
    path = request.url.path

    def link(number: int) -> str:
        # The other list's page is kept; the anchor brings the reader back to this list.
        anchor = "#inbound" if name == "inbound_page" else "#outbound"
        return f"{path}?{urlencode(kept | {name: str(number)})}{anchor}"

    return link


def case_of(case_ref: str | None) -> tuple[str, str | None]:
    """Returns how a case ref is named on the page and its console link (None: no page)."""
    if not case_ref:
        return "", None
    if _COMPLAINT_ID.fullmatch(case_ref):
        return case_ref, f"/console/complaints/{case_ref}"
    return case_ref, None


@router.get("/mail")
async def mail_log(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows recent outbound mail with its delivery, and inbound mail for a person."""
    require(user, Permission.READ_MAIL_LOG, "forbidden_mail")
    view = await run_in_threadpool(_read, session, request)
    return render(
        request,
        "mail.html",
        user=user,
        status_code=422 if view.error else 200,
        mail=view,
        statuses=STATUSES,
        outbound_status=outbound_status,
        case_of=case_of,
        page_url=_page_link(request, "page"),
        inbound_page_url=_page_link(request, "inbound_page"),
    )
