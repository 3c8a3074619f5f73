"""Where a merged complaint's link leads: to the complaint it was merged into.

A customer's link names one complaint; once that complaint is merged into another of
theirs (`domain.complaint_merge`), the link opens the survivor, where their messages now
are. The survivor's link is made afresh for the holder of the merged one, expiring with
it, as a case link's holder may have its survey's link (`case_page`).
"""

from urllib.parse import urlencode

from fastapi import Request

from api.console.rendering import LANGUAGES
from core.links import CASE_PAGE_PATH, CaseKind, CaseLink, LinkPurpose, issue_link_token
from core.settings import Settings


def survivor_page_url(request: Request, settings: Settings, link: CaseLink, survivor: str) -> str:
    """Returns the address of the page of `survivor`, for the holder of the merged
    complaint's `link`, in the language the customer chose."""
    token = issue_link_token(
        settings.secret_key,
        kind=CaseKind.COMPLAINT,
        case_id=survivor,
        purpose=LinkPurpose.CASE,
        expires_at=link.expires_at,
    )
    language = request.query_params.get("lang", "")
    query = f"?{urlencode({'lang': language})}" if language in LANGUAGES else ""
    return f"{CASE_PAGE_PATH}/{token}{query}"
