"""One staff user's page, for admins: who they are, their keys, the changes made to them,
and the forms that disable or enable them, reset their password, set their e-mail
address, issue a key and revoke one.

A new password or key is shown once, in the answer to the form that made it, and never
again: the store keeps only its hash. A reload of that answer sends the form again, finds
its key on the audit trail and says the secret is not shown twice.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.admin_forms import (
    ADMIN_PREFIX,
    SentForm,
    StaffForm,
    done,
    done_notice,
    new_form_key,
    run_change,
)
from api.console.rendering import render
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem, ConsoleUser, SignedIn, require
from api.deps import SessionDep
from domain.access import CONSOLE_ROLES, Permission, Role
from store.admin_changes import recent_changes
from store.staff import (
    disable_user,
    enable_user,
    issue_key,
    list_keys,
    revoke_key,
    set_email,
    set_password,
)
from store.tables.admin_changes import AdminChange
from store.tables.staff import ApiKey, StaffUser
from store.team_members import Member, team_members

router = APIRouter(route_class=ConsoleRoute)

# Staff ids as `domain.complaints.Identifier` takes them; anything else names no user.
UserIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
KeyIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{1,32}$")]
MAX_KEY_DAYS = 3650
MAX_LABEL_CHARS = 200


@dataclass(frozen=True)
class OneTimeSecret:
    """A password or key just made, to show once: `kind` is "password" or "key"."""

    kind: str
    value: str


# A change to one user: returns what was done (a `done=` word) or a secret to show once.
ChangeMaker = Callable[[Session], str | OneTimeSecret]


@dataclass(frozen=True)
class UserView:
    user: StaffUser
    keys: list[ApiKey]
    member: Member | None
    changes: list[AdminChange]


def _read(session: Session, user_id: str) -> UserView:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise ConsoleProblem(404, "admin_no_such_user")
    members = [m for m in team_members(session) if m.agent_id == user_id]
    return UserView(
        user=user,
        keys=list_keys(session, user_id=user_id),
        member=members[0] if members else None,
        changes=recent_changes(session, subject=user_id),
    )


def key_state(key: ApiKey, now: datetime) -> str:
    """Returns whether a key works: "working", "revoked" or "expired"."""
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is not None and key.expires_at <= now:
        return "expired"
    return "working"


async def user_page(
    request: Request,
    user: ConsoleUser,
    session: Session,
    user_id: str,
    *,
    status_code: int = 200,
    problem: ConsoleProblem | None = None,
    secret: OneTimeSecret | None = None,
    created: bool = False,
) -> Response:
    """Returns the user's page, with a refusal or a secret to show once if given."""
    view = await run_in_threadpool(_read, session, user_id)
    return render(
        request,
        "admin_user.html",
        user=user,
        status_code=status_code,
        view=view,
        signs_in=Role(view.user.role) in CONSOLE_ROLES,
        key_state=key_state,
        problem=problem,
        secret=secret,
        created=created,
        # One key per form on the page: each form may be sent once.
        form_keys={name: new_form_key() for name in ("state", "password", "email", "key")},
        revoke_keys={key.key_id: new_form_key() for key in view.keys},
        notice=done_notice(request),
    )


@router.get("/admin/staff/{user_id}")
async def staff_user(
    request: Request, user_id: UserIdPath, user: SignedIn, session: SessionDep
) -> Response:
    """Shows one staff user with their keys and the forms that change them."""
    require(user, Permission.MANAGE_STAFF, "forbidden_admin")
    return await user_page(request, user, session, user_id)


async def _change(
    request: Request,
    form: SentForm,
    session: Session,
    user_id: str,
    make: ChangeMaker,
) -> Response:
    """Runs `make` (a change to the user); returns the redirect saying what was done, the
    page with a secret to show once, or the page with the refusal."""
    user = form.user
    outcome = await run_change(session, make, form_key=form.form_key)
    if isinstance(outcome, ConsoleProblem):
        return await user_page(
            request, user, session, user_id, status_code=outcome.status_code, problem=outcome
        )
    if isinstance(outcome, OneTimeSecret):
        return await user_page(request, user, session, user_id, secret=outcome)
    return done(f"{ADMIN_PREFIX}/staff/{user_id}", outcome or "already", subject=user_id)


