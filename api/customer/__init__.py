"""The customer's pages: what the signed links in our messages open, served by the API.

- `case_page`: `/my/{token}`, the customer's own page for one complaint or return (its
  timeline, replies and evidence links, consent to a proposed plan, the return label);
- `survey_page`: `/surveys/{token}`, the follow-up survey (and its JSON variant).

The link token in the address is the only credential (`core.links`, checked in
`credentials`); no cookie is set. Pages are in Simplified Chinese and English (`messages`,
`labels`), built for a phone, and run no script.
"""

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from api.customer import case_page, evidence_page, survey_page
from api.customer.rendering import STATIC_PATH, wants_json
from api.customer.routing import CustomerRoute, problem_page
from api.errors import BODY_TOO_LARGE, ApiError
from core.links import CASE_PAGE_PATH

STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = {"customer.css": "text/css"}

router = APIRouter(route_class=CustomerRoute)
for part in (case_page, evidence_page, survey_page):
    router.include_router(part.router)


@router.get(f"{STATIC_PATH}/{{name}}")
async def static_file(name: str) -> FileResponse:
    """Serves the pages' stylesheet (nothing else from the directory)."""
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        raise ApiError(404, "not_found", "there is no such file")
    return FileResponse(
        STATIC_DIR / name,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


def oversize_page(request: Request) -> Response | None:
    """Returns the page a customer's browser gets for a photo too large to even take in
    (`api.body_limit`); None for anyone else, who gets the JSON problem."""
    if not request.url.path.startswith(f"{CASE_PAGE_PATH}/") or wants_json(request):
        return None
    return problem_page(request, ApiError(413, BODY_TOO_LARGE, "the request body is too large"))


__all__ = ["oversize_page", "router"]
