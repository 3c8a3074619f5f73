"""mention labels: staff's word on whether a mention is a complaint, for training

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-12 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mention_labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mention_id", sa.String(length=16), nullable=False),
        sa.Column("is_complaint", sa.Boolean(), nullable=False),
        sa.Column("labelled_by", sa.String(length=64), nullable=False),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_key", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["mentions.mention_id"],
            name=op.f("fk_mention_labels_mention_id_mentions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mention_labels")),
        sa.UniqueConstraint("mention_id", name=op.f("uq_mention_labels_mention_id")),
        sa.UniqueConstraint("request_key", name=op.f("uq_mention_labels_request_key")),
    )
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentions_received_at"), ["received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentions_received_at"))
    op.drop_table("mention_labels")
