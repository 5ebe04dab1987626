"""Grievances become cases with deadlines: a reference read aloud
(GR-<year>-<6 digits>, no longer unique), the reporter's phone, the programme,
confidential routing, appeals, due dates, escalation and decision times, and
staff who must not see a case, all as columns for the back office's queue.

Existing grievances: the columns are filled from their documents; the old
states are renamed (in_progress and escalated → investigating, an escalated one
keeping when it was escalated) in the row, its document and its history; a
GRV-XXXX-XXXX reference becomes GR-<year created>-<6 digits of its id>.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 19:00:00
"""

import datetime as dt
import hashlib
import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RENAMED = {"in_progress": "investigating", "escalated": "investigating"}
RENAMED_BACK = {
    "acknowledged": "received",
    "investigating": "in_progress",
    "reopened": "in_progress",
    "appealed": "resolved",
}
CONFIDENTIAL = ("staff_conduct", "fraud", "abuse")
_NEW_COLUMNS = (
    ("contact_phone", sa.String(length=20), True),
    ("programme_id", sa.String(length=64), True),
    ("appeal_of", sa.String(length=36), True),
    ("resolve_by", sa.Date(), True),
    ("decided_at", sa.DateTime(timezone=True), True),
    ("category", None, True),
)

_grievances = sa.table(
    "grievances",
    sa.column("id", sa.String(36)),
    sa.column("reference", sa.String(20)),
    sa.column("status", sa.String(32)),
    sa.column("category", sa.String(32)),
    sa.column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("contact_phone", sa.String(20)),
    sa.column("programme_id", sa.String(64)),
    sa.column("confidential", sa.Boolean()),
    sa.column("appeal_of", sa.String(36)),
    sa.column("acknowledge_by", sa.Date()),
    sa.column("resolve_by", sa.Date()),
    sa.column("escalated_at", sa.DateTime(timezone=True)),
    sa.column("decided_at", sa.DateTime(timezone=True)),
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
    return f"GR-{created_at.year:04d}-{number % 1_000_000:06d}"


def _day(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _fill_columns() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _grievances.c.id,
            _grievances.c.reference,
            _grievances.c.status,
            _grievances.c.category,
            _grievances.c.data,
            _grievances.c.created_at,
            _grievances.c.updated_at,
        )
    ).all()
    for record_id, reference, status, category, data, created_at, updated_at in rows:
        data = dict(data or {})
        new_status = RENAMED.get(status, status)
        confidential = bool(data.get("confidential")) or category in CONFIDENTIAL
        escalated_at = updated_at if status == "escalated" else None
        data.update(status=new_status, confidential=confidential)
        if escalated_at is not None:
            data["escalated_at"] = escalated_at.isoformat()
        decided_at = updated_at if new_status in ("resolved", "rejected", "closed") else None
        if decided_at is not None:
            data.setdefault("decided_at", decided_at.isoformat())
        bind.execute(
            _grievances.update()
            .where(_grievances.c.id == record_id)
            .values(
                status=new_status,
                data=data,
                reference=reference
                if reference.startswith("GR-")
                else _reference(record_id, created_at),
                contact_phone=(data.get("complainant") or {}).get("contact_phone"),
                programme_id=data.get("programme_id"),
                confidential=confidential,
                appeal_of=data.get("appeal_of"),
                acknowledge_by=_day(data.get("acknowledge_by")),
                resolve_by=_day(data.get("resolve_by")),
                escalated_at=escalated_at,
                decided_at=decided_at,
            )
        )


def _rename_history(renamed: dict[str, str]) -> None:
    bind = op.get_bind()
    for column in ("from_status", "to_status"):
        for old, new in renamed.items():
            bind.execute(
                _history.update()
                .where(_history.c.record_type == "grievances", _history.c[column] == old)
                .values({column: new})
            )


def _without_unique_reference() -> dict:
    """How to rebuild the table without its unnamed unique constraint on the
    reference: PostgreSQL gave it a name (dropped by it); SQLite's table is
    copied without it."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for unique in sa.inspect(bind).get_unique_constraints("grievances"):
            if unique["column_names"] == ["reference"]:
                op.drop_constraint(unique["name"], "grievances", type_="unique")
        return {}
    table = sa.Table("grievances", sa.MetaData(), autoload_with=bind)
    for constraint in list(table.constraints):
        if isinstance(constraint, sa.UniqueConstraint) and list(constraint.columns.keys()) == [
            "reference"
        ]:
            table.constraints.remove(constraint)
    return {"copy_from": table, "recreate": "always"}


def upgrade() -> None:
    with op.batch_alter_table("grievances", **_without_unique_reference()) as batch:
        batch.add_column(sa.Column("contact_phone", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("programme_id", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("appeal_of", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("acknowledge_by", sa.Date(), nullable=True))
        batch.add_column(sa.Column("resolve_by", sa.Date(), nullable=True))
        batch.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("excluded_staff", sa.Text(), nullable=True))
    _fill_columns()
    _rename_history(RENAMED)
    for name, _type, _nullable in _NEW_COLUMNS:
        op.create_index(op.f(f"ix_grievances_{name}"), "grievances", [name], unique=False)
    op.create_index(op.f("ix_grievances_reference"), "grievances", ["reference"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_grievances_reference"), table_name="grievances")
    for name, _type, _nullable in _NEW_COLUMNS:
        op.drop_index(op.f(f"ix_grievances_{name}"), table_name="grievances")
    bind = op.get_bind()
    for old, new in RENAMED_BACK.items():
        bind.execute(_grievances.update().where(_grievances.c.status == old).values(status=new))
    _rename_history(RENAMED_BACK)
    with op.batch_alter_table("grievances") as batch:
        for name in (
            "excluded_staff",
            "decided_at",
            "escalated_at",
            "resolve_by",
            "acknowledge_by",
            "appeal_of",
            "confidential",
            "programme_id",
            "contact_phone",
        ):
            batch.drop_column(name)
    # References made since may repeat: the old unique constraint is not restored.
