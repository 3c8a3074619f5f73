"""The follow-up survey as a page: `GET /surveys/{token}` shows it, `POST` records the
answer through the survey's `answer` update, then thanks the customer.

The survey comes from the token alone (`survey_workflow_id` of the token's case), so a
link opens one survey and nothing else. A program gets the same routes in JSON: ask with
`Accept: application/json`, answer with a `SurveyAnswer` body sent as
`Content-Type: application/json`.

Status codes, for the page and for JSON alike: 200 the survey (or the thanks); 404 a
forged or mangled link, a case link used here, or no survey behind the link; 410 a link
past its expiry or a survey that has closed; 409 a survey already answered (or not sent
yet); 403 a form post without a valid nonce or from another site; 422 an answer that is
incomplete. Nothing is recorded unless the answer is 200.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from temporalio.client import Client

from api.customer.credentials import LinkToken, check_form_post, form_nonce, open_link, read_form
from api.customer.rendering import render, sends_json, wants_json
from api.customer.routing import TEMPORAL_TROUBLE, CustomerRoute
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.survey_calls import check_open, current_survey_view, send_survey_answer
from core.links import SURVEY_PAGE_PATH, CaseLink, LinkPurpose
from domain.surveys import (
    MAX_SURVEY_COMMENT_CHARS,
    CaseKind,
    SurveyAnswer,
    SurveyView,
    survey_workflow_id,
)
from domain.taxonomy import Locale

router = APIRouter(route_class=CustomerRoute)

# The form's answer for "was it resolved?", as the form sends it.
_RESOLVED = {"yes": True, "no": False}
# Answers hold what a customer said: never kept by a cache on the way.
_NO_STORE = {"Cache-Control": "no-store"}


class SurveyInvitation(BaseModel):
    """Returns what the survey page asks about: which case, in which language, until when."""

    survey_id: str
    case_kind: CaseKind
    case_id: str
    locale: Locale
    expires_at: datetime


def survey_id_of(link: CaseLink) -> str:
    """Returns the id of the survey that follows the case a survey link names."""
    return survey_workflow_id(CaseKind(link.kind.value), link.case_id)


@router.get(f"{SURVEY_PAGE_PATH}/{{token}}")
async def survey_page(
    request: Request,
    token: LinkToken,
    settings: SettingsDep,
    session: SessionDep,
    temporal: TemporalDep,
) -> Response:
    """Shows the survey, if the link is good and the survey still waits for an answer."""
    link = open_link(settings, token, LinkPurpose.SURVEY)
    view = await current_survey_view(temporal, session, survey_id_of(link))
    check_open(view, datetime.now(UTC))
    if wants_json(request):
        invitation = SurveyInvitation(
            survey_id=view.survey_id,
            case_kind=view.case_kind,
            case_id=view.case_id,
            locale=view.locale,
            expires_at=view.expires_at,
        )
        return JSONResponse(invitation.model_dump(mode="json"), headers=_NO_STORE)
    return _survey_form(request, settings.secret_key, token, view)


@router.post(f"{SURVEY_PAGE_PATH}/{{token}}")
async def answer_survey(
    request: Request,
    token: LinkToken,
    settings: SettingsDep,
    session: SessionDep,
    temporal: TemporalDep,
) -> Response:
    """Records the customer's answer (once), then thanks them."""
    link = open_link(settings, token, LinkPurpose.SURVEY)
    survey_id = survey_id_of(link)
    # Only a JSON body skips the form's nonce: `Accept` alone is no proof (any page may
    # send it), `Content-Type: application/json` is (see `credentials`).
    as_json = sends_json(request)
    form: dict[str, str] = {}
    if as_json:
        body = await request.body()
    else:
        form = await read_form(request)
        check_form_post(request, settings, token, form)
    # Checked before the answer's own validity, so a second answer is told it is one.
    view = await current_survey_view(temporal, session, survey_id)
    check_open(view, datetime.now(UTC))
    if as_json:
        answer = _answer_from_json(body)
    else:
        try:
            answer = answer_from_form(form)
        except ValidationError:
            return _survey_form(request, settings.secret_key, token, view, form=form, invalid=True)
    result = await send_survey_answer(temporal, session, survey_id, answer)
    if wants_json(request):
        return JSONResponse(result.model_dump(mode="json"), headers=_NO_STORE)
    return render(
        request,
        "survey_thanks.html",
        case_locale=view.locale,
        low_score=await _low_score(temporal, session, survey_id),
    )


def answer_from_form(form: Mapping[str, str]) -> SurveyAnswer:
    """Returns the answer the survey form holds; raises ValidationError when it is not one."""
    values: dict[str, Any] = {
        "csat": form.get("csat") or None,
        "resolved": _RESOLVED.get(form.get("resolved", "")),
        "nps": form.get("nps") or None,
        "comment": form.get("comment", "").strip(),
    }
    return SurveyAnswer.model_validate(values)


def _answer_from_json(body: bytes) -> SurveyAnswer:
    try:
        return SurveyAnswer.model_validate_json(body)
    except ValidationError as invalid:
        # The app's handler words it like every other 422, naming each field.
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in invalid.errors()]
        ) from invalid


async def _low_score(temporal: Client, session: Session, survey_id: str) -> bool:
    """Returns whether the answer just recorded calls for service recovery (the survey
    decides, by its own policy); False when the survey cannot be read right now."""
    try:
        return (await current_survey_view(temporal, session, survey_id)).low_score
    except TEMPORAL_TROUBLE:
        return False


def _survey_form(
    request: Request,
    secret: str,
    token: str,
    view: SurveyView,
    *,
    form: Mapping[str, str] | None = None,
    invalid: bool = False,
) -> Response:
    return render(
        request,
        "survey.html",
        case_locale=view.locale,
        status_code=422 if invalid else 200,
        view=view,
        form=form or {},
        invalid=invalid,
        form_nonce=form_nonce(secret, token),
        max_comment=MAX_SURVEY_COMMENT_CHARS,
    )
