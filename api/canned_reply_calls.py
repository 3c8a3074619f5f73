"""Canned replies for the JSON routes and the console alike: writing templates, the
templates suggested for a complaint filled in for it, and counting a reply sent from one.

Store errors are turned into `ApiError`s here, so `GET`, `POST` and `PATCH` under
`/canned-replies` and the console's admin pages refuse the same things with the same codes
(the console words them from the code).
"""

from datetime import UTC, datetime

from sqlmodel import Session

from api.canned_reply_models import (
    CannedReplyCreate,
    CannedReplySuggestion,
    CannedReplySuggestions,
    CannedReplyUpdate,
)
from api.errors import ApiError, FieldProblem
from core.wording.canned_replies import (
    CannedReplyNotRenderable,
    CannedReplyRefused,
    render_canned_reply,
)
from domain.canned_replies import complaint_language, placeholder_values
from domain.complaints import ComplaintView
from domain.taxonomy import Locale, SubCategory
from store.canned_replies import (
    CannedReplyCreationKeyReused,
    CannedReplyNotFound,
    CannedReplyStale,
    CannedReplyTitleTaken,
    create_canned_reply,
    get_canned_reply,
    record_canned_reply_use,
    retire_canned_reply,
    suggested_canned_replies,
    update_canned_reply,
)
from store.tables.canned_replies import CannedReply


def canned_reply_not_found(canned_reply_id: int) -> ApiError:
    """Returns the 404 for a template id the store does not know."""
    return ApiError(
        404,
        "canned_reply_not_found",
        f"no canned reply {canned_reply_id}; list them at /canned-replies",
    )


def _title_taken(title: str, language: Locale) -> ApiError:
    return ApiError(
        409,
        "canned_reply_title_taken",
        f"an active {language.value} canned reply is already called {title!r}; "
        "choose another title or edit that one",
        fields=[FieldProblem(field="title", problem="already the title of an active template")],
    )


def _stale(current: CannedReply) -> ApiError:
    if current.retired_at is not None:
        return ApiError(
            409,
            "canned_reply_retired",
            f"canned reply {current.id} is retired and can no longer be edited",
        )
    return ApiError(
        409,
        "canned_reply_edited_meanwhile",
        f"canned reply {current.id} was edited by {current.updated_by} since (now version "
        f"{current.version}); read it again and make your change on that version",
    )


def create_template(
    session: Session, body: CannedReplyCreate, *, author: str, creation_key: str | None
) -> CannedReply:
    """Returns the new template (the earlier one for a `creation_key` seen before)."""
    try:
        return create_canned_reply(
            session,
            title=body.title,
            language=body.language,
            sub_category=body.sub_category,
            body=body.body,
            created_by=author,
            now=datetime.now(UTC),
            creation_key=creation_key,
        )
    except CannedReplyTitleTaken as taken:
        raise _title_taken(body.title, body.language) from taken
    except CannedReplyCreationKeyReused as reused:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "this Idempotency-Key created a different canned reply; send a new key for a "
            "new template",
        ) from reused


def found_template(session: Session, canned_reply_id: int) -> CannedReply:
    """Returns the template; raises the 404 when there is none."""
    reply = get_canned_reply(session, canned_reply_id=canned_reply_id)
    if reply is None:
        raise canned_reply_not_found(canned_reply_id)
    return reply


