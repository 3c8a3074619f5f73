"""Sending a workflow update from a route, and telling a finished case from an unknown one.

An update that reaches a workflow as it completes comes back as "not found" with no hint
of why; describing the workflow tells the two apart, and the read model answers for
cases whose history Temporal no longer keeps.

A client's `Idempotency-Key` becomes the update's id. Temporal runs an update once per id
in a workflow run, and keeps its outcome with the run's history: a retry after a lost
response attaches to the first one, gets its result and changes nothing (no second reply
reaches the customer), even once the case has closed. Ids are namespaced by route and
caller, so one key sent to two routes, or by two callers, is two updates. A run that
continued as new knows none of its predecessor's ids.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Header
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import ApiError
from store.tables.idempotency import MAX_IDEMPOTENCY_KEY_CHARS

Result = TypeVar("Result")
Argument = TypeVar("Argument")

# The same header as creation's, with the same limits (NULs are refused for every route
# in `api.nul_guard`), so a bad key is the same 422 naming `Idempotency-Key`.
UpdateKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_IDEMPOTENCY_KEY_CHARS,
        description=(
            "Makes a retry safe: the same key from the same caller on the same route "
            "returns the first request's result and applies nothing again, even after "
            "the case closed. Use a new key for each new action: a reused key returns "
            "the first result whatever the body."
        ),
    ),
]


def update_id_for(route: str, caller: str, idempotency_key: str | None) -> str | None:
    """Returns the update id for a client's key, `<route>/<caller>/<key>`; None (the SDK
    makes a fresh one) without a key."""
    if idempotency_key is None:
        return None
    return f"{route}/{caller}/{idempotency_key}"


async def update_case(
    handle: WorkflowHandle[Any, Any],
    update: UpdateMethodMultiParam[[Any, Argument], Result],
    argument: Argument,
    *,
    closed: ApiError,
    unknown: ApiError,
    stored: Callable[[], Awaitable[bool]],
    update_id: str | None = None,
) -> Result:
    """Returns the update's result; a workflow that is not running becomes `closed` (409)
    when it ran once, `unknown` (404) when nobody knows it. An `update_id` sent before
    returns that update's result instead of running it again."""
    try:
        return await handle.execute_update(update, argument, id=update_id)
    except RPCError as error:
        if error.status not in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            raise
        try:
            await handle.describe()
        except RPCError as missing:
            if missing.status is not RPCStatusCode.NOT_FOUND:
                raise
            if not await stored():
                raise unknown from error
        raise closed from error
