"""The forms of a return's page: a review decision (supervisors), the warehouse's
inspection, and a retry of a settlement that waits for a person (supervisors).

Each sends the same update as its JSON route (`POST /returns/{id}/review`,
`.../inspection`, `.../settlement-retry`) through `api.return_calls.decide_return`, built
from the same request models, signed with the signed-in user's id; the workflow's
validators refuse what they refuse for the API. A refusal is shown on the return's page
in the user's language, naming the field, with what was typed kept; nothing changes. Each
rendered form carries a key of its own, sent as the update's id, so a form sent twice
(a double click, a retry after a lost answer) is taken once.
"""

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from temporalio.client import Client
from temporalio.workflow import UpdateMethodMultiParam

from api.console.recovery_page import FORM_KEY_PATTERN
from api.console.return_page import ReturnForms, ReturnIdPath, return_page_response
from api.console.return_photos import FormRefused, chosen_photos, photo_refusal
from api.console.routing import UPDATE_ERRORS, ConsoleRoute, refusal
from api.console.session import (
    CONSOLE_PREFIX,
    ConsoleProblem,
    ConsoleUser,
    SignedIn,
    check_form,
    require,
)
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.return_calls import current_return_view, decide_return
from api.return_evidence_calls import OfferedFile, keep_inspection_photos
from api.updates import update_id_for
from core.settings import Settings
from domain.access import Permission
from domain.returns import (
    InspectionFindings,
    InspectionReport,
    InspectionVerdict,
    ReturnStatus,
    ReturnView,
    ReviewChoice,
    ReviewDecision,
)
from store.evidence import EvidenceRefused
from workflows.returns import ReturnWorkflow

router = APIRouter(route_class=ConsoleRoute)

FormKey = Annotated[str, Form(pattern=FORM_KEY_PATTERN)]
CsrfToken = Annotated[str, Form(max_length=128)]
# Lengths and values are checked by the request models, so a refusal names the field.
Text = Annotated[str, Form()]
# How each form's refused field is worded, by the field pydantic names first.
FIELD_PROBLEMS = {
    "review": {"reason": "review_reason_too_long"},
    "inspection": {
        "verdict": "inspection_verdict_required",
        "lines": "inspection_quantity_invalid",
        "root_cause": "inspection_root_cause_invalid",
        "note": "inspection_note_too_long",
    },
    "retry": {"reason": "retry_reason_too_long"},
}
# How each form words the workflow's refusals: the return's state does not allow it now
# (409), the decision is wrong whatever the state (422), or it was refused otherwise.
WORKFLOW_REFUSALS = {
    "review": {
        "refused_action_not_allowed": "refused_review_not_pending",
        "refused_invalid_action": "review_reason_required",
    },
    "inspection": {
        "refused_action_not_allowed": "refused_inspection_not_waiting",
        "refused_invalid_action": "inspection_quantity_above_returned",
    },
    "retry": {"refused_action_not_allowed": "refused_retry_not_waiting"},
}
_OTHER_REFUSAL = {"refused_action_refused": "refused_return_refused"}


def _field_problem(form: str, invalid: ValidationError, **values: str) -> FormRefused:
    field = str(invalid.errors()[0]["loc"][0])
    return FormRefused(FIELD_PROBLEMS[form].get(field, "invalid_form"), **values)


def _workflow_refusal(form: str, error: Exception) -> ConsoleProblem:
    problem = refusal(error)
    key = problem.message_key
    key = WORKFLOW_REFUSALS[form].get(key) or _OTHER_REFUSAL.get(key, key)
    return ConsoleProblem(problem.status_code, key, detail=problem.detail)


async def _page_again(
    request: Request,
    user: ConsoleUser,
    session: Session,
    temporal: Client,
    return_id: str,
    forms: ReturnForms,
) -> Response:
    """Returns the return's page with the refused form shown again."""
    assert forms.problem is not None
    return await return_page_response(
        request,
        user,
        session,
        temporal,
        return_id,
        status_code=forms.problem.status_code,
        forms=forms,
    )


async def _send(
    request: Request,
    user: ConsoleUser,
    session: Session,
    temporal: Client,
    return_id: str,
    forms: ReturnForms,
    *,
    update: UpdateMethodMultiParam[[ReturnWorkflow, Any], ReturnView],
    update_name: str,
    decision: BaseModel,
    form_key: str,
    done: str,
) -> Response:
    """Sends `decision` to the return through `update`, then goes back to its page
    saying it was `done`; the workflow's refusal is shown on the page instead."""
    update_id = update_id_for(f"console/{update_name}", user.principal.user_id, form_key or None)
    try:
        await decide_return(temporal, session, return_id, update, decision, update_id=update_id)
    except UPDATE_ERRORS as error:
        assert forms.form is not None
        forms.problem = _workflow_refusal(forms.form, error)
        return await _page_again(request, user, session, temporal, return_id, forms)
    return RedirectResponse(f"{CONSOLE_PREFIX}/returns/{return_id}?done={done}", status_code=303)


