"""Sending a workflow update from a route, and telling a finished case from an unknown one.

An update that reaches a workflow as it completes comes back as "not found" with no hint
of why; describing the workflow tells the two apart, and the read model answers for
cases whose history Temporal no longer keeps.
"""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from temporalio.client import WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import ApiError

Result = TypeVar("Result")
Argument = TypeVar("Argument")


async def update_case(
    handle: WorkflowHandle[Any, Any],
    update: UpdateMethodMultiParam[[Any, Argument], Result],
    argument: Argument,
    *,
    closed: ApiError,
    unknown: ApiError,
    stored: Callable[[], Awaitable[bool]],
) -> Result:
    """Returns the update's result; a workflow that is not running becomes `closed` (409)
    when it ran once, `unknown` (404) when nobody knows it."""
    try:
        return await handle.execute_update(update, argument)
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
