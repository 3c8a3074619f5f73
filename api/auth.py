"""Who is calling, and whether they may: the FastAPI dependencies every route declares.

Credentials, in the order they are looked at:
- `Authorization: Bearer rdk_...`: a staff or service API key (see `store.staff`);
- `Authorization: Bearer <link token>`: a customer's signed case link (`core.links`),
  which opens only the case in its token;
- the console's session cookie, set by signing in with a password (`api.console`).

No or bad credentials -> 401; valid ones without the permission -> 403. Either way the
request stops here, before any workflow hears of it.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, cast

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, get_session
from api.errors import ApiError
from api.key_cache import VerifiedKeys
from core.links import CaseKind, CaseLink, InvalidLink, LinkPurpose, read_link_token
from core.settings import Settings
from domain.access import CUSTOMER_LINK_PERMISSIONS, Permission, Role, role_allows
from store.staff import KEY_PREFIX, active_user, user_for_key
from store.tables.staff import StaffUser

SESSION_COOKIE = "redress_session"
SESSION_AUDIENCE = "redress:console"
SESSION_HOURS = 10  # one shift, with room for overtime
# The path parameter that names each kind of case: a link only opens its own case.
CASE_PATH_PARAMS = {"complaint_id": CaseKind.COMPLAINT, "return_id": CaseKind.RETURN}

_bearer = HTTPBearer(auto_error=False, description="An API key (`rdk_...`) or a link token")


@dataclass(frozen=True)
class Principal:
    """The caller: a staff member or service with a role, or a customer holding a link."""

    user_id: str
    display_name: str
    locale: str
    role: Role | None = None
    link: CaseLink | None = None

    def may(self, permission: Permission) -> bool:
        """Returns whether the caller holds `permission` (on some case, for a link)."""
        if self.role is not None:
            return role_allows(self.role, permission)
        return self.link is not None and permission in CUSTOMER_LINK_PERMISSIONS


def unauthenticated(message: str) -> ApiError:
    """Returns the 401 for missing or invalid credentials."""
    return ApiError(401, "unauthenticated", message, headers={"WWW-Authenticate": "Bearer"})


def forbidden(message: str) -> ApiError:
    """Returns the 403 for credentials that do not allow the request."""
    return ApiError(403, "forbidden", message)


def staff_principal(user: StaffUser) -> Principal:
    """Returns the principal of a signed-in staff user."""
    return Principal(
        user_id=user.user_id,
        display_name=user.display_name,
        locale=user.locale,
        role=Role(user.role),
    )


def issue_session_token(secret: str, user: StaffUser, *, now: datetime | None = None) -> str:
    """Returns a console session token for `user`, valid for one shift."""
    issued = now or datetime.now(UTC)
    claims = {
        "aud": SESSION_AUDIENCE,
        "sub": user.user_id,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(hours=SESSION_HOURS)).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def _session_user_id(secret: str, token: str) -> str | None:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=SESSION_AUDIENCE)
    except jwt.InvalidTokenError:
        return None
    return str(claims.get("sub", "")) or None


def _look_up(session: Session, lookup: str, by_key: bool) -> StaffUser | None:
    try:
        return user_for_key(session, lookup) if by_key else active_user(session, lookup)
    finally:
        # End the read at once: the request may now wait on Temporal for a while, and a
        # connection held meanwhile is one fewer for everyone else (the pool is finite).
        session.close()


async def _staff_user(session: Session, lookup: str, *, by_key: bool) -> StaffUser | None:
    return await run_in_threadpool(_look_up, session, lookup, by_key)


def verified_keys(request: Request) -> "VerifiedKeys[Principal]":
    """Returns the app's memory of recently verified keys (made on first use)."""
    keys = getattr(request.app.state, "verified_keys", None)
    if keys is None:
        settings: Settings = request.app.state.settings
        keys = VerifiedKeys[Principal](settings.api_key_cache_seconds)
        request.app.state.verified_keys = keys
    return cast("VerifiedKeys[Principal]", keys)


