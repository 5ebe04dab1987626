"""The de-duplication key in byte order on PostgreSQL, so that a search by
Khmer name (a prefix match on the key) uses its index.

PostgreSQL serves ``LIKE 'prefix%'`` from a b-tree index only when the index
is in the "C" collation; a database created with any other (even C.UTF-8)
would read every person. SQLite compares bytes already: nothing changes there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # The index on the column is rebuilt in the new collation with it.
    op.alter_column(
        "persons",
        "dedup_key",
        type_=sa.String(length=500, collation="C"),
        existing_type=sa.String(length=500),
        existing_nullable=True,
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column(
        "persons",
        "dedup_key",
        type_=sa.String(length=500),
        existing_type=sa.String(length=500, collation="C"),
        existing_nullable=True,
    )
