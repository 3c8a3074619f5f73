"""Sending queued notifications from a workflow, shared by complaints and returns."""

from collections.abc import Callable

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.notifications import Notification
    from workflows import activity_calls as calls


async def send_queued(
    outbox: list[Notification], on_failure: Callable[[Notification, ActivityError], None]
) -> None:
    """Sends `outbox` oldest first, emptying it as each message goes out.

    Transient failures retry for ever; only a message that can never be sent (a template
    error) reaches `on_failure`, and it must not stop the case it belongs to.
    """
    while outbox:
        message = outbox[0]
        try:
            await workflow.execute_activity(
                calls.NOTIFY,
                message,
                start_to_close_timeout=calls.NOTIFY_TIMEOUT,
                retry_policy=calls.NOTIFY_RETRY,
            )
        except ActivityError as err:
            on_failure(message, err)
        outbox.pop(0)