def _known(session: Session, user_id: str) -> StaffUser:
    found = session.get(StaffUser, user_id)
    if found is None:
        raise ConsoleProblem(404, "admin_no_such_user")
    return found


@router.post("/admin/staff/{user_id}/state")
async def change_user_state(
    request: Request,
    user_id: UserIdPath,
    form: StaffForm,
    session: SessionDep,
    action: Annotated[str, Form(pattern="^(disable|enable)$")],
) -> Response:
    """Disables the user (their keys and sessions stop at once) or enables them again."""

    def change(session: Session) -> str:
        _known(session, user_id)
        note = form.note()
        if action == "enable":
            enable_user(session, user_id=user_id, note=note)
            return "user_enabled"
        # An admin who locks themselves out needs another admin, or a shell, to get back.
        if user_id == form.user.principal.user_id:
            raise ConsoleProblem(422, "admin_refused_disable_self")
        disable_user(session, user_id=user_id, note=note)
        return "user_disabled"

    return await _change(request, form, session, user_id, change)


@router.post("/admin/staff/{user_id}/password")
async def reset_password(
    request: Request,
    user_id: UserIdPath,
    form: StaffForm,
    session: SessionDep,
) -> Response:
    """Gives the user a new console password, shown once on the answer."""

    def change(session: Session) -> OneTimeSecret:
        target = _known(session, user_id)
        if Role(target.role) not in CONSOLE_ROLES:
            raise ConsoleProblem(422, "admin_refused_password_not_for_role")
        password = secrets.token_urlsafe(12)
        set_password(session, user_id=user_id, password=password, note=form.note())
        return OneTimeSecret("password", password)

    return await _change(request, form, session, user_id, change)


@router.post("/admin/staff/{user_id}/email")
async def change_email(
    request: Request,
    user_id: UserIdPath,
    form: StaffForm,
    session: SessionDep,
    email: Annotated[str, Form(max_length=10_000)] = "",
    clear: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Sets the address the user's staff messages are e-mailed to, or clears it."""

    def change(session: Session) -> str:
        _known(session, user_id)
        address = None if clear else email.strip()
        if address == "":
            raise ConsoleProblem(422, "admin_email_required")
        set_email(session, user_id=user_id, email=address, note=form.note())
        return "email_set" if address else "email_cleared"

    return await _change(request, form, session, user_id, change)


def _expiry(days: str) -> datetime | None:
    """Returns when a key given `days` to live expires (None: never); raises the refusal
    naming the field when it is not a whole number of days within ten years."""
    if not days.strip():
        return None
    if not days.strip().isdigit() or int(days) > MAX_KEY_DAYS:
        raise ConsoleProblem(422, "admin_key_days_invalid")
    return datetime.now(UTC) + timedelta(days=int(days)) if int(days) else None


@router.post("/admin/staff/{user_id}/keys")
async def create_key(
    request: Request,
    user_id: UserIdPath,
    form: StaffForm,
    session: SessionDep,
    label: Annotated[str, Form(max_length=10_000)] = "",
    days: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Issues the user an API key, shown once on the answer."""

    def change(session: Session) -> OneTimeSecret:
        _known(session, user_id)
        if len(label.strip()) > MAX_LABEL_CHARS:
            raise ConsoleProblem(422, "admin_key_label_too_long")
        issued = issue_key(
            session,
            user_id=user_id,
            label=label.strip(),
            expires_at=_expiry(days),
            note=form.note(),
        )
        return OneTimeSecret("key", issued.token)

    return await _change(request, form, session, user_id, change)


@router.post("/admin/staff/{user_id}/keys/{key_id}/revoke")
async def revoke_user_key(
    request: Request,
    user_id: UserIdPath,
    key_id: KeyIdPath,
    form: StaffForm,
    session: SessionDep,
) -> Response:
    """Revokes one of the user's keys; requests with it are refused from then on."""

    def change(session: Session) -> str:
        key = session.get(ApiKey, key_id)
        if key is None or key.user_id != user_id:
            raise ConsoleProblem(422, "admin_refused_no_key")
        if key.revoked_at is not None:
            raise ConsoleProblem(422, "admin_refused_key_revoked")
        revoke_key(session, key_id=key_id, note=form.note())
        return "key_revoked"

    return await _change(request, form, session, user_id, change)
