"""What a customer's request must carry: the signed link in the address, and for a form
post also a nonce from a page we rendered, from this site.

The link token in the URL is the credential (`core.links`): no cookie, no session, so a
browser never sends anything on its own and classic CSRF (riding a victim's cookie) has
nothing to ride. What is left to stop is a post that did not come from our form: a page
elsewhere, or a script, fabricating an answer with a link it got hold of (from a
forwarded e-mail, say). So every form carries a nonce, an HMAC over the link token and
the time the page was rendered (valid for `FORM_NONCE_HOURS`); and a post whose `Origin`
names another site is refused. Neither is proof against someone who holds the link and
loads the page first: nothing can be, since the link is all the customer has. GETs never
change anything, so link scanners in mail systems that open every link record nothing.

The JSON variant of the survey needs no nonce: it only takes `Content-Type:
application/json`, which a cross-site page cannot send without a CORS preflight that
this API never grants.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Path, Request

from api.console.session import form_token, form_token_valid
from api.errors import ApiError
from core.links import CaseLink, InvalidLink, LinkPurpose, read_link_token
from core.settings import Settings

FORM_NONCE_HOURS = 24

# A link token: a JWT of three base64url parts. Anything else is no link (a 404 page).
LinkToken = Annotated[str, Path(min_length=20, max_length=2048, pattern=r"^[\w\-]+\.[\w\-.]+$")]
# A nonce from a page rendered a moment "in the future" is a clock skew between replicas.
_CLOCK_SKEW = timedelta(minutes=5)


def link_invalid() -> ApiError:
    """Returns the 404 for a link that is forged, mangled or for something else.

    404, not 401: the address is the credential, so a wrong one names no page, and a 401
    would ask for an `Authorization` header the customer never has.
    """
    return ApiError(
        404, "link_invalid", "this link is not valid; open the whole link from our message"
    )


def link_expired() -> ApiError:
    """Returns the 410 for a link past its expiry: it worked once, and never will again."""
    return ApiError(
        410, "link_expired", "this link has expired; reply to our message for a new one"
    )


def form_expired() -> ApiError:
    """Returns the 403 for a form post without a valid nonce, or from another site."""
    return ApiError(
        403, "form_expired", "this form has expired or came from elsewhere; reload the page"
    )


def open_link(settings: Settings, token: str, purpose: LinkPurpose) -> CaseLink:
    """Returns what `token` grants if it is a valid link for `purpose`; raises the 404 or
    410 otherwise (a case link is no survey link, and the other way round)."""
    try:
        link = read_link_token(settings.secret_key, token)
    except InvalidLink as invalid:
        raise (link_expired() if invalid.expired else link_invalid()) from invalid
    if link.purpose is not purpose:
        raise link_invalid()
    return link


def _binding(token: str, issued: int) -> str:
    # Never a console session token (a JWT), so a nonce is no console CSRF token.
    return f"customer-link:{issued}:{token}"


def form_nonce(secret: str, token: str, *, now: datetime | None = None) -> str:
    """Returns the nonce a page rendered now puts into its forms for the link `token`."""
    issued = int((now or datetime.now(UTC)).timestamp())
    return f"{issued}.{form_token(secret, _binding(token, issued))}"


def form_nonce_valid(secret: str, token: str, nonce: str, *, now: datetime | None = None) -> bool:
    """Returns whether `nonce` was rendered for `token` within the last FORM_NONCE_HOURS."""
    issued_text, _, mac = nonce.partition(".")
    # compare_digest takes ASCII text only; anything else is no nonce of ours anyway.
    if not nonce.isascii() or not issued_text.isdigit() or len(issued_text) > 12:
        return False
    issued = datetime.fromtimestamp(int(issued_text), UTC)
    now = now or datetime.now(UTC)
    if not now - timedelta(hours=FORM_NONCE_HOURS) <= issued <= now + _CLOCK_SKEW:
        return False
    return form_token_valid(secret, _binding(token, int(issued_text)), mac)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_form_post(
    request: Request, settings: Settings, token: str, form: Mapping[str, str]
) -> None:
    """Raises the 403 unless the post carries our nonce for `token` and, when the browser
    names its origin, comes from this site (as the API sees itself or as it is published)."""
    origin = request.headers.get("origin")
    if origin is not None:
        ours = {_origin(str(request.base_url)), _origin(settings.effective_public_base_url)}
        if origin.lower() not in ours:
            raise form_expired()
    if not form_nonce_valid(settings.secret_key, token, form.get("form_token", "")):
        raise form_expired()


async def read_form(request: Request) -> dict[str, str]:
    """Returns the fields of a posted form, as text."""
    form = await request.form()
    # Files have no place in these forms; a field sent twice counts once.
    return {name: value for name, value in form.items() if isinstance(value, str)}
