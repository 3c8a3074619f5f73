"""The one place where errors become HTTP responses: a JSON problem body with a stable code.

Every error body is `{"error": <code>, "message": <what went wrong, what to do>}`; validation
errors add `fields`, each naming the offending field by its dotted path (`customer.email`).
"""

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.client import RPCTimeoutOrCancelledError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from store.complaints import InvalidCursorError

logger = logging.getLogger("redress.api")

# ApplicationError types the complaint workflow raises when it refuses an update.
ACTION_NOT_ALLOWED = "ActionNotAllowed"
INVALID_ACTION = "InvalidAction"

BODY_TOO_LARGE = "body_too_large"

_REQUEST_PARTS = {"body", "query", "path", "header", "cookie"}
# Codes that the status phrase would not give, or not the same on every Python version.
_HTTP_ERROR_CODES = {413: BODY_TOO_LARGE}
_WORKFLOW_COMPLETED = "workflow execution already completed"
_NO_WORKER = "no poller seen for task queue"
_TRANSPORT_ERROR = "transport error"
_RETRY_SOON = {"Retry-After": "5"}


class FieldProblem(BaseModel):
    field: str
    problem: str


class Problem(BaseModel):
    """The JSON body of every error response."""

    error: str
    message: str
    fields: list[FieldProblem] | None = None


class ApiError(Exception):
    """An error a route raises on purpose; it becomes a problem body with `status_code`."""

    def __init__(
        self,
        status_code: int,
        error: str,
        message: str,
        headers: Mapping[str, str] | None = None,
        fields: list[FieldProblem] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error = error
        self.message = message
        self.headers = headers
        # The fields at fault, for a refusal about one part of the request (an upload's file).
        self.fields = fields


def complaint_not_found(complaint_id: str) -> ApiError:
    """Returns the 404 for a complaint id that neither Temporal nor the read model knows."""
    return ApiError(
        404, "complaint_not_found", f"no complaint {complaint_id}; check the id in the URL"
    )


def idempotency_key_reused(case_name: str = "complaint") -> ApiError:
    """Returns the 422 for an `Idempotency-Key` sent again with a different body."""
    return ApiError(
        422,
        "idempotency_key_reused",
        "this Idempotency-Key was used with a different request body; "
        f"send a new key for a new {case_name}",
    )


# Error bodies documented on routes (FastAPI's `responses=`).
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No credentials, or credentials that are not valid"},
    403: {"model": Problem, "description": "The credentials do not allow this"},
}


def problem_responses(thing: str, *, refusal: str | None = None) -> dict[int | str, dict[str, Any]]:
    """Returns the error answers of a route about one `thing` ("complaint"): 404 and 422,
    and the 409 `refusal` describes for routes that change it."""
    responses: dict[int | str, dict[str, Any]] = {
        404: {"model": Problem, "description": f"No such {thing}"},
        422: {"model": Problem, "description": "The request is invalid (see `fields`)"},
    }
    if refusal is not None:
        responses[409] = {"model": Problem, "description": refusal}
    return responses


PROBLEM_RESPONSES = problem_responses("complaint")
UPDATE_RESPONSES = problem_responses(
    "complaint", refusal="The complaint refuses this now (or is closed)"
)


def field_path(loc: Sequence[int | str]) -> str:
    """Returns a validation error location as a dotted path without its request part."""
    parts = list(loc)
    part = str(parts.pop(0)) if parts and parts[0] in _REQUEST_PARTS else "request"
    return ".".join(str(p) for p in parts) or part


def problem_response(
    status_code: int,
    error: str,
    message: str,
    headers: Mapping[str, str] | None = None,
    fields: list[FieldProblem] | None = None,
) -> JSONResponse:
    """Returns the JSON problem response for `error`."""
    body = Problem(error=error, message=message, fields=fields).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status_code, headers=headers)


