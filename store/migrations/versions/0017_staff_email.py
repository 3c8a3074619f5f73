"""staff users carry an e-mail address; outbox rows say why a message was not e-mailed

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outbox_only_reason", sa.String(length=500), nullable=True))
        # The console's Mail page lists messages by delivery status, newest first.
        batch_op.create_index("ix_outbox_messages_delivery_status", ["delivery_status"])


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_delivery_status")
        batch_op.drop_column("outbox_only_reason")
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("email")
