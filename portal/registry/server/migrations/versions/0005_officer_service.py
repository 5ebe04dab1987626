"""The commune officer's service: search by name, the channel of each action,
and what an officer did.

- ``person_name_keys``: one row per searchable word of a person's name (and
  each name written whole), with the person's commune, indexed on
  (commune_code, key, person_id) - a search in communes reads the index
  alone - on key, and on (person_id, key); the key in byte order
  ("C") on PostgreSQL so that a prefix range uses the index. Filled here for
  the persons already registered, in batches.
- ``channel`` on ``history_entries`` and ``access_log`` (the X-Channel header).
- Indexes on (actor, at) of both, for an officer's own activity, and on
  ``created_by`` of applications and grievances (what an officer sent for someone).

The keys are computed by the server's own ``name_search.key_rows`` rather than
a copy: a copy that drifted from the search would hide people from it. Should
the key rules ever change, a later revision rebuilds the table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 20:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from portal.registry.server.name_search import key_rows

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 1000

_persons = sa.table(
    "persons",
    sa.column("id", sa.String(36)),
    sa.column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
)
_keys = sa.table(
    "person_name_keys",
    sa.column("person_id", sa.String(36)),
    sa.column("commune_code", sa.String(6)),
    sa.column("key", sa.String(200)),
)


def _fill_keys() -> None:
    bind = op.get_bind()
    last = ""
    while True:
        rows = bind.execute(
            sa.select(_persons.c.id, _persons.c.data)
            .where(_persons.c.id > last)
            .order_by(_persons.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        keys = [key for person_id, data in rows for key in key_rows(person_id, data or {})]
        if keys:
            bind.execute(_keys.insert(), keys)
        last = rows[-1][0]


def upgrade() -> None:
    op.create_table(
        "person_name_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("commune_code", sa.String(length=6), nullable=True),
        sa.Column(
            "key",
            sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _fill_keys()
    op.create_index(
        "ix_person_name_keys_commune_code_key",
        "person_name_keys",
        ["commune_code", "key", "person_id"],
        unique=False,
    )
    op.create_index("ix_person_name_keys_key", "person_name_keys", ["key"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # A finer histogram of the keys: how many people a name's first letters
        # find is then estimated well enough that PostgreSQL reads them in the
        # communes asked for (commune_code, key), not in the whole country (key).
        op.execute("ALTER TABLE person_name_keys ALTER COLUMN key SET STATISTICS 1000")
    op.create_index(
        "ix_person_name_keys_person_id_key", "person_name_keys", ["person_id", "key"], unique=False
    )
    op.add_column("history_entries", sa.Column("channel", sa.String(length=16), nullable=True))
    op.add_column("access_log", sa.Column("channel", sa.String(length=16), nullable=True))
    op.create_index("ix_history_entries_actor_at", "history_entries", ["actor", "at"], unique=False)
    op.create_index("ix_access_log_actor_at", "access_log", ["actor", "at"], unique=False)
    op.create_index("ix_applications_created_by", "applications", ["created_by"], unique=False)
    op.create_index("ix_grievances_created_by", "grievances", ["created_by"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_grievances_created_by", table_name="grievances")
    op.drop_index("ix_applications_created_by", table_name="applications")
    op.drop_index("ix_access_log_actor_at", table_name="access_log")
    op.drop_index("ix_history_entries_actor_at", table_name="history_entries")
    with op.batch_alter_table("access_log") as batch:
        batch.drop_column("channel")
    with op.batch_alter_table("history_entries") as batch:
        batch.drop_column("channel")
    op.drop_index("ix_person_name_keys_person_id_key", table_name="person_name_keys")
    op.drop_index("ix_person_name_keys_key", table_name="person_name_keys")
    op.drop_index("ix_person_name_keys_commune_code_key", table_name="person_name_keys")
    op.drop_table("person_name_keys")
