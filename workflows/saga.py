"""A saga: remember how to undo each completed step, and undo them newest first."""

from collections.abc import Awaitable, Callable

from temporalio.exceptions import ActivityError

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

    async def compensate_all(self) -> tuple[list[str], dict[str, ActivityError]]:
        """Undoes every registered step, newest first, going on past an undo the provider
        refuses for good; returns the labels undone and the refusals by label.

        Undos retry until the provider answers, so a refusal is final (the money has
        already reached the customer): the steps before it must still be undone, and the
        caller hands what is left to a person.
        """
        undone: list[str] = []
        refused: dict[str, ActivityError] = {}
        while self._undos:
            label, undo = self._undos.pop()
            try:
                await undo()
            except ActivityError as err:
                refused[label] = err
                continue
            undone.append(label)
        return undone, refused
