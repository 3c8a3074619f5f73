"""service recovery after failures of service: recovery tasks are named by a task id
(a survey's id, or a failure's recovery workflow id) and say which failure opened them;
each failure's recovery view is kept in service_recoveries

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-13 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("survey_recovery_tasks", schema=None) as batch_op:
        batch_op.alter_column(
            "survey_id",
            new_column_name="task_id",
            existing_type=sa.String(length=100),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column("failure", sa.String(length=32), nullable=True))
    op.create_table(
        "service_recoveries",
        sa.Column("task_id", sa.String(length=100), nullable=False),
        sa.Column("case_kind", sa.String(length=16), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("failure", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("view_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_service_recoveries")),
    )
    with op.batch_alter_table("service_recoveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_recoveries_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("service_recoveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_recoveries_case_id"))
    op.drop_table("service_recoveries")
    # The tasks failures opened have no survey to name them by: they go with the table
    # that held their views.
    op.execute("DELETE FROM survey_recovery_tasks WHERE failure IS NOT NULL")
    with op.batch_alter_table("survey_recovery_tasks", schema=None) as batch_op:
        batch_op.drop_column("failure")
        batch_op.alter_column(
            "task_id",
            new_column_name="survey_id",
            existing_type=sa.String(length=100),
            existing_nullable=False,
        )
