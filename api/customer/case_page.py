"""The customer's own page behind the case link: `GET /my/{token}` shows the complaint or
return the token names, with its timeline; its forms reply to a complaint
(`POST /my/{token}/messages`) and answer a return's proposed plan
(`POST /my/{token}/consent`).

The page reads and writes through the same calls as the JSON routes: the live `view`
query with the read model behind it, `customer_reply` exactly as
`POST /complaints/{id}/messages` sends it, `give_consent` as `POST /returns/{id}/consent`.
The case comes from the token alone, so a link opens one case and nothing else.

Status codes: 200 the page; 303 back to it after a form was taken; 404 a forged or
mangled link, a survey link used here, an unknown case, or a form the case does not have
(returns take no messages, complaints no consent); 410 a link past its expiry; 403 a form
post without a valid nonce or from another site; 409 the workflow refused (the complaint
closed, no plan waits any more); 422 a reply that is empty or too long. A refused form
shows the page again with the reason and what the customer typed.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from temporalio.client import Client

from api.complaint_calls import current_complaint_view, update_complaint
from api.console.rendering import LANGUAGES
from api.customer.credentials import LinkToken, check_form_post, form_nonce, open_link, read_form
from api.customer.labels import COMPLAINT, RETURN, visible_steps
from api.customer.merged_case import survivor_page_url
from api.customer.rendering import render
from api.customer.routing import TEMPORAL_TROUBLE, UPDATE_ERRORS, CustomerRoute, as_refusal
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ApiError
from api.evidence_views import evidence_shown
from api.return_calls import current_return_view, decide_return
from api.survey_calls import current_survey_view
from core.links import (
    CASE_PAGE_PATH,
    CaseKind,
    CaseLink,
    LinkPurpose,
    survey_link_token,
    survey_page_url,
)
from core.settings import Settings
from core.wording.mail import describe_outcome
from core.wording.return_words import describe_eligibility, describe_plan
from domain.complaints import (
    MAX_DESCRIPTION_CHARS,
    MAX_EVIDENCE_URLS,
    ComplaintStatus,
    CustomerMessage,
)
from domain.evidence import megabytes
from domain.returns import ConsentDecision, ReturnStatus
from domain.surveys import CaseKind as SurveyCaseKind
from domain.surveys import SurveyRefused, check_answer, survey_workflow_id
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow

router = APIRouter(route_class=CustomerRoute)

MAX_CONSENT_NOTE_CHARS = 1000
# What `?sent=` says after a form was taken (post, redirect, get: a reload sends nothing).
_SENT_NOTICES = {"reply": "sent_reply", "consent": "sent_consent", "evidence": "sent_evidence"}
# Cases that take nothing more from the customer.
_OVER = {
    ComplaintStatus.CLOSED,
    ReturnStatus.COMPLETED,
    ReturnStatus.REJECTED,
    ReturnStatus.CANCELLED,
}
# Cases whose follow-up survey may be open (rejected or cancelled returns get none).
_FINISHED = {ComplaintStatus.CLOSED, ReturnStatus.COMPLETED}


def no_such_form() -> ApiError:
    """Returns the 404 for a form this kind of case does not have."""
    return ApiError(404, "not_found", "this case has no such form")


def complaint_link(settings: Settings, token: str) -> CaseLink:
    """Returns the case link `token` holds for a complaint's form; raises the 404 for a
    bad link, or one to a return (whose page has no such form)."""
    link = open_link(settings, token, LinkPurpose.CASE)
    if link.kind is not CaseKind.COMPLAINT:
        raise no_such_form()
    return link


@router.get(f"{CASE_PAGE_PATH}/{{token}}")
async def case_page(
    request: Request,
    token: LinkToken,
    settings: SettingsDep,
    session: SessionDep,
    temporal: TemporalDep,
    sent: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """Shows the case the link names: where it stands, its timeline, what it asks of you."""
    link = open_link(settings, token, LinkPurpose.CASE)
    notice = _SENT_NOTICES.get(sent or "")
    return await _show_case(request, settings, session, temporal, token, link, notice=notice)


@router.post(f"{CASE_PAGE_PATH}/{{token}}/messages")
async def reply_from_page(
    request: Request,
    token: LinkToken,
    settings: SettingsDep,
    session: SessionDep,
    temporal: TemporalDep,
) -> Response:
    """Sends the customer's reply, with any evidence links, to the complaint."""
    link = complaint_link(settings, token)
    form = await read_form(request)
    check_form_post(request, settings, token, form)
    show_again = case_page_again(request, settings, session, temporal, token, link, form)
    try:
        message = CustomerMessage(
            message=form.get("message", "").strip(),
            evidence_urls=evidence_links(form.get("evidence_urls", "")),
        )
    except ValidationError:
        return await show_again(ApiError(422, "invalid_reply", "the reply is not valid"))
    try:
        await update_complaint(
            temporal, session, link.case_id, ComplaintWorkflow.customer_reply, message
        )
    except UPDATE_ERRORS as error:
        return await show_again(as_refusal(error))
    return back_to_page(request, token, sent="reply")


