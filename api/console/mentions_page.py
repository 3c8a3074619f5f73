"""The mentions page: public posts about the shop, the newest first, each with the
detector's decision and score, the complaint it opened and the label staff gave it; and
the two forms that label one, for agents, supervisors and admins.

- "Open a complaint" on a mention the detector passed over labels it a complaint and
  opens its complaint through the same intake as `POST /mentions` (one complaint however
  often it is sent).
- "Not a complaint" on a mention that opened one labels it so, and leaves the complaint
  as it is: an agent may already have answered its author, so closing it is done on the
  complaint's page, with a message.

Both take the path of `POST /mentions/{id}/label` (`api.mention_calls`), signed with the
signed-in user's id; each rendered form carries a key of its own, so the same form sent
twice records one label. The list reads the store only, filtered and paged in the URL.
"""

import secrets
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.queue_page import QueueInputError
from api.console.rendering import render
from api.console.routing import ConsoleRoute
from api.console.session import CONSOLE_PREFIX, ConsoleUser, SignedIn, check_form, require
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ApiError
from api.mention_calls import label_mention
from domain.access import Permission
from domain.mention_labels import MENTION_ID_PATTERN, MentionDecision
from store.mention_labels import label_of
from store.mentions import MentionRow, get_mention, list_mentions

router = APIRouter(route_class=ConsoleRoute)

MENTIONS_PAGE_SIZE = 25
# Far past any list of mentions, and an offset every store's integer holds.
MAX_PAGE = 1_000_000
DECISIONS = [decision.value for decision in MentionDecision]
MentionIdPath = Annotated[str, Path(pattern=MENTION_ID_PATTERN)]
FORM_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
# The list to come back to after a form: the filter and page it was sent from.
BACK_DECISION_PATTERN = r"^(|" + "|".join(DECISIONS) + r")$"
BACK_PAGE_PATTERN = r"^[0-9]{0,7}$"
# What the page says after a form: which label was recorded.
DONE_OPENED = "opened"
DONE_NOT_A_COMPLAINT = "not_a_complaint"


@dataclass(frozen=True)
class MentionListPage:
    """One page of mentions, how many match, the page's number and the number of pages."""

    rows: list[MentionRow]
    total: int
    page: int
    pages: int


@dataclass
class MentionsView:
    """What the template shows; `result` is None when the URL was refused."""

    decision: MentionDecision | None = None
    result: MentionListPage | None = None
    error: QueueInputError | None = None
    # After a form: what was recorded, on which mention (its row as it is now).
    done: str | None = None
    done_row: MentionRow | None = None
    refused: dict[str, object] | None = None


def _page_asked(request: Request) -> int:
    raw = request.query_params.get("page", "1") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise QueueInputError("queue_page_invalid")
    return int(raw)


def _decision_asked(request: Request) -> MentionDecision | None:
    asked = request.query_params.get("decision", "")
    if asked and asked not in DECISIONS:
        raise QueueInputError("mentions_decision_invalid")
    return MentionDecision(asked) if asked else None


