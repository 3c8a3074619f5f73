"""The canned reply picker on a complaint's reply form: the templates suggested for the
complaint (its sub-category's first, then the general ones, in its customer's language),
each already filled in for it, and the reply sent from one counted as its use.

Choosing a template fills the reply's textarea: the page's script does it in place
(`canned_replies.js`); without a script, "use this template" sends the form to the reply
route, which brings the page back with the textarea filled (`template_outcome`) and sends
nothing. Either way the agent edits the text before sending it, and the template's id
travels with the reply: once the reply reached the complaint, the use is counted, once
per reply (its update id), however often the form is sent.
"""

import uuid

from fastapi import Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.canned_reply_calls import count_reply_from_template, suggestions_for
from api.canned_reply_models import CannedReplySuggestions
from api.console.complaint_workspace import FormOutcome, FormProblem, Workspace
from api.console.messages import message
from api.console.rendering import choose_language
from api.console.session import ConsoleUser
from core.wording.canned_replies import (
    PLACEHOLDER_NAMES,
    CannedReplyNotRenderable,
    CannedReplyRefused,
    render_canned_reply,
)
from domain.canned_replies import complaint_language, placeholder_values
from domain.complaints import ComplaintView
from store.canned_replies import get_canned_reply
from store.tables.canned_replies import CannedReply

FIELD = "canned_reply_id"
# Ids are the store's integer keys: anything longer names nothing.
MAX_ID_DIGITS = 9


async def reply_picker(
    request: Request, user: ConsoleUser, session: Session, view: ComplaintView, workspace: Workspace
) -> CannedReplySuggestions | None:
    """Returns the templates the reply form offers, filled in for the complaint; None when
    the workspace offers no reply form."""
    if "reply" not in workspace.forms:
        return None
    return await run_in_threadpool(
        suggestions_for, session, view, agent_name=user.principal.display_name
    )


def _refused(message_key: str, **values: str) -> FormProblem:
    return FormProblem(422, message_key, FIELD, "canned_pick", values)


def _template(session: Session, raw_id: str) -> CannedReply | None:
    if not raw_id.isdigit() or len(raw_id) > MAX_ID_DIGITS:
        return None
    return get_canned_reply(session, canned_reply_id=int(raw_id))


async def chosen_template_problem(session: Session, raw_id: str) -> FormProblem | None:
    """Returns why the reply form's template choice cannot go with a reply (it names no
    template), or None when there is none or it names one."""
    if not raw_id:
        return None
    found = await run_in_threadpool(_template, session, raw_id)
    return None if found is not None else _refused("canned_pick_invalid")


async def template_outcome(
    request: Request,
    session: Session,
    user: ConsoleUser,
    view: ComplaintView,
    raw_id: str,
    typed: dict[str, str],
) -> FormOutcome:
    """Returns the reply form brought back filled with the template `raw_id` names, filled
    in for the complaint; or with why it cannot be (what was typed kept)."""
    reply = await run_in_threadpool(_template, session, raw_id) if raw_id else None
    if reply is None:
        return FormOutcome("reply", typed, _refused("canned_pick_invalid"))
    values = placeholder_values(view, agent_name=user.principal.display_name)
    try:
        text = render_canned_reply(reply.body, language=complaint_language(view), values=values)
    except CannedReplyNotRenderable as lacking:
        language, _ = choose_language(request, user)
        named = lacking.missing in PLACEHOLDER_NAMES
        lacks = message(language, f"placeholder_short_{lacking.missing}") if named else ""
        problem = _refused("canned_pick_unusable", title=reply.title, placeholder=lacks)
        return FormOutcome("reply", typed, problem)
    except CannedReplyRefused:
        return FormOutcome("reply", typed, _refused("canned_pick_invalid"))
    return FormOutcome(
        "reply", typed | {"message": text, FIELD: raw_id, "template_title": reply.title}
    )


async def count_template_use(
    session: Session, *, raw_id: str, complaint_id: str, agent: str, reply_key: str | None
) -> None:
    """Counts the reply just sent as a use of the template `raw_id` names (once per
    `reply_key`, the reply's update id; a reply without one is counted on its own)."""
    if not raw_id:
        return
    await run_in_threadpool(
        count_reply_from_template,
        session,
        canned_reply_id=int(raw_id),
        complaint_id=complaint_id,
        agent=agent,
        reply_key=reply_key or f"console/act/{agent}/{uuid.uuid4()}",
    )
