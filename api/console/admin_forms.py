"""What the admin pages' forms share: the key each rendered form carries, the audit note a
change is written with, and refusals worded by their code.

Every admin form carries a key of its own (`form_key`), written on the audit trail with
the change it made: the same form sent twice (a double click, a reload of the answer)
changes nothing the second time and the page says so, instead of issuing a second key or
a second password.
"""

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.messages import EN
from api.console.session import (
    CONSOLE_PREFIX,
    ConsoleProblem,
    ConsoleUser,
    SignedIn,
    check_form,
    require,
)
from api.deps import SettingsDep
from domain.access import Permission
from store.admin_changes import ChangeNote, FormAlreadySent, form_already_sent
from store.staff import StaffError
from store.tables.admin_changes import MAX_REASON_CHARS
from store.team_members import MemberError
from store.teams import UnknownTeamError

T = TypeVar("T")
FORM_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
ADMIN_PREFIX = f"{CONSOLE_PREFIX}/admin"


class AdminProblem(ConsoleProblem):
    """A refusal whose sentence names a value (a weekday, a date): `values` fill it in."""

    def __init__(self, message_key: str, **values: object) -> None:
        super().__init__(422, message_key)
        self.values = values


def new_form_key() -> str:
    """Returns the key of a form about to be rendered."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class SentForm:
    """An admin form whose CSRF token is this session's, from a user allowed to send it:
    who sent it, its key and the reason typed."""

    user: ConsoleUser
    form_key: str
    reason: str

    def note(self, form_key: str | None = None) -> ChangeNote:
        """Returns the audit note of the change this form asks for (under another key for
        a second change it makes); raises the refusal naming the reason when too long."""
        reason = self.reason.strip()
        if len(reason) > MAX_REASON_CHARS:
            raise ConsoleProblem(422, "admin_reason_too_long")
        actor = self.user.principal.user_id
        return ChangeNote(actor=actor, reason=reason, form_key=form_key or self.form_key)


def sent_by(
    permission: Permission, *, refusal: str = "forbidden_admin"
) -> Callable[..., Awaitable[SentForm]]:
    """Returns the dependency of an admin form's route: its common fields, checked (the
    session's CSRF token, then `permission`, refused with the sentence `refusal`)."""

    async def sent(
        user: SignedIn,
        settings: SettingsDep,
        form_key: Annotated[str, Form(pattern=FORM_KEY_PATTERN)],
        reason: Annotated[str, Form(max_length=10_000)] = "",
        csrf_token: Annotated[str, Form(max_length=128)] = "",
    ) -> SentForm:
        check_form(settings.secret_key, user, csrf_token)
        require(user, permission, refusal)
        return SentForm(user=user, form_key=form_key, reason=reason)

    return sent


# What every admin form's route takes: the form's common fields, checked.
StaffForm = Annotated[SentForm, Depends(sent_by(Permission.MANAGE_STAFF))]
TeamsForm = Annotated[SentForm, Depends(sent_by(Permission.MANAGE_TEAMS))]


def refused(error: StaffError | MemberError | UnknownTeamError) -> ConsoleProblem:
    """Returns the page's refusal for a change the store would not make."""
    if isinstance(error, UnknownTeamError):
        return ConsoleProblem(422, "admin_refused_unknown_team")
    return ConsoleProblem(422, f"admin_refused_{error.code}")


async def run_change(
    session: Session, change: Callable[[Session], T], *, form_key: str
) -> T | ConsoleProblem | None:
    """Runs `change` off the event loop; returns what it returned, the refusal to show
    (nothing changed), or None when its form was sent before (nothing changed again)."""

    def once(session: Session) -> T:
        # Checked first, so a resent form is not refused for what its first sending did
        # (a user id taken by that very user); the trail's unique key catches a race.
        if form_already_sent(session, form_key):
            raise FormAlreadySent(form_key)
        return change(session)

    try:
        return await run_in_threadpool(once, session)
    except FormAlreadySent:
        return None
    except (StaffError, MemberError, UnknownTeamError) as error:
        return refused(error)
    except ConsoleProblem as problem:
        return problem


def done(
    path: str, what: str, *, subject: str = "", anchor: str = "", **kept: str
) -> RedirectResponse:
    """Returns the redirect after a change, to `path` saying `what` was done (to
    `subject`), scrolled to the element `anchor` names, with the `kept` query values."""
    query = kept | {"done": what} | ({"subject": subject} if subject else {})
    fragment = f"#{anchor}" if anchor else ""
    return RedirectResponse(f"{path}?{urlencode(query)}{fragment}", status_code=303)


def done_notice(request: Request) -> tuple[str, str] | None:
    """Returns the sentence saying what the last form did and to whom, from the URL the
    form redirected to (None when it names nothing the catalogue words)."""
    key = f"admin_done_{request.query_params.get('done', '')}"
    if key not in EN:
        return None
    return key, request.query_params.get("subject", "")[:64]
