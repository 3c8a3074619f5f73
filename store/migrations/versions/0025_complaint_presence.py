"""complaint presence: the latest report of each console page showing a complaint, so
every API process shows who else has it open and who is writing to its customer

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-14 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | Sequence[str] | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "complaint_presence",
        sa.Column("complaint_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("page_key", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "complaint_id", "user_id", "page_key", name=op.f("pk_complaint_presence")
        ),
    )
    with op.batch_alter_table("complaint_presence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_presence_seen_at"), ["seen_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("complaint_presence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_presence_seen_at"))
    op.drop_table("complaint_presence")
