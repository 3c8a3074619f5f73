"""outbox messages record their e-mail delivery: status, attempts, last error, Message-ID

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivery_status", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column(
                "delivery_attempts", sa.Integer(), nullable=False, server_default=sa.text("0")
            )
        )
        batch_op.add_column(sa.Column("last_delivery_error", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("mail_message_id", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("mail_message_id")
        batch_op.drop_column("last_delivery_error")
        batch_op.drop_column("delivery_attempts")
        batch_op.drop_column("delivery_status")
