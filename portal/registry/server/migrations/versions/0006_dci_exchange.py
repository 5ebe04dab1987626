"""DCI exchange with programme operators: signatures, async answers, subscriptions.

- ``oauth_clients.callback_url``: the client's registered callback base address.
- ``client_signing_keys``: each DCI sender's ed25519 public keys, by key id.
- ``dci_transactions``: asynchronous requests received and their answers
  (what ``txn/status`` reports); ``dci_transaction_references``: their items'
  reference ids (``txn/status`` by ``reference_id_list``).
- ``dci_callbacks``: messages the registry sends to clients (on-search,
  on-subscribe, on-unsubscribe, txn/on-status, notify), retried until delivered.
- ``dci_subscriptions``: operators' subscriptions to registry events.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 21:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("oauth_clients", sa.Column("callback_url", sa.String(500)))
    op.create_table(
        "client_signing_keys",
        sa.Column(
            "client_id",
            sa.String(64),
            sa.ForeignKey("oauth_clients.client_id"),
            primary_key=True,
        ),
        sa.Column("key_id", sa.String(100), primary_key=True),
        sa.Column("public_key", sa.String(100), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("revoked_at", _TIME),
    )
    op.create_table(
        "dci_transactions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("sender_id", sa.String(200), nullable=False),
        sa.Column("transaction_id", sa.String(100), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("status", sa.String(4), nullable=False),
        sa.Column("request", _JSON, nullable=False),
        sa.Column("answer", _JSON),
        sa.Column("actor", _JSON, nullable=False),
        sa.Column("full_records", sa.Boolean, nullable=False),
        sa.Column("received_at", _TIME, nullable=False),
        sa.Column("claimed_at", _TIME),
        sa.Column("finished_at", _TIME),
    )
    op.create_index(
        "ix_dci_transactions_client_transaction",
        "dci_transactions",
        ["client_id", "transaction_id"],
    )
    op.create_index("ix_dci_transactions_status", "dci_transactions", ["status", "received_at"])
    op.create_table(
        "dci_transaction_references",
        sa.Column(
            "transaction_id",
            sa.String(36),
            sa.ForeignKey("dci_transactions.id"),
            primary_key=True,
        ),
        sa.Column("reference_id", sa.String(100), primary_key=True),
    )
    op.create_index(
        "ix_dci_transaction_references_reference_id",
        "dci_transaction_references",
        ["reference_id"],
    )
    op.create_table(
        "dci_callbacks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("body", _JSON, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", _TIME, nullable=False),
        sa.Column("claimed_until", _TIME),
        sa.Column("last_error", sa.String(200)),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("delivered_at", _TIME),
    )
    op.create_index("ix_dci_callbacks_client_id", "dci_callbacks", ["client_id"])
    op.create_index("ix_dci_callbacks_due", "dci_callbacks", ["state", "next_attempt_at"])
    op.create_table(
        "dci_subscriptions",
        sa.Column("code", sa.String(36), primary_key=True),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("sender_id", sa.String(200), nullable=False),
        sa.Column("reg_event_type", sa.String(50), nullable=False),
        sa.Column("criteria", _JSON, nullable=False),
        sa.Column("full_records", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("ended_at", _TIME),
    )
    op.create_index("ix_dci_subscriptions_client_id", "dci_subscriptions", ["client_id"])
    op.create_index("ix_dci_subscriptions_event", "dci_subscriptions", ["reg_event_type", "status"])


def downgrade() -> None:
    op.drop_table("dci_subscriptions")
    op.drop_table("dci_callbacks")
    op.drop_table("dci_transaction_references")
    op.drop_table("dci_transactions")
    op.drop_table("client_signing_keys")
    op.drop_column("oauth_clients", "callback_url")
