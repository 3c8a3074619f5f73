"""A saga: remember how to undo each completed step, and undo them newest first."""

from collections.abc import Awaitable, Callable

Undo = Callable[[], Awaitable[object]]


class Saga:
    def __init__(self) -> None:
        self._undos: list[tuple[str, Undo]] = []

    def add(self, label: str, undo: Undo) -> None:
        """Registers how to undo a step that has just completed."""
        self._undos.append((label, undo))

    async def compensate(self) -> list[str]:
        """Undoes every registered step, newest first; returns the labels undone.

        Undo activities retry until they succeed (they are idempotent), so a failure here
        is a real outage that must surface rather than leave a half-undone resolution.
        """
        undone: list[str] = []
        while self._undos:
            label, undo = self._undos.pop()
            await undo()
            undone.append(label)
        return undone
