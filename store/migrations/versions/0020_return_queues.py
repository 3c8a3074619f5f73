"""the console's return queues: who reviews a return, when what it waits on falls due,
and indexes for listing each queue by deadline

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-10 09:00:00.000000
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The view's deadline for each waiting status, as `domain.return_queues.waiting_due_at`
# had it when this revision was written (a migration does not follow later code).
_DUE_FIELDS = {
    "under_review": "review_due_at",
    "awaiting_consent": "consent_due_at",
    "awaiting_shipment": "ship_by",
    "awaiting_inspection": "inspection_due_at",
    "exchange_in_transit": "exchange_due_at",
}
_CLOSED = ("completed", "rejected", "cancelled")


def upgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_level", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_returns_status_due_at", ["status", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_returns_needs_person"), ["needs_person"], unique=False)
    _fill_open_returns()


def _fill_open_returns() -> None:
    """Sets both columns of the returns still open from their stored views, so returns
    waiting since before this revision are in their queues at once (closed returns are in
    none, and each later projection writes the columns anyway)."""
    connection = op.get_bind()
    returns = sa.table(
        "returns",
        sa.column("return_id", sa.String),
        sa.column("status", sa.String),
        sa.column("view_json", sa.Text),
        sa.column("review_level", sa.String),
        sa.column("due_at", sa.DateTime(timezone=True)),
    )
    open_rows = connection.execute(
        sa.select(returns.c.return_id, returns.c.status, returns.c.view_json).where(
            returns.c.status.not_in(_CLOSED)
        )
    ).all()
    sqlite = connection.dialect.name == "sqlite"
    for return_id, status, view_json in open_rows:
        view = json.loads(view_json)
        field = _DUE_FIELDS.get(status)
        due = _utc(view[field], naive=sqlite) if field and view.get(field) else None
        connection.execute(
            returns.update()
            .where(returns.c.return_id == return_id)
            .values(review_level=view.get("review_level"), due_at=due)
        )


def _utc(moment: str, *, naive: bool) -> datetime:
    """Returns an ISO 8601 moment in UTC as `store.types.UtcDateTime` writes it: naive on
    SQLite, whose rows are compared as text, aware elsewhere."""
    at = datetime.fromisoformat(moment).astimezone(UTC)
    return at.replace(tzinfo=None) if naive else at


def downgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returns_needs_person"))
        batch_op.drop_index("ix_returns_status_due_at")
        batch_op.drop_column("due_at")
        batch_op.drop_column("review_level")
