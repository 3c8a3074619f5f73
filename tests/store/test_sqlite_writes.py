"""The in-process write gate on SQLite: writers take turns instead of sleeping in
SQLite's busy handler, and every way a transaction ends hands the turn on."""

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from store.db import make_engine
from store.sqlite_writes import WriteGateTimeout, gated_connection_class

INSERT = "INSERT INTO t (v) VALUES (1)"


def _pair(tmp_path: Path) -> tuple[sqlite3.Connection, sqlite3.Connection]:
    gated = gated_connection_class(wait_seconds=0.3)
    first = sqlite3.connect(tmp_path / "gate.db", factory=gated, check_same_thread=False)
    first.execute("CREATE TABLE t (v INTEGER)")
    first.commit()
    second = sqlite3.connect(tmp_path / "gate.db", factory=gated, check_same_thread=False)
    return first, second


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_each_way_a_transaction_ends_hands_the_gate_on(tmp_path: Path, end: str) -> None:
    first, second = _pair(tmp_path)
    first.take_gate_for(INSERT)  # type: ignore[attr-defined]
    first.execute(INSERT)
    with pytest.raises(WriteGateTimeout):
        second.take_gate_for(INSERT)  # type: ignore[attr-defined]
    getattr(first, end)()
    second.take_gate_for(INSERT)  # type: ignore[attr-defined]
    second.execute(INSERT)
    second.commit()


def test_reads_do_not_take_the_gate(tmp_path: Path) -> None:
    first, second = _pair(tmp_path)
    first.take_gate_for(INSERT)  # type: ignore[attr-defined]
    second.take_gate_for("SELECT v FROM t")  # type: ignore[attr-defined]
    assert second.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_many_threads_writing_at_once_all_land(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (v INTEGER)"))
    failures: list[BaseException] = []

    def write_many(thread: int) -> None:
        try:
            for n in range(40):
                with engine.begin() as connection:
                    if n % 2:  # as provider writes do: the write lock up front
                        connection.exec_driver_sql("BEGIN IMMEDIATE")
                    connection.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": thread})
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=write_many, args=(t,)) for t in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 24 * 40
    engine.dispose()
