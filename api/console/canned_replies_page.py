"""Canned replies in the console: the list with each template's usage (supervisors read
it, admins also write), and the admins' forms to create, edit and retire templates.

The forms validate with the API's own models (`api.canned_reply_models`) and write through
the API's calls (`api.canned_reply_calls`), so the console refuses what the API refuses:
each refused field is named on the page, in the page's language, with what was typed kept.
A new template's form carries a key of its own (the same form sent twice creates one
template); an edit carries the version it was made from (an edit made while a colleague
saved theirs is refused, with both versions shown).
"""

import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.canned_reply_calls import create_template, edit_template, found_template, retire_template
from api.canned_reply_models import CannedReplyCreate, CannedReplyUpdate
from api.console.canned_reply_forms import (
    FORM_KEY_PATTERN,
    FieldRefusal,
    field_refusals,
    store_refusal,
)
from api.console.queue_page import QueueInputError
from api.console.rendering import choose_language, render
from api.console.routing import ConsoleRoute
from api.console.session import (
    CONSOLE_PREFIX,
    ConsoleProblem,
    ConsoleUser,
    SignedIn,
    check_form,
    require,
)
from api.deps import SessionDep, SettingsDep
from api.errors import ApiError
from core.wording.canned_replies import ALLOWED_FILTERS, ALLOWED_TESTS
from domain.access import Permission
from domain.canned_replies import GENERAL, MAX_BODY_CHARS, MAX_TITLE_CHARS, PLACEHOLDER_KINDS
from domain.taxonomy import SUBCATEGORIES, Locale, SubCategory
from store.canned_replies import (
    CannedReplyStatus,
    ListedCannedReply,
    canned_reply_uses,
    list_canned_replies,
)
from store.tables.canned_replies import CannedReply

router = APIRouter(route_class=ConsoleRoute)

PAGE = f"{CONSOLE_PREFIX}/canned-replies"
CannedReplyIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
LANGUAGES = [locale.value for locale in Locale]
SUB_CATEGORY_FILTERS = [GENERAL, *(sub.value for sub in SubCategory)]
STATUSES = [status.value for status in CannedReplyStatus]
NOTICES = {"created": "canned_created", "saved": "canned_saved", "retired": "canned_retired_notice"}
TextField = Annotated[str, Form()]


@dataclass
class ListView:
    """What the list shows; `rows` is None when a filter was refused."""

    language: str = ""
    sub_category: str = ""
    status: str = CannedReplyStatus.ACTIVE.value
    rows: list[ListedCannedReply] | None = None
    error: QueueInputError | None = None
    notice: tuple[str, str] | None = None


@dataclass
class TemplateForm:
    """A new template's form, or an existing one's; what was typed, and why it came back."""

    typed: dict[str, str]
    reply: CannedReply | None = None
    uses: int = 0
    problems: list[FieldRefusal] = field(default_factory=list)
    # A colleague's version, saved while this one was being edited.
    theirs: CannedReply | None = None
    form_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def problem(self, name: str) -> FieldRefusal | None:
        """Returns the refusal naming the input `name`, if any."""
        return next((problem for problem in self.problems if problem.field == name), None)


def _filter(request: Request, name: str, allowed: list[str]) -> str:
    value = request.query_params.get(name, "")
    if value and value not in allowed:
        raise QueueInputError("queue_filter_invalid", field_key=f"canned_{name}", name=name)
    return value


def _read_list(session: Session, request: Request) -> ListView:
    view = ListView()
    try:
        view.language = _filter(request, "language", LANGUAGES)
        view.sub_category = _filter(request, "sub_category", SUB_CATEGORY_FILTERS)
        view.status = _filter(request, "status", STATUSES) or CannedReplyStatus.ACTIVE.value
    except QueueInputError as refused:
        view.error = refused
        return view
    general = view.sub_category == GENERAL
    view.rows = list_canned_replies(
        session,
        language=Locale(view.language) if view.language else None,
        sub_category=SubCategory(view.sub_category) if view.sub_category and not general else None,
        general_only=general,
        status=CannedReplyStatus(view.status),
    )
    for param, key in NOTICES.items():
        raw = request.query_params.get(param, "")
        shown = next((row.reply for row in view.rows if str(row.reply.id) == raw), None)
        if shown is None and raw.isdigit() and len(raw) < 10:
            shown = found_or_none(session, int(raw))
        if shown is not None:
            view.notice = (key, shown.title)
    return view


def found_or_none(session: Session, canned_reply_id: int) -> CannedReply | None:
    """Returns the template, or None when there is none."""
    try:
        return found_template(session, canned_reply_id)
    except ApiError:
        return None


def _page(
    request: Request, user: ConsoleUser, template: str, status_code: int = 200, **values: Any
) -> Response:
    return render(
        request,
        template,
        user=user,
        status_code=status_code,
        placeholders=list(PLACEHOLDER_KINDS.items()),
        allowed_filters=ALLOWED_FILTERS,
        allowed_tests=ALLOWED_TESTS,
        sub_categories=list(SUBCATEGORIES.items()),
        languages=LANGUAGES,
        max_title=MAX_TITLE_CHARS,
        max_body=MAX_BODY_CHARS,
        **values,
    )


