"""Reading a case's state: the workflow's live `view` query, or the read model's copy when
the workflow cannot answer. Complaints, returns and surveys all read this way.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from temporalio.client import RPCTimeoutOrCancelledError, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from api.errors import ApiError

View = TypeVar("View")

# A query needs a worker; past this the stored view answers instead of a hung request.
QUERY_TIMEOUT = timedelta(seconds=5)


async def live_or_stored(
    live: Callable[[], Awaitable[View]],
    stored: Callable[[], Awaitable[View | None]],
    *,
    unknown: ApiError,
) -> View:
    """Returns the live view, or the stored one when the workflow cannot answer; raises
    `unknown` (a 404) when neither knows the case, or the live error when only the stored
    copy is missing."""
    try:
        return await live()
    except RPCError as error:
        live_error: Exception = error
        if error.status is RPCStatusCode.NOT_FOUND:
            live_error = unknown
    except (WorkflowQueryFailedError, RPCTimeoutOrCancelledError) as error:
        # No worker answered (for example while the stack restarts): the stored view will do.
        live_error = error
    found = await stored()
    if found is None:
        raise live_error
    return found
