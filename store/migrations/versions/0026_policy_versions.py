"""the policy store: versions of the policy complaints and returns run under, each whole,
with who saved it, when and why

Version 1 (the policy Redress ships with) is written by the first read of the store, not
here: the migration keeps no copy of the policy's code, which changes after it.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-14 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | Sequence[str] | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "policy_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document_json", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("change_key", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_policy_versions")),
        sa.UniqueConstraint("change_key", name=op.f("uq_policy_versions_change_key")),
    )


def downgrade() -> None:
    op.drop_table("policy_versions")
