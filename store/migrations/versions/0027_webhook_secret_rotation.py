"""webhook subscriptions: the secret a rotation replaced and until when it still signs, the
key of the request that rotated it, and each subscription's counts of deliveries
delivered, failed attempts and dead ones

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | Sequence[str] | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTS = ("delivered_total", "failed_attempts_total", "dead_total")


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_secret", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("previous_secret_until", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("secret_rotated_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("secret_rotation_key", sa.String(length=200), nullable=True))
        for name in _COUNTS:
            batch_op.add_column(
                sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))
            )
    # The counts start from the log kept so far: every attempt is in it.
    op.execute(
        """
        UPDATE webhook_subscriptions SET
          delivered_total = (SELECT count(*) FROM webhook_deliveries d
            WHERE d.subscription_id = webhook_subscriptions.subscription_id
              AND d.status = 'delivered'),
          dead_total = (SELECT count(*) FROM webhook_deliveries d
            WHERE d.subscription_id = webhook_subscriptions.subscription_id
              AND d.status = 'dead'),
          failed_attempts_total = (SELECT count(*) FROM webhook_attempts a
            JOIN webhook_deliveries d ON d.id = a.delivery_id
            WHERE d.subscription_id = webhook_subscriptions.subscription_id
              AND a.error IS NOT NULL)
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        for name in reversed(_COUNTS):
            batch_op.drop_column(name)
        batch_op.drop_column("secret_rotation_key")
        batch_op.drop_column("secret_rotated_at")
        batch_op.drop_column("previous_secret_until")
        batch_op.drop_column("previous_secret")
