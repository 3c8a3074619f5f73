"""The customer pages' route class: a refusal is a page in the customer's language for a
browser, and the API's JSON problem body for a program.

A JSON client's errors go on to the app's handlers (`api.errors`), so they read exactly
like every other route's; a browser's become `problem.html` with the same status code.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from temporalio.client import (
    RPCTimeoutOrCancelledError,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.service import RPCError

from api.customer.credentials import link_invalid
from api.customer.rendering import render, wants_json
from api.errors import ApiError, problem_response, update_refusal

# What sending an update can raise besides success: `as_refusal` explains each of them.
UPDATE_ERRORS = (ApiError, WorkflowUpdateFailedError, RPCError, RPCTimeoutOrCancelledError)
# What reading from Temporal can raise when it, or every worker, is out of reach.
TEMPORAL_TROUBLE = (RPCError, RPCTimeoutOrCancelledError, WorkflowQueryFailedError)


def as_refusal(error: Exception) -> ApiError:
    """Returns the refusal a failed update amounts to (the JSON routes' 404, 409, 422 or 503)."""
    if isinstance(error, WorkflowUpdateFailedError):
        return update_refusal(error)
    if isinstance(error, ApiError):
        return error
    return ApiError(503, "temporal_unavailable", "the workflow service did not answer")


def problem_page(request: Request, refusal: ApiError) -> Response:
    """Returns the page explaining `refusal` in the customer's language."""
    return render(
        request,
        "problem.html",
        case_locale=None,
        status_code=refusal.status_code,
        error=refusal.error,
    )


class CustomerRoute(APIRoute):
    """A route whose refusals become pages for browsers (JSON clients get problem bodies)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_for_customer(request: Request) -> Response:
            try:
                return await handle(request)
            except (ApiError, RequestValidationError, *TEMPORAL_TROUBLE) as error:
                refusal = _refusal_of(error)
                if not wants_json(request):
                    return problem_page(request, refusal)
                if refusal.status_code in (422, 503):
                    # The app's handlers name each invalid field, or say when to retry.
                    raise
                return problem_response(
                    refusal.status_code, refusal.error, refusal.message, refusal.headers
                )

        return handle_for_customer


def _refusal_of(error: Exception) -> ApiError:
    if isinstance(error, RequestValidationError):
        # Only the token is in the path: a malformed one is a link that does not work.
        in_path = any(problem["loc"][:1] == ("path",) for problem in error.errors())
        if in_path:
            return link_invalid()
        return ApiError(422, "validation_failed", "the form was incomplete or invalid")
    return as_refusal(error)
