"""The complaint page's merge form: merges this complaint into a linked duplicate
(`merge_panel` says who gets the form).

The form sends what `POST /complaints/{id}/merge` sends (`api.merge_calls`), signed as
the signed-in user, under the same rules: an agent merges complaints assigned to them
both (another agent's complaint is the 403 page, and no workflow hears of it);
supervisors any two. A refusal comes back on the page in the user's language, naming the
field; the form's key is the update's id, so the form sent twice merges once. Success
goes to the survivor's page (303), which says what was merged into it.
"""

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from api.complaint_calls import current_complaint_view
from api.console.complaint_actions import FORM_KEY_PATTERN
from api.console.complaint_page import complaint_page
from api.console.merge_panel import MergeProblem, show_merge_problem
from api.console.routing import UPDATE_ERRORS, ComplaintIdPath, ConsoleRoute, refusal
from api.console.session import (
    CONSOLE_PREFIX,
    ConsoleProblem,
    ConsoleUser,
    SignedIn,
    check_form,
    require,
)
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ApiError
from api.merge_calls import MergeRefused, may_merge, merge_complaints
from api.updates import update_id_for
from domain.access import Permission
from domain.complaint_merge import COMPLAINT_ID

router = APIRouter(route_class=ConsoleRoute)

_COMPLAINT_ID = re.compile(COMPLAINT_ID)


async def _page_again(
    request: Request,
    complaint_id: str,
    user: ConsoleUser,
    session: SessionDep,
    temporal: TemporalDep,
    problem: MergeProblem,
    chosen: str,
) -> Response:
    """Returns the complaint page with the merge form's refusal."""
    show_merge_problem(request, problem, chosen)
    page = await complaint_page(request, complaint_id, user, session, temporal)
    page.status_code = problem.status_code
    return page


@router.post("/complaints/{complaint_id}/merge")
async def merge_form(
    request: Request,
    complaint_id: ComplaintIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    into: Annotated[str, Form(max_length=64)] = "",
    form_key: Annotated[str, Form(pattern=FORM_KEY_PATTERN)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Merges the complaint into the linked duplicate chosen, then shows the survivor."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.WORK_COMPLAINTS, "forbidden_merge")
    view = await current_complaint_view(temporal, session, complaint_id)
    if not may_merge(user.principal, view):
        raise ConsoleProblem(403, "forbidden_merge")
    if not _COMPLAINT_ID.match(into):
        problem = MergeProblem(422, "merge_choose", field="into")
        return await _page_again(request, complaint_id, user, session, temporal, problem, into)
    actor = user.principal.user_id
    try:
        await merge_complaints(
            temporal,
            session,
            user.principal,
            complaint_id,
            into,
            update_id=update_id_for("console/merge", actor, form_key or None),
        )
    except MergeRefused as refused:
        reason = refused.refusal
        problem = MergeProblem(
            reason.status_code,
            f"merge_refused_{reason.reason.value}",
            field=reason.field,
            other=reason.other,
        )
        return await _page_again(request, complaint_id, user, session, temporal, problem, into)
    except UPDATE_ERRORS as error:
        if isinstance(error, ApiError) and error.status_code == 403:
            raise ConsoleProblem(403, "forbidden_merge") from None
        shown = refusal(error)
        problem = MergeProblem(shown.status_code, shown.message_key, detail=shown.detail)
        return await _page_again(request, complaint_id, user, session, temporal, problem, into)
    return RedirectResponse(
        f"{CONSOLE_PREFIX}/complaints/{into}?merged={complaint_id}#duplicates", status_code=303
    )
