"""Exactly-once writes for store-backed providers: one row per idempotency key."""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from store.db import SessionFactory

_Row = TypeVar("_Row")


def lock_for_write(session: Session) -> None:
    """Opens a write transaction on `session` that nobody else can write past until commit.

    On SQLite this takes the database's write lock up front, so a check made inside the
    transaction still holds when it commits. Other databases lock the rows a provider
    reads with SELECT ... FOR UPDATE instead.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def write_once(
    sessions: SessionFactory,
    *,
    find: Callable[[Session], _Row | None],
    create: Callable[[Session], _Row],
) -> tuple[_Row, bool]:
    """Returns the row `find` sees and False, or the row `create` adds, committed, and True.

    Both run in one write transaction, and an error raised by `create` rolls it back.
    Should a concurrent writer still win the race (a unique-key `IntegrityError`), the
    transaction runs once more and finds that writer's row.
    """
    for attempt in range(2):
        with sessions() as session:
            lock_for_write(session)
            existing = find(session)
            if existing is not None:
                return existing, False
            try:
                row = create(session)
                session.commit()
            except IntegrityError:
                if attempt:
                    raise
                continue
            return row, True
    raise AssertionError("unreachable")  # pragma: no cover