@router.get("/canned-replies")
async def canned_replies_list(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows the templates with their usage, filtered by language, sub-category, status."""
    require(user, Permission.READ_CANNED_REPLIES, "forbidden_canned_replies")
    view = await run_in_threadpool(_read_list, session, request)
    return _page(
        request,
        user,
        "canned_replies.html",
        status_code=422 if view.error else 200,
        listing=view,
        sub_category_filters=SUB_CATEGORY_FILTERS,
        statuses=STATUSES,
    )


def _form_page(
    request: Request, user: ConsoleUser, form: TemplateForm, status_code: int = 200
) -> Response:
    return _page(request, user, "canned_reply_form.html", status_code=status_code, form=form)


@router.get("/canned-replies/new")
async def new_canned_reply(request: Request, user: SignedIn) -> Response:
    """Shows the form for a new template (in the language asked for, else the page's)."""
    require(user, Permission.MANAGE_CANNED_REPLIES, "forbidden_canned_manage")
    asked = request.query_params.get("language", "")
    language = asked if asked in LANGUAGES else choose_language(request, user)[0].value
    typed = {"title": "", "language": language, "sub_category": "", "body": ""}
    return _form_page(request, user, TemplateForm(typed=typed))


@router.post("/canned-replies/new")
async def create_canned_reply(
    request: Request,
    user: SignedIn,
    session: SessionDep,
    settings: SettingsDep,
    title: TextField = "",
    language: TextField = "",
    sub_category: TextField = "",
    body: TextField = "",
    form_key: Annotated[str, Form(pattern=FORM_KEY_PATTERN)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Creates the template, then lists the templates with it (303)."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.MANAGE_CANNED_REPLIES, "forbidden_canned_manage")
    typed = {"title": title, "language": language, "sub_category": sub_category, "body": body}
    form = TemplateForm(typed=typed, form_key=form_key or secrets.token_urlsafe(24))
    try:
        asked = CannedReplyCreate.model_validate(typed | {"sub_category": sub_category or None})
    except ValidationError as invalid:
        form.problems = field_refusals(invalid)
        return _form_page(request, user, form, status_code=422)
    key = f"console/{user.principal.user_id}/{form_key}" if form_key else None
    try:
        made = await run_in_threadpool(
            create_template, session, asked, author=user.principal.user_id, creation_key=key
        )
    except ApiError as refused:
        form.problems = [store_refusal(refused, asked.title)]
        return _form_page(request, user, form, status_code=refused.status_code)
    return RedirectResponse(f"{PAGE}?created={made.id}", status_code=303)


def _typed_from(reply: CannedReply) -> dict[str, str]:
    return {
        "title": reply.title,
        "language": reply.language,
        "sub_category": reply.sub_category or "",
        "body": reply.body,
        "version": str(reply.version),
    }


async def _existing(session: Session, canned_reply_id: int) -> tuple[CannedReply, int]:
    try:
        reply = await run_in_threadpool(found_template, session, canned_reply_id)
    except ApiError as missing:
        raise ConsoleProblem(404, "canned_not_found") from missing
    uses = await run_in_threadpool(canned_reply_uses, session, canned_reply_id=canned_reply_id)
    return reply, uses


@router.get("/canned-replies/{canned_reply_id}")
async def edit_canned_reply_page(
    request: Request, canned_reply_id: CannedReplyIdPath, user: SignedIn, session: SessionDep
) -> Response:
    """Shows a template's form (a retired one read only, with when and by whom)."""
    require(user, Permission.MANAGE_CANNED_REPLIES, "forbidden_canned_manage")
    reply, uses = await _existing(session, canned_reply_id)
    form = TemplateForm(typed=_typed_from(reply), reply=reply, uses=uses)
    return _form_page(request, user, form)


@router.post("/canned-replies/{canned_reply_id}")
async def save_canned_reply(
    request: Request,
    canned_reply_id: CannedReplyIdPath,
    user: SignedIn,
    session: SessionDep,
    settings: SettingsDep,
    title: TextField = "",
    sub_category: TextField = "",
    body: TextField = "",
    version: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Saves the edit made from `version`, then lists the templates (303)."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.MANAGE_CANNED_REPLIES, "forbidden_canned_manage")
    reply, uses = await _existing(session, canned_reply_id)
    typed = _typed_from(reply) | {
        "title": title,
        "sub_category": sub_category,
        "body": body,
        "version": version,
    }
    form = TemplateForm(typed=typed, reply=reply, uses=uses)
    fields = {"title": title, "sub_category": sub_category or None, "body": body}
    try:
        asked = CannedReplyUpdate.model_validate(fields | {"version": version or "0"})
    except ValidationError as invalid:
        form.problems = field_refusals(invalid)
        return _form_page(request, user, form, status_code=422)
    try:
        await run_in_threadpool(
            edit_template, session, canned_reply_id, asked, editor=user.principal.user_id
        )
    except ApiError as refused:
        current, form.uses = await _existing(session, canned_reply_id)
        form.problems = [store_refusal(refused, asked.title or "", current)]
        if refused.error == "canned_reply_edited_meanwhile":
            # Saving again overwrites theirs knowingly: the form moves to their version.
            form.theirs = current
            form.typed["version"] = str(current.version)
        form.reply = current
        return _form_page(request, user, form, status_code=refused.status_code)
    return RedirectResponse(f"{PAGE}?saved={canned_reply_id}", status_code=303)


@router.post("/canned-replies/{canned_reply_id}/retire")
async def retire_canned_reply(
    canned_reply_id: CannedReplyIdPath,
    user: SignedIn,
    session: SessionDep,
    settings: SettingsDep,
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Retires the template (repeating it changes nothing), then lists the templates."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.MANAGE_CANNED_REPLIES, "forbidden_canned_manage")
    await _existing(session, canned_reply_id)
    await run_in_threadpool(retire_template, session, canned_reply_id, admin=user.principal.user_id)
    return RedirectResponse(f"{PAGE}?retired={canned_reply_id}", status_code=303)