def edit_template(
    session: Session, canned_reply_id: int, body: CannedReplyUpdate, *, editor: str
) -> CannedReply:
    """Returns the template after `body`'s changes (fields left out kept as they were)."""
    current = found_template(session, canned_reply_id)
    changed = body.model_fields_set
    title = body.title if body.title is not None else current.title
    sub_category = (
        body.sub_category
        if "sub_category" in changed
        else (SubCategory(current.sub_category) if current.sub_category else None)
    )
    try:
        return update_canned_reply(
            session,
            canned_reply_id=canned_reply_id,
            expected_version=body.version,
            title=title,
            sub_category=sub_category,
            body=body.body if body.body is not None else current.body,
            updated_by=editor,
            now=datetime.now(UTC),
        )
    except CannedReplyNotFound as missing:
        raise canned_reply_not_found(canned_reply_id) from missing
    except CannedReplyStale as stale:
        if _made_by(stale.current, editor, title, sub_category, body.body or current.body):
            # The same edit sent again (a double click, a retry after a lost answer).
            return stale.current
        raise _stale(stale.current) from stale
    except CannedReplyTitleTaken as taken:
        raise _title_taken(title, Locale(current.language)) from taken


def _made_by(
    reply: CannedReply, editor: str, title: str, sub_category: SubCategory | None, body: str
) -> bool:
    """Returns whether `reply` is, active, what `editor` asked it to become."""
    return (
        reply.retired_at is None
        and reply.updated_by == editor
        and (reply.title, reply.sub_category, reply.body)
        == (" ".join(title.split()), sub_category.value if sub_category else None, body)
    )


def retire_template(session: Session, canned_reply_id: int, *, admin: str) -> CannedReply:
    """Returns the template retired (as it was, when it was retired before)."""
    try:
        return retire_canned_reply(
            session, canned_reply_id=canned_reply_id, retired_by=admin, now=datetime.now(UTC)
        )
    except CannedReplyNotFound as missing:
        raise canned_reply_not_found(canned_reply_id) from missing


def suggestions_for(
    session: Session, view: ComplaintView, *, agent_name: str | None
) -> CannedReplySuggestions:
    """Returns the active templates for the complaint in its language, its sub-category's
    first then the general ones (the most used first in each), each filled in for it."""
    language = complaint_language(view)
    sub_category = view.classification.sub_category if view.classification else None
    values = placeholder_values(view, agent_name=agent_name)
    items: list[CannedReplySuggestion] = []
    for listed in suggested_canned_replies(session, language=language, sub_category=sub_category):
        reply = listed.reply
        assert reply.id is not None
        text: str | None = None
        missing: str | None = None
        try:
            text = render_canned_reply(reply.body, language=language, values=values)
        except CannedReplyNotRenderable as lacking:
            missing = lacking.missing
        except CannedReplyRefused:
            # A body kept before a rule was tightened: not offered until an admin fixes it.
            continue
        items.append(
            CannedReplySuggestion(
                canned_reply_id=reply.id,
                title=reply.title,
                sub_category=SubCategory(reply.sub_category) if reply.sub_category else None,
                version=reply.version,
                uses=listed.uses,
                text=text,
                missing_value=missing,
            )
        )
    return CannedReplySuggestions(
        complaint_id=view.complaint_id, language=language, sub_category=sub_category, items=items
    )


def check_reply_template(session: Session, canned_reply_id: int, *, field: str) -> None:
    """Raises the 422 naming `field` unless the template exists (active or retired: a
    reply started from one retired meanwhile still counts as its use)."""
    if get_canned_reply(session, canned_reply_id=canned_reply_id) is None:
        problem = f"no canned reply {canned_reply_id}; list them at /canned-replies"
        raise ApiError(
            422,
            "validation_failed",
            f"invalid fields: {field}; {problem}",
            fields=[FieldProblem(field=field, problem=problem)],
        )


def count_reply_from_template(
    session: Session, *, canned_reply_id: int, complaint_id: str, agent: str, reply_key: str
) -> bool:
    """Counts the reply `reply_key` (its update id) as sent from the template, once;
    returns whether this call counted it. Call it after the reply reached the complaint."""
    reply = found_template(session, canned_reply_id)
    return record_canned_reply_use(
        session,
        canned_reply_id=canned_reply_id,
        version=reply.version,
        complaint_id=complaint_id,
        used_by=agent,
        use_key=reply_key,
        now=datetime.now(UTC),
    )