async def _key_principal(request: Request, session: Session, token: str) -> Principal:
    cache = verified_keys(request)
    known = cache.get(token)
    if known is not None:
        return known
    user = await _staff_user(session, token, by_key=True)
    if user is None:
        raise unauthenticated("the API key is not valid (unknown, revoked or expired)")
    principal = staff_principal(user)
    cache.remember(token, principal)
    return principal


async def current_principal(
    request: Request,
    settings: SettingsDep,
    session: Annotated[Session, Depends(get_session)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Returns the authenticated caller; raises 401 when there is none."""
    if bearer is not None:
        token = bearer.credentials
        if token.startswith(f"{KEY_PREFIX}_"):
            return await _key_principal(request, session, token)
        try:
            link = read_link_token(settings.secret_key, token)
        except InvalidLink as invalid:
            raise unauthenticated(f"{invalid.reason}; ask for a new link") from invalid
        if link.purpose is not LinkPurpose.CASE:
            raise unauthenticated("this link is for a survey, not for the case itself")
        return Principal(user_id=f"customer:{link.case_id}", display_name="", locale="", link=link)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        user_id = _session_user_id(settings.secret_key, cookie)
        user = await _staff_user(session, user_id, by_key=False) if user_id else None
        if user is not None:
            return staff_principal(user)
        raise unauthenticated("the console session has ended; sign in again")
    raise unauthenticated("send an API key or link token as `Authorization: Bearer <token>`")


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(*permissions: Permission) -> Callable[..., Awaitable[Principal]]:
    """Returns a dependency that admits callers holding `permissions` (any one of them,
    when several are named).

    A customer's link also has to name the case in the URL: a link for one complaint opens
    neither another complaint nor any list.
    """
    needed = " or ".join(permission.value for permission in permissions)

    async def check(request: Request, principal: CurrentPrincipal) -> Principal:
        if not any(principal.may(permission) for permission in permissions):
            raise forbidden(f"your role may not do this (it needs {needed})")
        if principal.link is not None and not _link_opens(principal.link, request):
            raise forbidden("this link opens only the case it was sent for")
        return principal

    return check


def _link_opens(link: CaseLink, request: Request) -> bool:
    for param, kind in CASE_PATH_PARAMS.items():
        case_id = request.path_params.get(param)
        if case_id is not None:
            return kind is link.kind and case_id == link.case_id
    return False


# What routes declare, one alias per permission: `caller: MayOpenCases`.
MayOpenCases = Annotated[Principal, Depends(require(Permission.OPEN_CASES))]
MayReadCases = Annotated[Principal, Depends(require(Permission.READ_CASES))]
MaySpeakForCustomer = Annotated[Principal, Depends(require(Permission.SPEAK_FOR_CUSTOMER))]
MayWorkComplaints = Annotated[Principal, Depends(require(Permission.WORK_COMPLAINTS))]
MayDecideApprovals = Annotated[Principal, Depends(require(Permission.DECIDE_APPROVALS))]
MayReviewReturns = Annotated[Principal, Depends(require(Permission.REVIEW_RETURNS))]
MayInspectReturns = Annotated[Principal, Depends(require(Permission.INSPECT_RETURNS))]
MayReportMentions = Annotated[Principal, Depends(require(Permission.REPORT_MENTIONS))]
MayReviewMentions = Annotated[Principal, Depends(require(Permission.REVIEW_MENTIONS))]
MayExportMentionLabels = Annotated[Principal, Depends(require(Permission.EXPORT_MENTION_LABELS))]
MayViewAnalytics = Annotated[Principal, Depends(require(Permission.VIEW_ANALYTICS))]
MayRecoverService = Annotated[Principal, Depends(require(Permission.RECOVER_SERVICE))]
MayDecodeHistory = Annotated[Principal, Depends(require(Permission.DECODE_HISTORY))]
MayManageStaff = Annotated[Principal, Depends(require(Permission.MANAGE_STAFF))]
MayManageWebhooks = Annotated[Principal, Depends(require(Permission.MANAGE_WEBHOOKS))]
MayReadMetrics = Annotated[Principal, Depends(require(Permission.READ_METRICS))]
