"""Writing a workflow's projection into a read model: the case's row and its new
timeline events, both idempotent, so retried and replayed projections change nothing."""

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from sqlalchemy import Table
from sqlmodel import Session, SQLModel, select

from store.tables import table_of
from store.upsert import built_once, insert_on_conflict

EventRecord = TypeVar("EventRecord", bound=SQLModel)


def db_value(value: Any) -> Any:
    """Returns what a column stores for `value`: an enum's value, anything else as it is."""
    # psycopg writes an Enum member's *name* ("OPEN"), so enums go to the database as values.
    return value.value if isinstance(value, StrEnum) else value


def events_of(
    session: Session, event_model: type[EventRecord], *, key: str, case_id: str
) -> list[EventRecord]:
    """Returns every stored timeline event of the case `case_id` (named in the column
    `key` of `event_model`'s table), oldest first."""
    column = table_of(event_model).c
    query = select(event_model).where(column[key] == case_id).order_by(column.seq)
    return list(session.exec(query).all())


class TimelineEntry(Protocol):
    seq: int
    at: Any
    actor: str
    detail: str

    @property
    def kind(self) -> Any: ...


def upsert_case_and_events(
    session: Session,
    *,
    record_model: type[SQLModel],
    event_model: type[SQLModel],
    key: str,
    row: dict[str, Any],
    events: Sequence[TimelineEntry],
) -> None:
    """Upserts `row` (keyed by the column `key`) unless the stored row is newer, and adds
    the events not stored yet. The caller commits."""
    # The tables, not the ORM classes: a statement on a mapped class takes the ORM's bulk
    # path, which costs more than the write itself for one row.
    table = table_of(record_model)
    columns = tuple(row)

    def build() -> Any:
        upsert = insert_on_conflict(session, table)
        return upsert.on_conflict_do_update(
            index_elements=[key],
            set_={name: upsert.excluded[name] for name in columns if name != key},
            # `<=`: changes made in one workflow task share one timestamp, and the later
            # projection of them must still land.
            where=table.c.updated_at <= upsert.excluded["updated_at"],
        )

    session.execute(built_once(session, ("upsert case", table.name, columns), build), row)
    add_events(session, event_table=table_of(event_model), key=key, case_id=row[key], events=events)


def add_events(
    session: Session, *, event_table: Table, key: str, case_id: str, events: Sequence[TimelineEntry]
) -> None:
    """Adds the events of the case `case_id` (named in the column `key`) to `event_table` (a
    table, not its ORM class), each once by its seq. The caller commits."""
    if not events:
        return
    rows = [
        {
            key: case_id,
            "seq": event.seq,
            "at": event.at,
            "kind": event.kind.value,
            "actor": event.actor,
            "detail": event.detail,
        }
        for event in events
    ]

    def build() -> Any:
        inserts = insert_on_conflict(session, event_table)
        return inserts.on_conflict_do_nothing(index_elements=[key, "seq"])

    session.execute(built_once(session, ("add events", event_table.name, key), build), rows)
