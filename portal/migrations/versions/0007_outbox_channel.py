"""The channel of an outbox item's registry write: the person's own, or assisted
at the commune office (sent to the registry as X-Channel).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_items") as batch:
        batch.add_column(sa.Column("channel", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_items") as batch:
        batch.drop_column("channel")
