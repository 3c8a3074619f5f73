"""Engine and sessions for the app's store (SQLite by default, any SQLAlchemy URL)."""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from store.sqlite_writes import gated_connection_class, take_gate_before_writes

SessionFactory = Callable[[], Session]

# How long a writer waits for SQLite's write lock before it gives up with an error.
SQLITE_WAIT_SECONDS = 30


def make_engine(url: str) -> Engine:
    """Returns an engine for `url`; SQLite files get WAL, a busy timeout for writers in
    other processes, and one writer at a time among this process's threads."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {
            "check_same_thread": False,
            "timeout": SQLITE_WAIT_SECONDS,
            "factory": gated_connection_class(SQLITE_WAIT_SECONDS),
        }
        engine = create_engine(url, connect_args=connect_args)
        take_gate_before_writes(engine)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def session_factory(engine: Engine) -> SessionFactory:
    """Returns a callable that opens a new session on `engine`."""

    def open_session() -> Session:
        return Session(engine, expire_on_commit=False)

    return open_session


def prepare_database(engine: Engine) -> None:
    """Migrates the database behind `engine` to the newest schema revision."""
    from store.migrate import upgrade_connection, upgrade_database

    if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"):
        # An in-memory database lives on one connection: migrate through the engine's own.
        with engine.begin() as connection:
            upgrade_connection(connection)
    else:
        upgrade_database(engine.url.render_as_string(hide_password=False))
