"""INSERT ... ON CONFLICT for the backends the store supports (SQLite and PostgreSQL).

Projections and seeds are retried and may race each other; letting the database resolve
duplicates keeps them idempotent without a read-then-write window.
"""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

UpsertableInsert = sqlite.Insert | postgresql.Insert


def insert_on_conflict(session: Session, table: Any) -> UpsertableInsert:
    """Returns an INSERT into `table` that supports `on_conflict_do_*` on the session's database."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(table)
    if dialect == "postgresql":
        return postgresql.insert(table)
    raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {dialect!r}")


Statement = TypeVar("Statement")
# Statements built once per database and name; see `built_once`.
_BUILT: dict[tuple[str, Hashable], Any] = {}


def built_once(session: Session, name: Hashable, build: Callable[[], Statement]) -> Statement:
    """Returns the statement `build` makes for the session's database, built the first
    time `name` is asked for: building a statement (and its cache key) costs more than
    running it, and one built once is compiled once. Run it with its rows as parameters."""
    key = (session.get_bind().dialect.name, name)
    if key not in _BUILT:
        _BUILT[key] = build()
    statement: Statement = _BUILT[key]
    return statement
