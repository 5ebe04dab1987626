"""Staff sign-in failures and locks per username and address, instead of one
lock per account that anyone knowing the username could set off.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sign_in_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_key", sa.String(64), nullable=False),
        sa.Column("address_key", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_staff_sign_in_failures_account_key", "staff_sign_in_failures", ["account_key"]
    )
    op.create_index("ix_staff_sign_in_failures_failed_at", "staff_sign_in_failures", ["failed_at"])
    op.create_table(
        "staff_sign_in_locks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_key", sa.String(64), nullable=False),
        sa.Column("address_key", sa.String(64), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_staff_sign_in_locks_account_key", "staff_sign_in_locks", ["account_key"])
    op.create_index("ix_staff_sign_in_locks_locked_until", "staff_sign_in_locks", ["locked_until"])
    with op.batch_alter_table("staff_accounts") as batch:
        batch.drop_column("failed_attempts")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True)))
        batch.add_column(
            sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0")
        )
    op.drop_table("staff_sign_in_locks")
    op.drop_table("staff_sign_in_failures")
