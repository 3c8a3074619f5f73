"""Signed, expiring links that open one case for a customer and nothing else.

A link token is a JWT (HS256, `REDRESS_SECRET_KEY`) naming one case and what the link is
for: `case` (read the case, reply, answer an offer) or `survey` (answer its survey). The
API checks the signature, the expiry and that the case in the URL is the token's case, so
a link for one complaint never opens another. Tokens are not stored: rotating the secret
invalidates every link at once.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt

ALGORITHM = "HS256"
# Marks customer links apart from console session tokens signed with the same secret.
AUDIENCE = "redress:customer-link"
MIN_SECRET_CHARS = 32
# Where the API serves what each kind of link opens (`api.customer`); the links sent in
# messages are built from these, so the two never drift apart.
CASE_PAGE_PATH = "/my"
SURVEY_PAGE_PATH = "/surveys"


class CaseKind(StrEnum):
    COMPLAINT = "complaint"
    RETURN = "return"


class LinkPurpose(StrEnum):
    CASE = "case"
    SURVEY = "survey"


@dataclass(frozen=True)
class CaseLink:
    """What a verified link token grants: one purpose on one case, until `expires_at`."""

    kind: CaseKind
    case_id: str
    purpose: LinkPurpose
    expires_at: datetime


class InvalidLink(Exception):
    """A link token that is malformed, forged, expired or for another purpose."""

    def __init__(self, reason: str, *, expired: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.expired = expired


def check_secret(secret: str) -> None:
    """Raises ValueError unless `secret` is long enough to sign tokens with."""
    if len(secret) < MIN_SECRET_CHARS:
        raise ValueError(
            f"REDRESS_SECRET_KEY must have at least {MIN_SECRET_CHARS} characters "
            "(make one with `openssl rand -hex 32`)"
        )


def issue_link_token(
    secret: str,
    *,
    kind: CaseKind,
    case_id: str,
    purpose: LinkPurpose,
    expires_at: datetime,
    issued_at: datetime | None = None,
) -> str:
    """Returns a token for `purpose` on one case, valid until `expires_at`."""
    check_secret(secret)
    claims = {
        "aud": AUDIENCE,
        "sub": f"{kind.value}:{case_id}",
        "pur": purpose.value,
        "iat": int((issued_at or datetime.now(UTC)).timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def case_link_token(
    secret: str,
    *,
    kind: CaseKind,
    case_id: str,
    days: int,
    issued_at: datetime | None = None,
) -> str:
    """Returns the customer's link token for following and answering one case, valid for
    `days` from `issued_at` (now unless given)."""
    issued_at = issued_at or datetime.now(UTC)
    return issue_link_token(
        secret,
        kind=kind,
        case_id=case_id,
        purpose=LinkPurpose.CASE,
        expires_at=issued_at + timedelta(days=days),
        issued_at=issued_at,
    )


def survey_link_token(secret: str, *, kind: CaseKind, case_id: str, expires_at: datetime) -> str:
    """Returns the token of a case's follow-up survey link, valid until the survey closes."""
    return issue_link_token(
        secret, kind=kind, case_id=case_id, purpose=LinkPurpose.SURVEY, expires_at=expires_at
    )


def case_page_url(base_url: str, token: str) -> str:
    """Returns the address of the customer's own page for the case `token` opens."""
    return f"{base_url.rstrip('/')}{CASE_PAGE_PATH}/{token}"


def survey_page_url(base_url: str, token: str) -> str:
    """Returns the address of the survey page `token` opens."""
    return f"{base_url.rstrip('/')}{SURVEY_PAGE_PATH}/{token}"


def read_link_token(secret: str, token: str, *, now: datetime | None = None) -> CaseLink:
    """Returns what a valid token grants; raises InvalidLink saying why it is not valid."""
    check_secret(secret)
    try:
        # Expiry is checked below against `now`, so tests can move the clock.
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["exp", "sub", "aud"], "verify_exp": False},
        )
    except jwt.InvalidTokenError as error:
        raise InvalidLink("the link is not valid") from error
    expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
    if expires_at <= (now or datetime.now(UTC)):
        raise InvalidLink("the link has expired", expired=True)
    kind_text, _, case_id = str(claims["sub"]).partition(":")
    try:
        kind = CaseKind(kind_text)
        purpose = LinkPurpose(claims.get("pur", ""))
    except ValueError as error:
        raise InvalidLink("the link is not valid") from error
    if not case_id:
        raise InvalidLink("the link is not valid")
    return CaseLink(
        kind=kind,
        case_id=case_id,
        purpose=purpose,
        expires_at=expires_at,
    )
