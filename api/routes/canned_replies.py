"""Canned replies: reply templates per sub-category and language, for agents to start a
reply from. Anyone who works complaints reads them, and gets them filled in for a
complaint; admins create, edit and retire them (retired ones stay, with their usage).

A body naming a placeholder that does not exist (or anything beyond placeholders, filters
and `{% if %}`) is a 422 naming `body` and the placeholder; `docs/api.md` lists the
placeholders, as does `GET /canned-replies/placeholders`.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from api.auth import MayWorkComplaints, Principal, require
from api.canned_reply_calls import (
    create_template,
    edit_template,
    found_template,
    retire_template,
    suggestions_for,
)
from api.canned_reply_models import (
    CannedRepliesPublic,
    CannedReplyCreate,
    CannedReplyPublic,
    CannedReplySuggestions,
    CannedReplyUpdate,
    PlaceholderPublic,
    PlaceholdersPublic,
)
from api.complaint_calls import current_complaint_view
from api.deps import SessionDep, TemporalDep
from api.errors import AUTH_RESPONSES, Problem, problem_responses
from api.ids import COMPLAINT_ID_PATTERN
from domain.access import Permission
from domain.canned_replies import GENERAL, PLACEHOLDER_KINDS
from domain.taxonomy import Locale, SubCategory
from store.canned_replies import (
    CannedReplyStatus,
    canned_reply_uses,
    list_canned_replies,
)
from store.tables.canned_replies import CannedReply

router = APIRouter(tags=["canned replies"], responses=AUTH_RESPONSES)

MayManageCannedReplies = Annotated[Principal, Depends(require(Permission.MANAGE_CANNED_REPLIES))]
CannedReplyId = Annotated[
    int, Path(ge=1, le=2**31 - 1, description="The template's id", examples=[7])
]
ComplaintId = Annotated[
    str,
    Path(
        pattern=COMPLAINT_ID_PATTERN, description="The complaint's id", examples=["CGMNI3VZPN5PW"]
    ),
]
CreationKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Retrying with the same key and body returns the same template",
    ),
]
SUB_CATEGORY_FILTER = "^(" + "|".join([GENERAL, *(s.value for s in SubCategory)]) + ")$"
RESPONSES = problem_responses("canned reply")
CHANGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **RESPONSES,
    409: {
        "model": Problem,
        "description": "The title is taken, or the template was edited or retired since "
        "the version sent",
    },
}


def _public(session: SessionDep, reply: CannedReply) -> CannedReplyPublic:
    assert reply.id is not None
    return CannedReplyPublic.of(reply, canned_reply_uses(session, canned_reply_id=reply.id))


@router.get("/canned-replies", responses=RESPONSES)
def list_canned_reply_templates(
    caller: MayWorkComplaints,
    session: SessionDep,
    language: Locale | None = None,
    sub_category: Annotated[
        str | None,
        Query(
            pattern=SUB_CATEGORY_FILTER,
            description="A sub-category's templates, or `general` for those that suit any",
        ),
    ] = None,
    status: CannedReplyStatus = CannedReplyStatus.ACTIVE,
) -> CannedRepliesPublic:
    """Lists the templates with how often each was used: by language, the general ones
    first, then by sub-category and title (active ones unless `status` asks)."""
    general = sub_category == GENERAL
    rows = list_canned_replies(
        session,
        language=language,
        sub_category=SubCategory(sub_category) if sub_category and not general else None,
        general_only=general,
        status=status,
    )
    return CannedRepliesPublic(items=[CannedReplyPublic.of(row.reply, row.uses) for row in rows])


@router.get("/canned-replies/placeholders")
def list_canned_reply_placeholders(caller: MayWorkComplaints) -> PlaceholdersPublic:
    """Lists the placeholders a template may name, and how each is shown."""
    return PlaceholdersPublic(
        items=[
            PlaceholderPublic(name=name.value, kind=kind)
            for name, kind in PLACEHOLDER_KINDS.items()
        ]
    )


@router.get("/canned-replies/{canned_reply_id}", responses=RESPONSES)
def get_canned_reply_template(
    canned_reply_id: CannedReplyId, caller: MayWorkComplaints, session: SessionDep
) -> CannedReplyPublic:
    """Returns one template, active or retired, with its usage."""
    return _public(session, found_template(session, canned_reply_id))


@router.post("/canned-replies", status_code=201, responses=CHANGE_RESPONSES)
def create_canned_reply_template(
    body: CannedReplyCreate,
    caller: MayManageCannedReplies,
    session: SessionDep,
    response: Response,
    idempotency_key: CreationKeyHeader = None,
) -> CannedReplyPublic:
    """Creates a template (admins)."""
    key = f"api/{caller.user_id}/{idempotency_key}" if idempotency_key else None
    reply = create_template(session, body, author=caller.user_id, creation_key=key)
    response.headers["Location"] = f"/canned-replies/{reply.id}"
    return _public(session, reply)


@router.patch("/canned-replies/{canned_reply_id}", responses=CHANGE_RESPONSES)
def update_canned_reply_template(
    canned_reply_id: CannedReplyId,
    body: CannedReplyUpdate,
    caller: MayManageCannedReplies,
    session: SessionDep,
) -> CannedReplyPublic:
    """Changes a template's title, sub-category or body (admins), from the `version` read."""
    return _public(session, edit_template(session, canned_reply_id, body, editor=caller.user_id))


@router.post("/canned-replies/{canned_reply_id}/retire", responses=RESPONSES)
def retire_canned_reply_template(
    canned_reply_id: CannedReplyId, caller: MayManageCannedReplies, session: SessionDep
) -> CannedReplyPublic:
    """Retires a template (admins): no longer suggested, kept with its usage. Repeating it
    changes nothing."""
    return _public(session, retire_template(session, canned_reply_id, admin=caller.user_id))


@router.get(
    "/complaints/{complaint_id}/canned-replies",
    responses=problem_responses("complaint"),
)
async def suggest_canned_replies(
    complaint_id: ComplaintId,
    caller: MayWorkComplaints,
    session: SessionDep,
    temporal: TemporalDep,
) -> CannedReplySuggestions:
    """Returns the templates for the complaint, filled in for it in its customer's language:
    its sub-category's first, then the general ones, the most used first in each."""
    view = await current_complaint_view(temporal, session, complaint_id)
    return await run_in_threadpool(suggestions_for, session, view, agent_name=caller.display_name)
