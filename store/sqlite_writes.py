"""One writer at a time per process on a SQLite file, queued rather than polled.

SQLite lets one connection write at a time. A connection that finds the write lock taken
sleeps in SQLite's busy handler (1, 2, 5 ... 100 ms steps) and looks again, so with the
worker's dozens of activity threads writing projections, outbox messages and ledger rows,
most of a write's time went on sleeping past the moment the lock came free: workflow
tasks waiting on their projections ran over five seconds under load. Here the threads of
one process queue on a lock instead, and each starts the moment the previous writer has
committed. Writers in other processes (the API beside the worker) still meet SQLite's
busy handler, which is rare enough to be cheap.

A connection takes the gate when it first writes (an INSERT, UPDATE, DELETE, or a BEGIN
IMMEDIATE that announces writes) and gives it back once its transaction has ended:
after the commit or rollback has returned, or when the connection closes.
"""

import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event

WRITE_VERBS = ("insert", "update", "delete", "replace", "begin immediate")


class WriteGateTimeout(sqlite3.OperationalError):
    """No write slot came free in time: another writer held it for the whole wait."""


def gated_connection_class(wait_seconds: float) -> type[sqlite3.Connection]:
    """Returns a sqlite3 connection class whose instances share one write gate."""
    gate = threading.Lock()

    class GatedConnection(sqlite3.Connection):
        holds_gate = False

        def take_gate_for(self, statement: str) -> None:
            if self.holds_gate or not _writes(statement):
                return
            if not gate.acquire(timeout=wait_seconds):
                raise WriteGateTimeout(f"no write slot came free in {wait_seconds} s")
            self.holds_gate = True

        def commit(self) -> None:
            try:
                super().commit()
            finally:
                self._give_back()

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                self._give_back()

        def close(self) -> None:
            try:
                super().close()
            finally:
                self._give_back()

        def _give_back(self) -> None:
            if self.holds_gate:
                self.holds_gate = False
                gate.release()

    return GatedConnection


def take_gate_before_writes(engine: Engine) -> None:
    """Makes each write through `engine` wait for the gate of its connection class."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        dbapi_connection: Any = conn.connection.dbapi_connection
        take = getattr(dbapi_connection, "take_gate_for", None)
        if take is not None:
            take(statement)


def _writes(statement: str) -> bool:
    return statement.lstrip()[:15].lower().startswith(WRITE_VERBS)
