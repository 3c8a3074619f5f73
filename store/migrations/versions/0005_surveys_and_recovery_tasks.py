"""follow-up surveys and service-recovery tasks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_responses",
        sa.Column("survey_id", sa.String(length=100), nullable=False),
        sa.Column("case_kind", sa.String(length=16), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("customer_tier", sa.String(length=16), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.Column("agent_id", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("resolved", sa.Boolean(), nullable=True),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("low_score", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("view_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("survey_id", name=op.f("pk_survey_responses")),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_responses_answered_at_survey_id",
            ["answered_at", "survey_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_survey_responses_agent_id"), ["agent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_survey_responses_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_survey_responses_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_responses_low_score"), ["low_score"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_survey_responses_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_responses_team"), ["team"], unique=False)

    op.create_table(
        "survey_recovery_tasks",
        sa.Column("survey_id", sa.String(length=100), nullable=False),
        sa.Column("case_kind", sa.String(length=16), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("coupon_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("coupon_reference", sa.String(length=100), nullable=True),
        sa.Column("completed_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("survey_id", name=op.f("pk_survey_recovery_tasks")),
    )
    with op.batch_alter_table("survey_recovery_tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_recovery_tasks_status_created_at",
            ["status", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_survey_recovery_tasks_assignee"), ["assignee"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_recovery_tasks_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_recovery_tasks_customer_id"), ["customer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_recovery_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_recovery_tasks_customer_id"))
        batch_op.drop_index(batch_op.f("ix_survey_recovery_tasks_case_id"))
        batch_op.drop_index(batch_op.f("ix_survey_recovery_tasks_assignee"))
        batch_op.drop_index("ix_survey_recovery_tasks_status_created_at")
    op.drop_table("survey_recovery_tasks")

    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_team"))
        batch_op.drop_index(batch_op.f("ix_survey_responses_status"))
        batch_op.drop_index(batch_op.f("ix_survey_responses_low_score"))
        batch_op.drop_index(batch_op.f("ix_survey_responses_customer_id"))
        batch_op.drop_index(batch_op.f("ix_survey_responses_case_id"))
        batch_op.drop_index(batch_op.f("ix_survey_responses_agent_id"))
        batch_op.drop_index("ix_survey_responses_answered_at_survey_id")
    op.drop_table("survey_responses")
