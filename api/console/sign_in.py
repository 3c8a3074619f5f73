"""Signing in and out of the console, where each user lands, and its two static files."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import FileResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, issue_session_token, staff_principal
from api.console.rendering import render
from api.console.routing import ConsoleRoute
from api.console.session import (
    CONSOLE_PREFIX,
    SIGN_IN_NONCE_COOKIE,
    ConsoleProblem,
    SignedIn,
    check_form,
    clear_session_cookie,
    form_token,
    form_token_valid,
    safe_next,
    set_session_cookie,
    set_sign_in_nonce,
    sign_in_nonce,
)
from api.deps import SessionDep, SettingsDep
from domain.access import CONSOLE_ROLES, Permission
from store.staff import user_for_password

router = APIRouter(route_class=ConsoleRoute)

STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = {
    "console.css": "text/css",
    "console.js": "text/javascript",
    "workspace.js": "text/javascript",
    "canned_replies.js": "text/javascript",
    "presence.js": "text/javascript",
}
# Longer ones are refused before hashing: scrypt on megabytes would be a cheap DoS.
MAX_PASSWORD_CHARS = 1024


def landing_page(principal: Principal) -> str:
    """Returns where a user starts: supervisors at their inbox, agents at their queue, the
    warehouse at the returns waiting for inspection."""
    if principal.may(Permission.DECIDE_APPROVALS):
        return f"{CONSOLE_PREFIX}/approvals"
    if not principal.may(Permission.WORK_COMPLAINTS) and principal.may(Permission.INSPECT_RETURNS):
        return f"{CONSOLE_PREFIX}/returns"
    return f"{CONSOLE_PREFIX}/queue"


def _sign_in_form(
    request: Request,
    secret: str,
    *,
    next_page: str | None,
    status_code: int = 200,
    error_key: str | None = None,
    notice_key: str | None = None,
    user_id: str = "",
) -> Response:
    nonce, new = sign_in_nonce(request)
    response = render(
        request,
        "sign_in.html",
        user=None,
        status_code=status_code,
        csrf_token=form_token(secret, nonce),
        next_page=safe_next(next_page) or "",
        error_key=error_key,
        notice_key=notice_key,
        user_id=user_id,
    )
    if new:
        set_sign_in_nonce(response, request, nonce)
    return response


@router.get("/sign-in")
async def sign_in_page(
    request: Request, settings: SettingsDep, next: str = "", signed_out: bool = False
) -> Response:
    """Shows the sign-in form."""
    notice = "signed_out" if signed_out else None
    return _sign_in_form(request, settings.secret_key, next_page=next, notice_key=notice)


@router.post("/sign-in")
async def sign_in(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    user_id: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD_CHARS)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Checks the password and starts a session; a failure never says which part was wrong."""
    nonce = request.cookies.get(SIGN_IN_NONCE_COOKIE, "")
    if not form_token_valid(settings.secret_key, nonce, csrf_token):
        raise ConsoleProblem(403, "csrf_refused")
    user = await run_in_threadpool(
        user_for_password, session, user_id=user_id.strip(), password=password
    )
    if user is None:
        return _sign_in_form(
            request,
            settings.secret_key,
            next_page=next,
            status_code=401,
            error_key="sign_in_failed",
            user_id=user_id,
        )
    principal = staff_principal(user)
    if principal.role not in CONSOLE_ROLES:
        # Only said after the password matched, so it reveals nothing to a guesser.
        return _sign_in_form(
            request,
            settings.secret_key,
            next_page=next,
            status_code=403,
            error_key="sign_in_role_refused",
            user_id=user_id,
        )
    response = RedirectResponse(safe_next(next) or landing_page(principal), status_code=303)
    set_session_cookie(response, request, issue_session_token(settings.secret_key, user))
    return response


@router.post("/sign-out")
async def sign_out(
    request: Request,
    settings: SettingsDep,
    user: SignedIn,
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> RedirectResponse:
    """Ends the session in this browser."""
    check_form(settings.secret_key, user, csrf_token)
    response = RedirectResponse(f"{CONSOLE_PREFIX}/sign-in?signed_out=true", status_code=303)
    clear_session_cookie(response, request)
    return response


@router.get("/static/{name}")
async def static_file(name: str) -> FileResponse:
    """Serves the console's stylesheet and script (nothing else from the directory)."""
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        raise ConsoleProblem(404, "not_found")
    return FileResponse(
        STATIC_DIR / name,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