def read_mention_page(
    session: Session, *, decision: MentionDecision | None, page: int
) -> MentionListPage:
    """Returns page `page` (from 1) of the mentions `decision` selects; a page past the
    end is the last one (mentions labelled since the link was made leave a filter)."""

    def read(number: int) -> tuple[list[MentionRow], int]:
        offset = (number - 1) * MENTIONS_PAGE_SIZE
        return list_mentions(session, decision=decision, limit=MENTIONS_PAGE_SIZE, offset=offset)

    rows, total = read(page)
    pages = max(1, -(-total // MENTIONS_PAGE_SIZE))
    if page > pages:
        page = pages
        rows, total = read(page)
    return MentionListPage(rows=rows, total=total, page=page, pages=pages)


def _done_row(session: Session, request: Request) -> tuple[str | None, MentionRow | None]:
    done, mention_id = request.query_params.get("done"), request.query_params.get("mention", "")
    if done not in (DONE_OPENED, DONE_NOT_A_COMPLAINT):
        return None, None
    mention = get_mention(session, mention_id=mention_id)
    if mention is None:
        return None, None
    return done, MentionRow(mention=mention, label=label_of(session, mention_id=mention_id))


def _read(session: Session, request: Request) -> MentionsView:
    view = MentionsView()
    view.done, view.done_row = _done_row(session, request)
    try:
        view.decision = _decision_asked(request)
        view.result = read_mention_page(session, decision=view.decision, page=_page_asked(request))
    except QueueInputError as refused:
        view.error = refused
    return view


def _list_url(decision: str | None, page: int | str | None, **extra: str) -> str:
    params = {"decision": decision or "", "page": str(page or "")} | extra
    kept = {name: value for name, value in params.items() if value and value != "1"}
    return f"{CONSOLE_PREFIX}/mentions" + (f"?{urlencode(kept)}" if kept else "")


def _show(request: Request, user: ConsoleUser, view: MentionsView, status_code: int) -> Response:
    decision = view.decision.value if view.decision else ""
    return render(
        request,
        "mentions.html",
        user=user,
        status_code=status_code,
        mentions=view,
        decisions=DECISIONS,
        back_decision=decision,
        back_page=view.result.page if view.result else 1,
        new_form_key=lambda: secrets.token_urlsafe(24),
        page_url=lambda number: _list_url(decision, number),
    )


@router.get("/mentions")
async def mentions_page(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows the mentions, the newest first, with the detector's decision and the label."""
    require(user, Permission.REVIEW_MENTIONS, "forbidden_mentions")
    view = await run_in_threadpool(_read, session, request)
    return _show(request, user, view, 422 if view.error else 200)


async def _refused_page(
    request: Request,
    user: ConsoleUser,
    session: Session,
    mention_id: str,
    error: ApiError,
    back: tuple[str, str],
) -> Response:
    """Returns the list the form came from, with the refusal in words at the top."""
    decision, page = back
    view = MentionsView(decision=MentionDecision(decision) if decision else None)
    view.result = await run_in_threadpool(
        read_mention_page, session, decision=view.decision, page=int(page or 1) or 1
    )
    label = await run_in_threadpool(label_of, session, mention_id=mention_id)
    if error.error == "mention_already_labelled" and label is not None:
        view.refused = {
            "key": "refused_mention_labelled_complaint"
            if label.is_complaint
            else "refused_mention_labelled_not_complaint",
            "who": label.labelled_by,
            "at": label.labelled_at,
        }
    else:
        known = {"mention_not_found", "idempotency_key_reused"}
        view.refused = {"key": f"refused_{error.error}" if error.error in known else "invalid_form"}
    return _show(request, user, view, error.status_code)


# What each form's URL records: the label it gives the mention.
LABEL_ACTIONS = {"open": True, "not-a-complaint": False}
LabelAction = Annotated[Literal["open", "not-a-complaint"], Path()]


@router.post("/mentions/{mention_id}/{action}")
async def label_from_form(
    request: Request,
    mention_id: MentionIdPath,
    action: LabelAction,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    form_key: Annotated[str, Form(pattern=FORM_KEY_PATTERN)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    decision: Annotated[str, Form(pattern=BACK_DECISION_PATTERN)] = "",
    page: Annotated[str, Form(pattern=BACK_PAGE_PATTERN)] = "",
) -> Response:
    """Labels the mention as the form says (`open`: a complaint, and opens its complaint;
    `not-a-complaint`: not one, its complaint left as it is), then shows the list the
    form came from again."""
    check_form(settings.secret_key, user, csrf_token)
    require(user, Permission.REVIEW_MENTIONS, "forbidden_mentions")
    is_complaint = LABEL_ACTIONS[action]
    labeller = user.principal.user_id
    back = (decision, page)
    try:
        await label_mention(
            mention_id,
            is_complaint=is_complaint,
            labelled_by=labeller,
            request_key=f"console/{labeller}/{form_key}" if form_key else None,
            session=session,
            temporal=temporal,
            settings=settings,
        )
    except ApiError as refused:
        return await _refused_page(request, user, session, mention_id, refused, back)
    done = DONE_OPENED if is_complaint else DONE_NOT_A_COMPLAINT
    target = _list_url(*back, done=done, mention=mention_id)
    return RedirectResponse(f"{target}#mention-{mention_id}", status_code=303)