@router.post("/returns/{return_id}/review")
async def review_return(
    request: Request,
    return_id: ReturnIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    decision: Annotated[str, Form(max_length=16)] = "",
    reason: Text = "",
    form_key: FormKey = "",
    csrf_token: CsrfToken = "",
) -> Response:
    """Sends a supervisor's decision on a return under review (`decide_review`)."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.REVIEW_RETURNS, "forbidden_return_review")
    forms = ReturnForms(form="review", typed={"reason": reason})
    try:
        if decision not in ("approve", "deny"):
            raise FormRefused("review_decision_required")
        try:
            choice = ReviewChoice(approved=decision == "approve", reason=reason.strip())
        except ValidationError as invalid:
            raise _field_problem("review", invalid) from None
    except FormRefused as refused:
        forms.problem, forms.values = refused.problem, refused.values
        return await _page_again(request, user, session, temporal, return_id, forms)
    return await _send(
        request,
        user,
        session,
        temporal,
        return_id,
        forms,
        update=ReturnWorkflow.decide_review,
        update_name="decide_review",
        decision=ReviewDecision(reviewer=user.principal.user_id, **choice.model_dump()),
        form_key=form_key,
        done="approved" if choice.approved else "denied",
    )


def _findings(
    verdict: str, skus: list[str], accepted: list[str], root_cause: str, note: str
) -> InspectionFindings:
    """Returns the inspection the form describes; raises FormRefused naming the field.

    Quantities are sent for a partial acceptance only: any other verdict accepts every
    item or none, as the API's inspection does.
    """
    if len(skus) != len(accepted):
        raise FormRefused("invalid_form")
    lines: list[dict[str, object]] = []
    if verdict == InspectionVerdict.PARTIAL.value:
        for sku, typed in zip(skus, accepted, strict=True):
            quantity = typed.strip()
            if not (quantity.isascii() and quantity.isdigit()):
                raise FormRefused("inspection_quantity_invalid", sku=sku)
            lines.append({"sku": sku, "accepted_quantity": int(quantity)})
    try:
        return InspectionFindings.model_validate(
            {
                "verdict": verdict or None,
                "lines": lines,
                "root_cause": root_cause or None,
                "note": note.strip(),
            }
        )
    except ValidationError as invalid:
        where = invalid.errors()[0]["loc"]
        sku = str(lines[int(where[1])]["sku"]) if where[0] == "lines" and len(where) > 1 else ""
        raise _field_problem("inspection", invalid, sku=sku) from None


@router.post("/returns/{return_id}/inspection")
async def inspect_return(
    request: Request,
    return_id: ReturnIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    verdict: Annotated[str, Form(max_length=32)] = "",
    sku: Annotated[list[str] | None, Form()] = None,
    accepted: Annotated[list[str] | None, Form()] = None,
    root_cause: Annotated[str, Form(max_length=32)] = "",
    note: Text = "",
    photos: Annotated[list[UploadFile] | None, File()] = None,
    form_key: FormKey = "",
    csrf_token: CsrfToken = "",
) -> Response:
    """Sends the warehouse's inspection of the returned parcel (`report_inspection`),
    with the photos chosen, kept first as the return's evidence (all or none)."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.INSPECT_RETURNS, "forbidden_return_inspection")
    skus, quantities = sku or [], accepted or []
    forms = ReturnForms(
        form="inspection",
        typed={"verdict": verdict, "root_cause": root_cause, "note": note},
        accepted=dict(zip(skus, quantities, strict=False)),
    )
    try:
        findings = _findings(verdict, skus, quantities, root_cause, note)
        chosen = await chosen_photos(photos or [], settings)
        if chosen:
            findings = await _with_photos(
                findings, temporal, session, settings, return_id, chosen, form_key
            )
    except FormRefused as refused:
        forms.problem, forms.values = refused.problem, refused.values
        return await _page_again(request, user, session, temporal, return_id, forms)
    return await _send(
        request,
        user,
        session,
        temporal,
        return_id,
        forms,
        update=ReturnWorkflow.report_inspection,
        update_name="report_inspection",
        decision=InspectionReport(inspector=user.principal.user_id, **findings.model_dump()),
        form_key=form_key,
        done="inspected",
    )


async def _with_photos(
    findings: InspectionFindings,
    temporal: Client,
    session: Session,
    settings: Settings,
    return_id: str,
    chosen: list[OfferedFile],
    form_key: str,
) -> InspectionFindings:
    """Returns the findings naming the photos (the same photo chosen twice is named
    once), kept first as the return's files; raises FormRefused, with none kept, for a
    photo a limit refuses.

    Photos are kept only while the return waits for its inspection. Otherwise the
    workflow answers: the same form sent again gets its first answer, another form is
    refused, and no photo is kept for an inspection that is not recorded.
    """
    view = await current_return_view(temporal, session, return_id)
    if view.status is not ReturnStatus.AWAITING_INSPECTION:
        named = [hashlib.sha256(photo.data).hexdigest() for photo in chosen]
    else:
        try:
            rows = await keep_inspection_photos(session, settings, return_id, chosen, form_key)
        except EvidenceRefused as not_taken:
            raise photo_refusal(not_taken, settings) from None
        named = [row.sha256 for row in rows]
    return findings.model_copy(update={"photos": list(dict.fromkeys(named))})


@router.post("/returns/{return_id}/settlement-retry")
async def retry_return_settlement(
    request: Request,
    return_id: ReturnIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    reason: Text = "",
    form_key: FormKey = "",
    csrf_token: CsrfToken = "",
) -> Response:
    """Retries a settlement that failed for good and was undone (`retry_settlement`)."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.REVIEW_RETURNS, "forbidden_return_review")
    forms = ReturnForms(form="retry", typed={"reason": reason})
    try:
        # What the API's route takes: a go-ahead, and what was put right.
        choice = ReviewChoice(approved=True, reason=reason.strip())
    except ValidationError as invalid:
        refused = _field_problem("retry", invalid)
        forms.problem, forms.values = refused.problem, refused.values
        return await _page_again(request, user, session, temporal, return_id, forms)
    return await _send(
        request,
        user,
        session,
        temporal,
        return_id,
        forms,
        update=ReturnWorkflow.retry_settlement,
        update_name="retry_settlement",
        decision=ReviewDecision(reviewer=user.principal.user_id, **choice.model_dump()),
        form_key=form_key,
        done="retried",
    )
