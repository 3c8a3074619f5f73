"""complaint service times and per-clock SLA breaches, event dates for the audit trail

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_response_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolution_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "first_response_breached", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(
            sa.Column(
                "resolution_breached", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    # The audit trail reads events by date range.
    with op.batch_alter_table("timeline_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timeline_events_at"), ["at"], unique=False)
    with op.batch_alter_table("return_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_events_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("return_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_events_at"))
    with op.batch_alter_table("timeline_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timeline_events_at"))
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("resolution_breached")
        batch_op.drop_column("first_response_breached")
        batch_op.drop_column("resolution_seconds")
        batch_op.drop_column("first_response_seconds")