@router.post(f"{CASE_PAGE_PATH}/{{token}}/consent")
async def answer_plan_from_page(
    request: Request,
    token: LinkToken,
    settings: SettingsDep,
    session: SessionDep,
    temporal: TemporalDep,
) -> Response:
    """Sends the customer's answer to the plan the return proposed."""
    link = open_link(settings, token, LinkPurpose.CASE)
    if link.kind is not CaseKind.RETURN:
        raise no_such_form()
    form = await read_form(request)
    check_form_post(request, settings, token, form)
    show_again = case_page_again(request, settings, session, temporal, token, link, form)
    choice = {"accept": True, "decline": False}.get(form.get("decision", ""))
    try:
        decision = ConsentDecision.model_validate(
            {"accepted": choice, "note": form.get("note", "").strip()}
        )
    except ValidationError:
        return await show_again(ApiError(422, "validation_failed", "the answer is not valid"))
    try:
        await decide_return(temporal, session, link.case_id, ReturnWorkflow.give_consent, decision)
    except UPDATE_ERRORS as error:
        return await show_again(as_refusal(error))
    return back_to_page(request, token, sent="consent")


def customer_evidence_url(token: str, sha256: str) -> str:
    """Returns where the customer's page serves one of its case's files."""
    return f"{CASE_PAGE_PATH}/{token}/evidence/{sha256}"


def evidence_links(text: str) -> list[str]:
    """Returns the links typed one per line, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def back_to_page(request: Request, token: str, *, sent: str) -> RedirectResponse:
    params = {"sent": sent}
    # The language the customer chose stays chosen; anything else is not repeated.
    language = request.query_params.get("lang", "")
    if language in LANGUAGES:
        params["lang"] = language
    return RedirectResponse(f"{CASE_PAGE_PATH}/{token}?{urlencode(params)}", status_code=303)


def case_page_again(
    request: Request,
    settings: Settings,
    session: Session,
    temporal: Client,
    token: str,
    link: CaseLink,
    form: dict[str, str],
) -> Callable[[ApiError], Awaitable[Response]]:
    """Returns what shows the page again with a refusal, and the form as the customer
    filled it in."""

    async def show(refusal: ApiError) -> Response:
        return await _show_case(
            request,
            settings,
            session,
            temporal,
            token,
            link,
            refusal=refusal,
            typed=form,
        )

    return show


async def _show_case(
    request: Request,
    settings: Settings,
    session: Session,
    temporal: Client,
    token: str,
    link: CaseLink,
    *,
    notice: str | None = None,
    refusal: ApiError | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    view: Any
    survivor_url = None
    if link.kind is CaseKind.COMPLAINT:
        view = await current_complaint_view(temporal, session, link.case_id)
        kind, customer = COMPLAINT, view.intake.customer
        if view.merged_into is not None:
            # A merged complaint's link opens the survivor; a refused form's page says
            # where the complaint went, with the link.
            survivor_url = survivor_page_url(request, settings, link, view.merged_into)
            if request.method == "GET":
                return RedirectResponse(survivor_url, status_code=303)
    else:
        view = await current_return_view(temporal, session, link.case_id)
        kind, customer = RETURN, view.request.customer
    if refusal is not None and refusal.error == "action_not_allowed" and view.status in _OVER:
        # Refused by a workflow still winding down: to the customer, the case is closed.
        refusal = ApiError(409, f"{kind}_closed", refusal.message)
    survey_url = None
    if view.status in _FINISHED:
        survey_url = await _open_survey_url(settings, session, temporal, link)
    return render(
        request,
        f"{kind}.html",
        case_locale=customer.locale,
        status_code=refusal.status_code if refusal else 200,
        kind=kind,
        case_ref=link.case_id,
        view=view,
        steps=visible_steps(kind, view.timeline),
        page_path=f"{CASE_PAGE_PATH}/{token}",
        form_nonce=form_nonce(settings.secret_key, token),
        notice=notice,
        refusal=refusal,
        typed=typed or {},
        survey_url=survey_url,
        survivor_url=survivor_url,
        describe_outcome=describe_outcome,
        describe_eligibility=describe_eligibility,
        describe_plan=describe_plan,
        max_message=MAX_DESCRIPTION_CHARS,
        max_links=MAX_EVIDENCE_URLS,
        evidence=await evidence_shown(
            session,
            case_kind=link.kind.value,
            case_id=link.case_id,
            url_of=lambda sha256: customer_evidence_url(token, sha256),
        ),
        evidence_limits=settings.evidence_limits,
        megabytes=megabytes,
        max_note=MAX_CONSENT_NOTE_CHARS,
    )


async def _open_survey_url(
    settings: Settings, session: Session, temporal: Client, link: CaseLink
) -> str | None:
    """Returns a link to the case's survey while it waits for an answer, else None.

    The case link is the stronger credential (it speaks for the customer), so its holder
    may have the survey link too: a new token for the same survey, expiring with it.
    """
    survey_id = survey_workflow_id(SurveyCaseKind(link.kind.value), link.case_id)
    try:
        survey = await current_survey_view(temporal, session, survey_id)
        check_answer(survey, datetime.now(UTC))
    except (ApiError, SurveyRefused, *TEMPORAL_TROUBLE):
        return None
    token = survey_link_token(
        settings.secret_key, kind=link.kind, case_id=link.case_id, expires_at=survey.expires_at
    )
    return survey_page_url("", token)
