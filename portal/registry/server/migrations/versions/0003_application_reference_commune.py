"""Applications get a reference read aloud (AP-<year>-<6 digits>) and the commune
that handles them; their states follow the apply-and-track path.

Existing applications: the reference comes from the id and the year of creation
(as the registry makes it for a new one), the commune stays empty, and the old
states are renamed in the row, its document and its history
(in_review → received, needs_information → information_requested,
rejected → refused).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-10 10:00:00
"""

import hashlib
import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

RENAMED = {
    "in_review": "received",
    "needs_information": "information_requested",
    "rejected": "refused",
}
# Back to the old states; the new ones without an old name go to the nearest.
RENAMED_BACK = {
    "received": "in_review",
    "documents_checked": "in_review",
    "information_requested": "needs_information",
    "refused": "rejected",
    "enrolled": "approved",
}

_applications = sa.table(
    "applications",
    sa.column("id", sa.String(36)),
    sa.column("status", sa.String(32)),
    sa.column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("reference", sa.String(20)),
)
_history = sa.table(
    "history_entries",
    sa.column("record_type", sa.String(32)),
    sa.column("from_status", sa.String(32)),
    sa.column("to_status", sa.String(32)),
)


def _reference(record_id: str, created_at) -> str:
    try:
        number = uuid.UUID(record_id).int
    except ValueError:
        number = int(hashlib.sha256(record_id.encode()).hexdigest(), 16)
    return f"AP-{created_at.year:04d}-{number % 1_000_000:06d}"


def _rename_states(renamed: dict[str, str], *, fill_reference: bool) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _applications.c.id,
            _applications.c.status,
            _applications.c.data,
            _applications.c.created_at,
        )
    ).all()
    for record_id, status, data, created_at in rows:
        values = {}
        if status in renamed:
            values["status"] = renamed[status]
        if (data or {}).get("status") in renamed:
            values["data"] = {**data, "status": renamed[data["status"]]}
        if fill_reference:
            values["reference"] = _reference(record_id, created_at)
        if values:
            bind.execute(
                _applications.update().where(_applications.c.id == record_id).values(**values)
            )
    for column in ("from_status", "to_status"):
        for old, new in renamed.items():
            bind.execute(
                _history.update()
                .where(_history.c.record_type == "applications", _history.c[column] == old)
                .values({column: new})
            )


def upgrade() -> None:
    op.add_column("applications", sa.Column("reference", sa.String(length=20), nullable=True))
    op.add_column("applications", sa.Column("commune_code", sa.String(length=6), nullable=True))
    _rename_states(RENAMED, fill_reference=True)
    with op.batch_alter_table("applications") as batch:
        batch.alter_column("reference", existing_type=sa.String(length=20), nullable=False)
    op.create_index(op.f("ix_applications_reference"), "applications", ["reference"], unique=False)
    op.create_index(
        op.f("ix_applications_commune_code"), "applications", ["commune_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_applications_commune_code"), table_name="applications")
    op.drop_index(op.f("ix_applications_reference"), table_name="applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("commune_code")
        batch.drop_column("reference")
    _rename_states(RENAMED_BACK, fill_reference=False)
