"""Initial schema: records, history, access log, OAuth clients and tokens, DCI messages.

Indexes cover every search path: SPID, NIN, phone (E.164), household membership,
birth date, place codes, registration date, and the de-duplication key.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 15:12:07.061761
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=200), nullable=True),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_access_log_person_id_at", "access_log", ["person_id", "at"], unique=False)
    op.create_table(
        "applications",
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("applicant_spid", sa.String(length=11), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_applications_applicant_spid"), "applications", ["applicant_spid"], unique=False
    )
    op.create_index(
        op.f("ix_applications_programme_id"), "applications", ["programme_id"], unique=False
    )
    op.create_index(op.f("ix_applications_status"), "applications", ["status"], unique=False)
    op.create_table(
        "change_requests",
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("person_spid", sa.String(length=11), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_change_requests_person_spid"), "change_requests", ["person_spid"], unique=False
    )
    op.create_index(op.f("ix_change_requests_status"), "change_requests", ["status"], unique=False)
    op.create_table(
        "consents",
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("individual_spid", sa.String(length=11), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_consents_individual_spid"), "consents", ["individual_spid"], unique=False
    )
    op.create_table(
        "dci_messages",
        sa.Column("sender_id", sa.String(length=100), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sender_id", "message_id"),
    )
    op.create_table(
        "grievances",
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("commune_code", sa.String(length=6), nullable=True),
        sa.Column("complainant_spid", sa.String(length=11), nullable=True),
        sa.Column("assignee", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    op.create_index(op.f("ix_grievances_assignee"), "grievances", ["assignee"], unique=False)
    op.create_index(
        op.f("ix_grievances_commune_code"), "grievances", ["commune_code"], unique=False
    )
    op.create_index(
        op.f("ix_grievances_complainant_spid"), "grievances", ["complainant_spid"], unique=False
    )
    op.create_index(op.f("ix_grievances_status"), "grievances", ["status"], unique=False)
    op.create_table(
        "history_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_history_entries_record", "history_entries", ["record_type", "record_id"], unique=False
    )
    op.create_table(
        "households",
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("village_code", sa.String(length=8), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_households_village_code"), "households", ["village_code"], unique=False
    )
    op.create_table(
        "oauth_clients",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "persons",
        sa.Column("spid", sa.String(length=11), nullable=False),
        sa.Column("nin", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("district_code", sa.String(length=4), nullable=True),
        sa.Column("commune_code", sa.String(length=6), nullable=True),
        sa.Column("village_code", sa.String(length=8), nullable=True),
        sa.Column("dedup_key", sa.String(length=500), nullable=True),
        sa.Column("registration_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nin"),
        sa.UniqueConstraint("spid"),
    )
    op.create_index(op.f("ix_persons_birth_date"), "persons", ["birth_date"], unique=False)
    op.create_index(op.f("ix_persons_commune_code"), "persons", ["commune_code"], unique=False)
    op.create_index(op.f("ix_persons_dedup_key"), "persons", ["dedup_key"], unique=False)
    op.create_index(op.f("ix_persons_district_code"), "persons", ["district_code"], unique=False)
    op.create_index(op.f("ix_persons_province_code"), "persons", ["province_code"], unique=False)
    op.create_index(
        op.f("ix_persons_registration_date"), "persons", ["registration_date"], unique=False
    )
    op.create_index(op.f("ix_persons_village_code"), "persons", ["village_code"], unique=False)
    op.create_table(
        "household_members",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("household_status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
        ),
        sa.PrimaryKeyConstraint("person_id"),
    )
    op.create_index(
        op.f("ix_household_members_household_id"),
        "household_members",
        ["household_id"],
        unique=False,
    )
    op.create_table(
        "oauth_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=500), nullable=False),
        sa.Column("issued_at", sa.Integer(), nullable=False),
        sa.Column("expires_in", sa.Integer(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["oauth_clients.client_id"],
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index(op.f("ix_oauth_tokens_client_id"), "oauth_tokens", ["client_id"], unique=False)
    op.create_table(
        "person_phones",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("e164", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_person_phones_e164"), "person_phones", ["e164"], unique=False)
    op.create_index(
        "ix_person_phones_person_id_e164", "person_phones", ["person_id", "e164"], unique=True
    )


def downgrade() -> None:

    op.drop_index("ix_person_phones_person_id_e164", table_name="person_phones")
    op.drop_index(op.f("ix_person_phones_e164"), table_name="person_phones")
    op.drop_table("person_phones")
    op.drop_index(op.f("ix_oauth_tokens_client_id"), table_name="oauth_tokens")
    op.drop_table("oauth_tokens")
    op.drop_index(op.f("ix_household_members_household_id"), table_name="household_members")
    op.drop_table("household_members")
    op.drop_index(op.f("ix_persons_village_code"), table_name="persons")
    op.drop_index(op.f("ix_persons_registration_date"), table_name="persons")
    op.drop_index(op.f("ix_persons_province_code"), table_name="persons")
    op.drop_index(op.f("ix_persons_district_code"), table_name="persons")
    op.drop_index(op.f("ix_persons_dedup_key"), table_name="persons")
    op.drop_index(op.f("ix_persons_commune_code"), table_name="persons")
    op.drop_index(op.f("ix_persons_birth_date"), table_name="persons")
    op.drop_table("persons")
    op.drop_table("oauth_clients")
    op.drop_index(op.f("ix_households_village_code"), table_name="households")
    op.drop_table("households")
    op.drop_index("ix_history_entries_record", table_name="history_entries")
    op.drop_table("history_entries")
    op.drop_index(op.f("ix_grievances_status"), table_name="grievances")
    op.drop_index(op.f("ix_grievances_complainant_spid"), table_name="grievances")
    op.drop_index(op.f("ix_grievances_commune_code"), table_name="grievances")
    op.drop_index(op.f("ix_grievances_assignee"), table_name="grievances")
    op.drop_table("grievances")
    op.drop_table("dci_messages")
    op.drop_index(op.f("ix_consents_individual_spid"), table_name="consents")
    op.drop_table("consents")
    op.drop_index(op.f("ix_change_requests_status"), table_name="change_requests")
    op.drop_index(op.f("ix_change_requests_person_spid"), table_name="change_requests")
    op.drop_table("change_requests")
    op.drop_index(op.f("ix_applications_status"), table_name="applications")
    op.drop_index(op.f("ix_applications_programme_id"), table_name="applications")
    op.drop_index(op.f("ix_applications_applicant_spid"), table_name="applications")
    op.drop_table("applications")
    op.drop_index("ix_access_log_person_id_at", table_name="access_log")
    op.drop_table("access_log")
