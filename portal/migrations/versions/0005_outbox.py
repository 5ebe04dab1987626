"""The outbox of registry writes and text messages, and the schedule of
periodic jobs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("record_type", sa.String(40), nullable=True),
        sa.Column("record_id", sa.String(64), nullable=True),
        sa.Column("operation", sa.String(32), nullable=False),
        sa.Column("reference", sa.String(40), nullable=True),
        sa.Column("owner", sa.String(80), nullable=True),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("on_behalf_of", sa.String(120), nullable=True),
        sa.Column("purpose", sa.String(120), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(32), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_items_due", "outbox_items", ["state", "next_attempt_at"])
    op.create_index("ix_outbox_items_record_id", "outbox_items", ["record_id"])
    op.create_index("ix_outbox_items_reference", "outbox_items", ["reference"])
    op.create_index("ix_outbox_items_owner", "outbox_items", ["owner"])
    op.create_index("ix_outbox_items_finished_at", "outbox_items", ["finished_at"])
    op.create_table(
        "scheduled_jobs",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_outcome", sa.String(300), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("scheduled_jobs")
    op.drop_table("outbox_items")
