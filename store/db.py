"""Engine and sessions for the app's store (SQLite by default, any SQLAlchemy URL)."""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, event
from sqlmodel import Session, SQLModel, create_engine

SessionFactory = Callable[[], Session]


def make_engine(url: str) -> Engine:
    """Returns an engine for `url`; SQLite files get WAL and a busy timeout for concurrency."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

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
    """Creates every table the app needs on `engine`."""
    import store.tables  # noqa: F401  (registers the tables on the metadata)

    SQLModel.metadata.create_all(engine)
