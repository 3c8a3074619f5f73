"""CSV exports of the read model: filtered complaints, and the audit trail of every case.

Rows are streamed from the database in batches and written as they come, so an export of
a year of complaints never sits in memory. Cells that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) are prefixed with a quote: exported free
text comes from customers.
"""

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import literal, select, union_all
from sqlmodel import Session

from domain.analytics import ComplaintFilter
from store.measures import complaints, matching
from store.tables import table_of
from store.tables.complaints import TimelineEventRecord
from store.tables.returns import ReturnEventRecord

BATCH_ROWS = 2000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COMPLAINT_COLUMNS = (
    "complaint_id",
    "created_at",
    "status",
    "close_reason",
    "channel",
    "category",
    "sub_category",
    "tier",
    "customer_id",
    "customer_tier",
    "region",
    "order_id",
    "primary_sku",
    "paid_amount",
    "currency",
    "team",
    "assignee",
    "escalation_level",
    "sla_breached",
    "first_response_seconds",
    "resolution_seconds",
    "refunded_total",
    "auto_resolved",
    "root_cause",
    "closed_at",
)
AUDIT_COLUMNS = ("at", "case_kind", "case_id", "seq", "kind", "actor", "detail")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _csv_lines(header: Sequence[str], rows: Iterator[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_cell(value) for value in row])
        if count % BATCH_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def complaints_csv(session: Session, complaint_filter: ComplaintFilter) -> Iterator[str]:
    """Yields the filtered complaints as CSV text, oldest first."""
    columns = [complaints.c[name] for name in COMPLAINT_COLUMNS]
    query = (
        select(*columns)
        .where(matching(complaint_filter))
        .order_by(complaints.c.created_at, complaints.c.complaint_id)
        .execution_options(yield_per=BATCH_ROWS)
    )
    rows = session.connection().execute(query)
    return _csv_lines(COMPLAINT_COLUMNS, iter(rows))


def audit_csv(
    session: Session,
    *,
    since: datetime | None,
    until: datetime | None,
    actor: str | None = None,
    case_id: str | None = None,
) -> Iterator[str]:
    """Yields who did what to which case and when (complaints and returns), oldest first."""
    parts = []
    for table, kind, id_column in (
        (table_of(TimelineEventRecord), "complaint", "complaint_id"),
        (table_of(ReturnEventRecord), "return", "return_id"),
    ):
        c = table.c
        query = select(
            c.at, literal(kind).label("case_kind"), c[id_column].label("case_id"),
            c.seq, c.kind, c.actor, c.detail,
        )  # fmt: skip
        if since is not None:
            query = query.where(c.at >= since)
        if until is not None:
            query = query.where(c.at < until)
        if actor is not None:
            query = query.where(c.actor == actor)
        if case_id is not None:
            query = query.where(c[id_column] == case_id)
        parts.append(query)
    merged = union_all(*parts).subquery()
    ordered = (
        select(*merged.c)
        .order_by(merged.c.at, merged.c.case_id, merged.c.seq)
        .execution_options(yield_per=BATCH_ROWS)
    )
    rows = session.connection().execute(ordered)
    return _csv_lines(AUDIT_COLUMNS, iter(rows))
