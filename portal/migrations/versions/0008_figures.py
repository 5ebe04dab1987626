"""Figures for decision-makers: the computed editions and the log of staff
views of unsuppressed figures.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figures_editions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("public", sa.JSON(), nullable=False),
        sa.Column("staff", sa.JSON(), nullable=False),
    )
    op.create_index("ix_figures_editions_computed_at", "figures_editions", ["computed_at"])
    op.create_table(
        "figures_staff_views",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("place_code", sa.String(8), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
    )
    op.create_index("ix_figures_staff_views_at", "figures_staff_views", ["at"])
    op.create_index("ix_figures_staff_views_username", "figures_staff_views", ["username"])


def downgrade() -> None:
    op.drop_table("figures_staff_views")
    op.drop_table("figures_editions")