async def _validation_failed(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields: list[FieldProblem] = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            fields.append(FieldProblem(field="body", problem="the body is not valid JSON"))
            continue
        fields.append(FieldProblem(field=field_path(error["loc"]), problem=error["msg"]))
    names = ", ".join(dict.fromkeys(f.field for f in fields))
    body = Problem(
        error="validation_failed",
        message=f"invalid fields: {names}; fix them and send the request again",
        fields=fields,
    )
    return JSONResponse(body.model_dump(), status_code=422)


async def _invalid_cursor(request: Request, exc: Exception) -> JSONResponse:
    body = Problem(
        error="validation_failed",
        message="invalid fields: after; drop it to start from the first page",
        fields=[FieldProblem(field="after", problem=str(exc))],
    )
    return JSONResponse(body.model_dump(), status_code=422)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return problem_response(exc.status_code, exc.error, exc.message, exc.headers, exc.fields)


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_ERROR_CODES.get(exc.status_code)
    if code is None:
        try:
            phrase = HTTPStatus(exc.status_code).phrase
            code = phrase.lower().replace(" ", "_").replace("-", "_")
        except ValueError:
            code = "http_error"
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem_response(exc.status_code, code, message, exc.headers)


def complaint_closed(complaint_id: str) -> ApiError:
    """Returns the 409 for an action sent to a complaint that already closed."""
    return ApiError(
        409, "complaint_closed", f"complaint {complaint_id} is closed; open a new complaint instead"
    )


def update_refusal(exc: WorkflowUpdateFailedError) -> ApiError:
    """Returns the 409 or 422 for an update the workflow refused, with the workflow's reason."""
    cause = exc.cause
    if isinstance(cause, ApplicationError):
        if cause.type == INVALID_ACTION:
            return ApiError(422, "invalid_action", cause.message)
        if cause.type == ACTION_NOT_ALLOWED:
            return ApiError(409, "action_not_allowed", cause.message)
        return ApiError(409, "action_refused", cause.message)
    return ApiError(
        409, "action_refused", "the complaint did not accept the action; fetch it and retry"
    )


async def _update_failed(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WorkflowUpdateFailedError)
    return await _api_error(request, update_refusal(exc))


async def _temporal_rpc_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RPCError)
    if _WORKFLOW_COMPLETED in exc.message and exc.status in (
        RPCStatusCode.NOT_FOUND,
        RPCStatusCode.FAILED_PRECONDITION,
    ):
        closed = complaint_closed(request.path_params.get("complaint_id", ""))
        return await _api_error(request, closed)
    if exc.status is RPCStatusCode.NOT_FOUND:
        complaint_id = request.path_params.get("complaint_id", "")
        return await _api_error(request, complaint_not_found(complaint_id))
    if exc.status is RPCStatusCode.FAILED_PRECONDITION and _NO_WORKER in exc.message:
        # A query needs a worker to answer it, and none polled lately (restarting, or busy).
        logger.warning("no worker answered on %s %s: %s", request.method, request.url, exc)
        return problem_response(
            503,
            "workers_unavailable",
            "no worker is taking this case's work right now; retry shortly",
            _RETRY_SOON,
        )
    # A server going down mid-call drops the connection: that surfaces as UNKNOWN
    # "transport error", not UNAVAILABLE, and is just as worth retrying.
    lost_connection = exc.status is RPCStatusCode.UNKNOWN and _TRANSPORT_ERROR in exc.message
    if exc.status is RPCStatusCode.UNAVAILABLE or lost_connection:
        logger.warning("Temporal unavailable on %s %s: %s", request.method, request.url, exc)
        return problem_response(
            503,
            "temporal_unavailable",
            "the workflow service is unavailable; retry shortly",
            _RETRY_SOON,
        )
    if exc.status is RPCStatusCode.RESOURCE_EXHAUSTED:
        # The namespace's request rate limit (frontend.namespaceRPS), met after the SDK's
        # own retries: a sales-day burst above what the cluster is allowed to take. The
        # caller slows down and retries; with its Idempotency-Key, nothing is opened twice.
        logger.warning("Temporal is rate limiting on %s %s: %s", request.method, request.url, exc)
        return problem_response(
            429,
            "temporal_busy",
            "the workflow service is taking in more work than it is allowed to; retry after "
            "Retry-After seconds, with the same Idempotency-Key",
            _RETRY_SOON,
        )
    if exc.status in (RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED):
        # A call's own timeout ends as CANCELLED "Timeout expired" (no worker answered yet).
        return await _rpc_timeout(request, exc)
    return await _unexpected(request, exc)


async def _rpc_timeout(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("Temporal call timed out on %s %s: %s", request.method, request.url, exc)
    return problem_response(
        503,
        "temporal_timeout",
        "the workflow service did not answer in time; retry shortly",
        _RETRY_SOON,
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unhandled error on %s %s", request.method, request.url, exc_info=exc)
    return problem_response(500, "internal_error", "unexpected server error; it was logged")


def install_error_handlers(app: FastAPI) -> None:
    """Registers the handlers that turn every error into a problem body."""
    app.add_exception_handler(RequestValidationError, _validation_failed)
    app.add_exception_handler(InvalidCursorError, _invalid_cursor)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(WorkflowUpdateFailedError, _update_failed)
    app.add_exception_handler(RPCError, _temporal_rpc_error)
    app.add_exception_handler(RPCTimeoutOrCancelledError, _rpc_timeout)
    app.add_exception_handler(Exception, _unexpected)
