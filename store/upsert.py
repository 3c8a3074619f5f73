"""INSERT ... ON CONFLICT for the backends the store supports (SQLite and PostgreSQL).

Projections and seeds are retried and may race each other; letting the database resolve
duplicates keeps them idempotent without a read-then-write window.
"""

from typing import Any

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
