"""Who is signed in to the console, their session cookie, and the CSRF tokens of forms.

The session is the cookie `api.auth` already accepts (`SESSION_COOKIE`, a signed token
from `issue_session_token`): HttpOnly so scripts never see it, SameSite=Strict so other
sites cannot send it along. Every form also carries a token bound to the session (or,
before sign-in, to a random nonce cookie), because SameSite alone is a browser promise
that older browsers and some proxies do not keep.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from api.auth import SESSION_COOKIE, SESSION_HOURS, Principal, current_principal
from api.deps import SessionDep, SettingsDep
from api.errors import ApiError
from domain.access import CONSOLE_ROLES, Permission

CONSOLE_PREFIX = "/console"
# Binds the sign-in form to this browser before anyone is signed in.
SIGN_IN_NONCE_COOKIE = "redress_console_nonce"
SIGN_IN_NONCE_SECONDS = 3600


class SignInRequired(Exception):
    """Nobody (or nobody allowed in the console) is signed in: the page sends them to sign in."""


class ConsoleProblem(Exception):
    """A console request that cannot be served, shown as a page with `status_code`.

    `message_key` names the sentence in the catalogue; `detail` is the workflow's own words,
    when it refused something.
    """

    def __init__(self, status_code: int, message_key: str, detail: str = "") -> None:
        super().__init__(message_key)
        self.status_code = status_code
        self.message_key = message_key
        self.detail = detail


@dataclass(frozen=True)
class ConsoleUser:
    """The signed-in staff member and the token that makes their forms' CSRF tokens."""

    principal: Principal
    session_token: str

    def may(self, permission: Permission) -> bool:
        """Returns whether the user holds `permission`."""
        return self.principal.may(permission)


def form_token(secret: str, binding: str) -> str:
    """Returns the CSRF token for forms of the session (or sign-in nonce) `binding`."""
    return hmac.new(secret.encode(), f"console-form:{binding}".encode(), hashlib.sha256).hexdigest()


def form_token_valid(secret: str, binding: str, token: str) -> bool:
    """Returns whether `token` was made by `form_token` for `binding`."""
    return bool(binding) and hmac.compare_digest(form_token(secret, binding), token)


async def signed_in(request: Request, settings: SettingsDep, session: SessionDep) -> ConsoleUser:
    """Returns the console user of the session cookie; raises SignInRequired without one.

    The cookie is checked by `api.auth.current_principal`, the same check the JSON routes
    make; API keys are not accepted here, since browsers send cookies, not keys.
    """
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        raise SignInRequired
    try:
        principal = await current_principal(request, settings, session, None)
    except ApiError as refused:
        raise SignInRequired from refused
    if principal.role not in CONSOLE_ROLES:
        raise SignInRequired
    user = ConsoleUser(principal=principal, session_token=token)
    # Error pages raised later in the request still show who is signed in.
    request.state.console_user = user
    return user


SignedIn = Annotated[ConsoleUser, Depends(signed_in)]


def check_form(secret: str, user: ConsoleUser, token: str) -> None:
    """Raises the 403 page unless `token` is this session's CSRF token."""
    if not form_token_valid(secret, user.session_token, token):
        raise ConsoleProblem(403, "csrf_refused")


def require(user: ConsoleUser, permission: Permission, message_key: str) -> None:
    """Raises the 403 page unless the user holds `permission`."""
    if not user.may(permission):
        raise ConsoleProblem(403, message_key)


async def works_complaints(user: SignedIn) -> ConsoleUser:
    """Returns the signed-in user of a complaint page; raises the 403 page for staff who
    do not work complaints (the warehouse, which sees its inspection queue only)."""
    require(user, Permission.WORK_COMPLAINTS, "forbidden_complaints")
    return user


def sign_in_nonce(request: Request) -> tuple[str, bool]:
    """Returns this browser's sign-in nonce, and whether it is new (to be set as a cookie)."""
    nonce = request.cookies.get(SIGN_IN_NONCE_COOKIE, "")
    if len(nonce) >= 32:
        return nonce, False
    return secrets.token_urlsafe(32), True


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_sign_in_nonce(response: Response, request: Request, nonce: str) -> None:
    """Sets the nonce cookie the sign-in form's CSRF token is bound to."""
    response.set_cookie(
        SIGN_IN_NONCE_COOKIE,
        nonce,
        max_age=SIGN_IN_NONCE_SECONDS,
        path=CONSOLE_PREFIX,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """Sets the session cookie for one shift (the token's own lifetime)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_HOURS * 3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    # The nonce has done its job; a new sign-in gets a new one.
    response.delete_cookie(SIGN_IN_NONCE_COOKIE, path=CONSOLE_PREFIX)


def clear_session_cookie(response: Response, request: Request) -> None:
    """Removes the session cookie from the browser."""
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )


def safe_next(target: str | None) -> str | None:
    """Returns `target` if it is a console path to return to after sign-in, else None.

    Only paths under the console are followed, so a crafted sign-in link cannot send a
    freshly signed-in supervisor to another site.
    """
    if not target or not target.startswith(f"{CONSOLE_PREFIX}/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target
