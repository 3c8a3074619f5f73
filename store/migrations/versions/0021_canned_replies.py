"""canned replies: reply templates per sub-category and language, and the replies sent
from them

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-11 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("sub_category", sa.String(length=32), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("active_title", sa.String(length=140), nullable=True),
        sa.Column("creation_key", sa.String(length=300), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_by", sa.String(length=64), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
        sa.UniqueConstraint("active_title", name=op.f("uq_canned_replies_active_title")),
        sa.UniqueConstraint("creation_key", name=op.f("uq_canned_replies_creation_key")),
    )
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_canned_replies_language"), ["language"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_canned_replies_sub_category"), ["sub_category"], unique=False
        )
    op.create_table(
        "canned_reply_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canned_reply_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.String(length=64), nullable=False),
        sa.Column("used_by", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("use_key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["canned_reply_id"],
            ["canned_replies.id"],
            name=op.f("fk_canned_reply_uses_canned_reply_id_canned_replies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_reply_uses")),
        sa.UniqueConstraint("use_key", name=op.f("uq_canned_reply_uses_use_key")),
    )
    with op.batch_alter_table("canned_reply_uses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_canned_reply_uses_canned_reply_id"), ["canned_reply_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_canned_reply_uses_complaint_id"), ["complaint_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("canned_reply_uses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canned_reply_uses_complaint_id"))
        batch_op.drop_index(batch_op.f("ix_canned_reply_uses_canned_reply_id"))
    op.drop_table("canned_reply_uses")
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canned_replies_sub_category"))
        batch_op.drop_index(batch_op.f("ix_canned_replies_language"))
    op.drop_table("canned_replies")
