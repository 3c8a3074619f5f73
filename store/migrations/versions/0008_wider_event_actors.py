"""wider event actors: "customer:" and a 64-character customer id fit

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A customer acts as "customer:<id>", and ids may have 64 characters: PostgreSQL refused
# those events (SQLite does not enforce VARCHAR lengths), so the projection never landed.
TABLES = ("timeline_events", "return_events")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "actor", existing_type=sa.String(length=64), type_=sa.String(length=128)
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "actor", existing_type=sa.String(length=128), type_=sa.String(length=64)
            )
