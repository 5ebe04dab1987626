"""Staff authenticator secrets are stored encrypted: room for the longer value.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_accounts") as table:
        table.alter_column(
            "totp_secret",
            type_=sa.String(255),
            existing_type=sa.String(64),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts") as table:
        table.alter_column(
            "totp_secret",
            type_=sa.String(64),
            existing_type=sa.String(255),
            existing_nullable=False,
        )
