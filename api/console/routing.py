"""The console's route class: its refusals are pages a person reads, not JSON problems.

The API's error handlers answer every route with a JSON problem body, which suits
programs. A browser that is not signed in should land on the sign-in page instead, and a
refused form should explain itself in the user's language; this route class turns the
console's own exceptions (and malformed forms) into exactly that, for console routes only.
"""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from temporalio.client import (
    RPCTimeoutOrCancelledError,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.service import RPCError

from api.console.messages import EN
from api.console.rendering import render
from api.console.session import CONSOLE_PREFIX, ConsoleProblem, SignInRequired
from api.errors import ApiError, update_refusal
from api.ids import COMPLAINT_ID_PATTERN

# A complaint id in a console URL; a malformed one is the 404 page (see ConsoleRoute).
ComplaintIdPath = Annotated[str, Path(pattern=COMPLAINT_ID_PATTERN)]
PROBLEM_TITLES = {403: "forbidden_title", 404: "not_found_title"}
# What sending an update can raise besides success: `refusal` explains each of them.
UPDATE_ERRORS = (ApiError, WorkflowUpdateFailedError, RPCError, RPCTimeoutOrCancelledError)
# What reading from Temporal can raise when it, or every worker, is out of reach.
TEMPORAL_TROUBLE = (RPCError, RPCTimeoutOrCancelledError, WorkflowQueryFailedError)


def sign_in_redirect(request: Request) -> RedirectResponse:
    """Returns the redirect to the sign-in page, coming back here afterwards (for GETs)."""
    target = f"{CONSOLE_PREFIX}/sign-in"
    if request.method == "GET":
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target += "?" + urlencode({"next": back})
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})


def problem_page(request: Request, problem: ConsoleProblem) -> Response:
    """Returns the page explaining `problem`."""
    return render(
        request,
        "problem.html",
        user=getattr(request.state, "console_user", None),
        status_code=problem.status_code,
        title_key=PROBLEM_TITLES.get(problem.status_code, "problem_title"),
        problem=problem,
    )


def oversize_page(request: Request) -> Response | None:
    """Returns the page a console form gets when its files are too large to even take in
    (`api.body_limit`); None outside the console."""
    if not request.url.path.startswith(f"{CONSOLE_PREFIX}/"):
        return None
    return problem_page(request, ConsoleProblem(413, "form_too_large"))


def refusal(error: Exception) -> ConsoleProblem:
    """Returns how the console shows an update that did not reach or was refused by the
    workflow (the JSON routes answer the same errors with 404, 409, 422 or 503)."""
    if isinstance(error, WorkflowUpdateFailedError):
        error = update_refusal(error)
    if isinstance(error, ApiError):
        key = f"refused_{error.error}"
        key = key if key in EN else "refused_action_refused"
        return ConsoleProblem(error.status_code, key, detail=error.message)
    return ConsoleProblem(503, "refused_unavailable")


class ConsoleRoute(APIRoute):
    """A route whose sign-in demands and refusals become pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_as_page(request: Request) -> Response:
            try:
                return await handle(request)
            except SignInRequired:
                return sign_in_redirect(request)
            except ConsoleProblem as problem:
                return problem_page(request, problem)
            except ApiError as error:
                # From the shared complaint calls: an unknown or closed complaint.
                return problem_page(request, refusal(error))
            except TEMPORAL_TROUBLE:
                return problem_page(request, ConsoleProblem(503, "refused_unavailable"))
            except RequestValidationError as invalid:
                # A malformed id in the URL names no complaint; a malformed form is the user's.
                in_path = any(error["loc"][:1] == ("path",) for error in invalid.errors())
                shown = ConsoleProblem(404, "not_found") if in_path else None
                return problem_page(request, shown or ConsoleProblem(422, "invalid_form"))

        return handle_as_page
