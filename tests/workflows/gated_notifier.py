"""A notification provider with a gate a test can close, to act while a workflow is in the
middle of sending (the moment before a continue-as-new, for example)."""

import asyncio
import threading

from activities.notifications.base import NotificationProvider
from domain.notifications import Notification, NotificationReceipt

# A gate left closed must not outlast the notification activity's start-to-close timeout.
LONGEST_HOLD_SECONDS = 20


class GatedNotifier:
    """Sends through `inner`, but while the gate is closed each send first waits for it."""

    def __init__(self, inner: NotificationProvider) -> None:
        self._inner = inner
        self._open = threading.Event()
        self._open.set()
        self._held = threading.Event()

    def close(self) -> None:
        self._held.clear()
        self._open.clear()

    def open(self) -> None:
        self._open.set()

    async def holding(self) -> None:
        """Returns once a send is waiting at the closed gate."""
        if not await asyncio.to_thread(self._held.wait, LONGEST_HOLD_SECONDS):
            raise AssertionError("no notification reached the gate")

    def send(self, notification: Notification) -> NotificationReceipt:
        if not self._open.is_set():
            self._held.set()
            self._open.wait(LONGEST_HOLD_SECONDS)
        return self._inner.send(notification)
