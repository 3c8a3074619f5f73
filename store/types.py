"""Column types that behave the same on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Numeric
from sqlalchemy.types import TypeDecorator

# Two decimal places, up to 12 digits before the point: the same bounds as `domain.money`.
MONEY = Numeric(14, 2)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC, and always read back as aware UTC.

    SQLite has no timezone support: SQLAlchemy writes the wall-clock time and drops the
    offset, so an aware +08:00 value would come back eight hours off and naive. Converting
    to UTC before writing, and tagging UTC when reading, keeps comparisons with aware
    datetimes correct on every backend (PostgreSQL stores `timestamptz` natively).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # A naive datetime has no defined instant; guessing would corrupt SLA data.
            raise ValueError(f"naive datetime {value.isoformat()} given: pass an aware datetime")
        value = value.astimezone(UTC)
        # SQLite compares datetimes as text, so every row must use the same (naive UTC) form.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
