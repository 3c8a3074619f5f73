"""Waiting in a workflow for something to happen or a deadline to pass."""

from collections.abc import Callable
from datetime import datetime, timedelta

from temporalio import workflow


async def wait_until(ready: Callable[[], bool], deadline: datetime) -> bool:
    """Waits until `ready()` or `deadline`; returns whether `ready()` came first."""
    timeout = deadline - workflow.now()
    if timeout <= timedelta(0):
        return ready()
    try:
        await workflow.wait_condition(ready, timeout=timeout)
    except TimeoutError:
        return ready()
    return True


async def sleep_until(moment: datetime) -> None:
    """Sleeps until `moment`, if it is still to come."""
    delay = moment - workflow.now()
    if delay > timedelta(0):
        await workflow.sleep(delay)
